/**
 * `podsniff local` as a user runs it: replaying a capture (no privilege needed), printing the URL,
 * serving what `podsniff read` finds in the same file, keeping the store in `--data-dir` across runs,
 * and clear one-line errors: a missing or non-capture file, and — as an unprivileged user without
 * `--pcap` — the exact capability live capture lacks (or the fallback replay when asked for).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EntryPage, LocalStatus } from '../../src/model/index.js';
import { dissectFile } from '../../src/worker/offline.js';
import { HANG_GUARD_MS, getJson, waitFor } from '../helpers/http.js';
import { CLI, runCli } from '../helpers/run-cli.js';

const SAMPLE = fileURLToPath(new URL('../../samples/demo.pcapng', import.meta.url));
const isRoot = process.getuid?.() === 0;
const children: ChildProcess[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'podsniff-local-'));
  dirs.push(dir);
  return dir;
}

/** Start `podsniff local ...args`; resolves with the URL it printed. */
async function startLocal(args: string[], wrap: string[] = []): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const argv = [...wrap, process.execPath, CLI, 'local', '--port', '0', ...args];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const url = await waitFor(() => Promise.resolve(/dashboard at (http:\/\/\S+\/)/.exec(stdout)?.[1] ?? (child.exitCode !== null ? null : undefined)), HANG_GUARD_MS, 50);
  if (!url) throw new Error(`podsniff local exited: ${stderr}`);
  return { child, url, stderr: () => stderr };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

const replayDone = (url: string): Promise<LocalStatus> =>
  waitFor(async () => {
    const { body } = await getJson<LocalStatus>(`${url}api/v1/overview`);
    return body.replay?.done ? body : undefined;
  }, HANG_GUARD_MS);

afterEach(async () => {
  await Promise.all(children.splice(0).map(stop));
});

afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('podsniff local --pcap', () => {
  it('prints the URL and serves every entry `podsniff read` finds in the file', async () => {
    const expected: string[] = [];
    dissectFile(SAMPLE, (e) => expected.push(`${e.protocol} ${e.summary.method} ${e.summary.target} ${e.summary.status}`));
    const { url, child } = await startLocal(['--pcap', SAMPLE]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const status = await replayDone(url);
    expect(status).toMatchObject({ mode: 'replay', source: SAMPLE, replay: { done: true, error: null, entries: expected.length }, capture: null, scan: null, notice: null });
    expect(status.store.entries).toBe(expected.length);
    const page = (await getJson<EntryPage>(`${url}api/v1/entries?limit=5000`)).body;
    const served = page.entries.map((e) => `${e.protocol} ${e.summary.method} ${e.summary.target} ${e.summary.status}`);
    expect(served.sort()).toEqual(expected.sort());
    const dnsOnly = (await getJson<EntryPage>(`${url}api/v1/entries?limit=5000&q=dns`)).body;
    expect(dnsOnly.entries.length).toBe(expected.filter((e) => e.startsWith('dns ')).length);
    expect(await stop(child)).toBe(0);
  });

  it('keeps what a damaged file held before the damage, and says where it is', async () => {
    const corrupt = fileURLToPath(new URL('../fixtures/pcaps/broken/corrupt.pcap', import.meta.url));
    const { url } = await startLocal(['--pcap', corrupt]);
    const status = await replayDone(url);
    expect(status.replay?.error).toMatch(/corrupt\.pcap: byte offset 6264: capture file is corrupt/);
    expect(status.store.entries).toBe(5);
    const page = (await getJson<EntryPage>(`${url}api/v1/entries`)).body;
    expect(page.entries).toHaveLength(5);
  });

  it('keeps the store in --data-dir: a second run adds to what the first stored', async () => {
    const dir = tempDir();
    const first = await startLocal(['--pcap', SAMPLE, '--data-dir', dir]);
    const one = (await replayDone(first.url)).store.entries;
    expect(await stop(first.child)).toBe(0);
    const second = await startLocal(['--pcap', SAMPLE, '--data-dir', dir]);
    const status = await replayDone(second.url);
    expect(status.store.entries).toBe(2 * one);
    const ids = (await getJson<EntryPage>(`${second.url}api/v1/entries?limit=5000`)).body.entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fails with one line for a missing file (exit 2) and for a file that is not a capture (exit 1, as `read`)', async () => {
    const missing = await runCli(['local', '--port', '0', '--pcap', '/nonexistent/x.pcap']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^podsniff: .*cannot open capture file \/nonexistent\/x\.pcap: no such file/m);
    const text = join(tempDir(), 'notes.txt');
    writeFileSync(text, 'this is not a capture file\n'.repeat(10));
    const notCapture = await runCli(['local', '--port', '0', '--pcap', text]);
    expect(notCapture.code).toBe(1);
    expect(notCapture.stderr).toContain(text);
    expect(notCapture.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe.skipIf(!isRoot)('podsniff local, live (root)', () => {
  it('captures this host\'s traffic, attributes it, and reports the scan as done', async () => {
    const app = createServer((req, res) => res.end(`live ${req.url}`));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const port = (app.address() as AddressInfo).port;
    try {
      const { url } = await startLocal(['-i', 'lo', '--bpf', `tcp port ${port}`]);
      const overview = await waitFor(async () => {
        const { body } = await getJson<LocalStatus>(`${url}api/v1/overview`);
        return body.scan?.phase === 'done' ? body : undefined;
      }, HANG_GUARD_MS);
      expect(overview).toMatchObject({ mode: 'live', source: 'lo', replay: null, notice: null });
      // A pooled connection stays open long enough for its client to be looked up too.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/seen-live', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(200);
      const entry = await waitFor(async () => {
        const page = (await getJson<EntryPage>(`${url}api/v1/entries?q=${encodeURIComponent('path == "/seen-live"')}`)).body;
        const e = page.entries[0];
        return e && e.dst.resolution !== 'pending' ? e : undefined;
      }, HANG_GUARD_MS);
      agent.destroy();
      expect(entry.dst.process?.pid).toBe(process.pid);
      expect(entry.summary.statusCode).toBe(200);
    } finally {
      await new Promise<void>((r) => app.close(() => r()));
    }
  });
});

describe.skipIf(!isRoot)('podsniff local without the capture privilege', () => {
  // An unprivileged user with no capabilities, as a newcomer without sudo would run it. When the
  // checkout is not readable by `nobody` (a clone under /root), root with every capability dropped
  // stands in: live capture is refused the same way.
  const noCaps = ['--inh-caps=-all', '--bounding-set=-all'];
  const nobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...noCaps];
  const nobodyCanRun = (() => {
    try {
      execFileSync(nobody[0]!, [...nobody.slice(1), process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(CLI)}); require('fs').accessSync(${JSON.stringify(SAMPLE)})`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  const asNobody = nobodyCanRun ? nobody : ['setpriv', ...noCaps];
  const uid = nobodyCanRun ? 65534 : 0;

  it('says exactly which permission is missing and what to do', () => {
    let stderr = '';
    let code = 0;
    try {
      execFileSync(asNobody[0]!, [...asNobody.slice(1), process.execPath, CLI, 'local', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    } catch (err) {
      const e = err as { status: number; stderr: Buffer };
      code = e.status;
      stderr = e.stderr.toString('utf8');
    }
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`live capture needs CAP_NET_RAW, which this process \\(uid ${uid}\\) does not have`));
    expect(stderr).toMatch(/sudo podsniff local/);
    expect(stderr).toMatch(/podsniff local --pcap FILE/);
  });

  it('replays the fallback file instead when given one', async () => {
    const { url, stderr } = await startLocal(['--fallback-pcap', SAMPLE], asNobody);
    const status = await replayDone(url);
    expect(status.store.entries).toBeGreaterThan(0);
    // The dashboard says why it shows a sample.
    expect(status.notice).toMatch(/live capture needs CAP_NET_RAW/);
    expect(stderr()).toMatch(/replaying .*demo\.pcapng instead/);
  });
});
