/**
 * A user's mistakes get one line, `podsniff: CODE: what; what to do`, and exit 2 — never a stack:
 * a directory or a missing or unreadable file for `read`, a duration of 0, an unknown socket state, an
 * unknown option, a missing or empty token file. An unexpected error is one line that says to run
 * again with --debug, and --debug (anywhere on the line) prints the stack.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../src/cli/errors.js';
import { CLI, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'podsniff-cli-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectOneLine(stderr: string, code: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^podsniff: ${code}: `));
  expect(lines[0]).toMatch(pattern);
}

describe('user mistakes', () => {
  it('read: a directory, a missing file', async () => {
    const directory = await runCli(['read', dir]);
    expect(directory.code).toBe(2);
    expectOneLine(directory.stderr, 'E_CAPTURE_OPEN', /cannot read capture file .*: it is a directory; check the path/);
    const missing = await runCli(['read', join(dir, 'nope.pcap')]);
    expect(missing.code).toBe(2);
    expectOneLine(missing.stderr, 'E_CAPTURE_OPEN', /no such file/);
  });

  it.skipIf(process.getuid?.() !== 0)('read: a file this user may not read (root without CAP_DAC_OVERRIDE)', () => {
    const file = join(dir, 'secret.pcap');
    writeFileSync(file, 'x');
    chmodSync(file, 0o000);
    let stderr = '';
    let code = 0;
    try {
      execFileSync('setpriv', ['--inh-caps=-all', '--bounding-set=-all', process.execPath, CLI, 'read', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as { status: number; stderr: Buffer };
      code = e.status;
      stderr = e.stderr.toString('utf8');
    }
    expect(code).toBe(2);
    expectOneLine(stderr, 'E_CAPTURE_OPEN', /permission denied; make the file readable/);
  });

  it('a duration of 0, and a size or a port out of range', async () => {
    for (const args of [
      ['worker', '--refresh-interval', '0'],
      ['local', '--store-max-age', '0'],
      ['local', '--store-max-size', '10'],
      ['worker', '--port', '70000'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expectOneLine(r.stderr, 'E_USAGE', /expected .*; run with --help for usage$/);
    }
  });

  it('an unknown socket state lists the known ones; known ones are accepted in any case', async () => {
    const bad = await runCli(['scan', '--state', 'ESTABLISH']);
    expect(bad.code).toBe(2);
    expectOneLine(bad.stderr, 'E_USAGE', /unknown state "ESTABLISH": expected one of ESTABLISHED, SYN_SENT, .*UNCONN/);
    const good = await runCli(['scan', '--state', 'listen', '--json']);
    expect(good.code, good.stderr).toBe(0);
    for (const line of good.stdout.trim().split('\n').filter(Boolean)) expect(JSON.parse(line).state).toBe('LISTEN');
  });

  it('an unknown option', async () => {
    const r = await runCli(['read', '--frobnicate', 'x']);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, 'E_USAGE', /unknown option '--frobnicate'/);
  });

  it('a missing or empty token file', async () => {
    const missing = await runCli(['local', '--pcap', 'x', '--port', '0', '--token-file', join(dir, 'none')]);
    expect(missing.code).toBe(2);
    expectOneLine(missing.stderr, 'E_FILE', /cannot read --token-file .*: no such file; give a file that holds the token/);
    const empty = join(dir, 'empty-token');
    writeFileSync(empty, '\n');
    const r = await runCli(['local', '--pcap', 'x', '--port', '0', '--token-file', empty]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, 'E_FILE', /is empty/);
  });
});

describe('unexpected errors', () => {
  let written = '';
  beforeEach(() => {
    written = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += String(chunk);
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('are one line that says to run again with --debug, and --debug shows the stack', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(reportError(bug, false)).toBe(1);
    expect(written).toBe("podsniff: E_INTERNAL: unexpected error (TypeError: Cannot read properties of undefined (reading 'x')); this is a bug: run again with --debug for the stack and report it\n");
    written = '';
    expect(reportError(bug, true)).toBe(1);
    expect(written).toMatch(/^podsniff: E_INTERNAL: TypeError: Cannot read properties[^\n]*\n\s+at /);
  });

  it('--debug is accepted anywhere on the command line, and adds the cause of a known error', async () => {
    const r = await runCli(['read', '--debug', join(dir, 'nope.pcap')]);
    expect(r.code).toBe(2);
    const [first, ...rest] = r.stderr.trimEnd().split('\n');
    expect(first).toMatch(/^podsniff: E_CAPTURE_OPEN: cannot open capture file .*: no such file/);
    expect(rest.join('\n')).toMatch(/ENOENT[^]*\n\s+at /);
  });
});
