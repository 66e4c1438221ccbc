/**
 * `podsniff read FILE` end to end on the recorded fixtures (needs `npm run build` first): JSON Lines
 * equal to the pipeline's entries, a table, a one-line summary on stderr, `--protocol`, and on damaged
 * files the entries before the damage followed by one error line naming the byte offset.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../src/model/index.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';
import { BROKEN_DIR, fixture, read, readFixture } from './support.js';

const DIST = new URL('../../dist/cli/index.js', import.meta.url);
const manifest = JSON.parse(readFileSync(join(BROKEN_DIR, 'manifest.json'), 'utf8')) as Record<string, { lastRecordOffset?: number; recordOffset?: number }>;

/** Lines of `text` without blanks. */
function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** JSON of entries, for exact comparison with the CLI's output. */
function asJson(entries: readonly Entry[]): string[] {
  return entries.map((e) => JSON.stringify(e));
}

function expectNoStack(stderr: string): void {
  expect(lines(stderr).filter((l) => /^\s+at /.test(l))).toEqual([]);
}

beforeAll(() => {
  if (!existsSync(DIST)) throw new Error('dist/ is missing: run `npm run build` before this test');
});

describe('podsniff read', () => {
  it('--json prints the pipeline entries as JSON Lines and one summary line on stderr', async () => {
    const expected = readFixture('http-basic');
    const r = await runCli(['read', fixture('http-basic').path, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout).map((l) => JSON.stringify(JSON.parse(l)))).toEqual(asJson(expected.entries));
    const err = lines(r.stderr);
    expect(err).toHaveLength(1);
    for (const word of ['packets', 'streams', 'entries', 'anomalies']) expect(err[0]).toContain(word);
    expect(err[0]).toMatch(/\d+(\.\d+)?\s*ms/);
    expect(err[0]).toContain(String(expected.summary.packets));
    expect(err[0]).toContain(String(expected.summary.entries));
  });

  it('prints a table without --json', async () => {
    const r = await runCli(['read', fixture('http-basic').path]);
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out.length).toBeGreaterThanOrEqual(12);
    expect(() => JSON.parse(out[0]!) as unknown).toThrow();
    for (const s of ['/api/v1/items/7', 'DELETE', '/missing', '404', '/v6', '304']) expect(r.stdout).toContain(s);
  });

  it('--protocol dns shows only DNS entries', async () => {
    const dns = await runCli(['read', fixture('dns').path, '--json', '--protocol', 'dns']);
    expect(dns.code, dns.stderr).toBe(0);
    const entries = jsonLines<Entry>(dns.stdout);
    expect(entries).toHaveLength(11);
    expect(entries.every((e) => e.protocol === 'dns')).toBe(true);
    const http = await runCli(['read', fixture('http-basic').path, '--json', '--protocol', 'dns']);
    expect(http.code, http.stderr).toBe(0);
    expect(http.stdout).toBe('');
    const both = await runCli(['read', fixture('http-odd-ports').path, '--json', '--protocol', 'http,dns']);
    expect(jsonLines<Entry>(both.stdout).map((e) => e.protocol)).toEqual(['http', 'http']);
  });
});

describe.each([
  ['truncated.pcap', manifest['truncated.pcap']?.lastRecordOffset],
  ['corrupt.pcap', manifest['corrupt.pcap']?.recordOffset],
])('podsniff read broken/%s', (file, offset) => {
  it('prints the entries before the damage, then one error line naming the offset, exit 1', async () => {
    expect(offset).toBeTypeOf('number');
    const path = join(BROKEN_DIR, file);
    const intact = read([readFileSync(path).subarray(0, offset)]);
    const r = await runCli(['read', path, '--json']);
    expect(r.code).toBe(1);
    expect(lines(r.stdout).map((l) => JSON.stringify(JSON.parse(l)))).toEqual(asJson(intact.entries));
    expect(intact.entries.length).toBeGreaterThan(0);
    const errors = lines(r.stderr).filter((l) => /offset/i.test(l));
    expect(errors, r.stderr).toHaveLength(1);
    expect(errors[0]).toContain(String(offset));
    expectNoStack(r.stderr);
  });
});

describe('podsniff read on what is not a capture', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'podsniff-read-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says the file does not exist', async () => {
    const missing = join(dir, 'nope.pcap');
    const r = await runCli(['read', missing]);
    expect(r.code).not.toBe(0);
    expect(lines(r.stdout).length, 'no entry rows').toBeLessThanOrEqual(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(missing);
    expectNoStack(r.stderr);
  });

  it('says a text file is not a capture', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'GET / HTTP/1.1\nthis is a text file, not a capture\n');
    const r = await runCli(['read', text, '--json']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/pcap/i);
    expectNoStack(r.stderr);
  });
});
