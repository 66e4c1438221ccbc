/**
 * The worker's capture API on loopback (root): `-i lo --bpf`, `GET /api/v1/entries` with cursors, the
 * WebSocket `/api/v1/stream` (snapshot, then new and updated entries), capture metrics, and clear
 * errors for a missing interface and a bad filter.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntryDetail, EntryPage } from '../../src/model/index.js';
import { dissectBytes } from '../../src/worker/offline.js';
import { HANG_GUARD_MS, freePort, getJson, waitFor } from '../helpers/http.js';
import { runCli, startCli } from '../helpers/run-cli.js';

const isRoot = process.getuid?.() === 0;

/** One pooled connection, kept open between requests (as pooling clients do). */
const pool = new Agent({ keepAlive: true, maxSockets: 1 });

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: pool }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!isRoot)('worker capture API on loopback', () => {
  let app: Server;
  let appPort: number;
  let worker: ChildProcess;
  let base: string;
  let log = '';

  const entries = async (query: string): Promise<EntryPage> => (await getJson(`${base}/api/v1/entries${query}`)).body;

  beforeAll(async () => {
    app = createServer((req, res) => res.end(`hello ${req.url}`));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    appPort = (app.address() as AddressInfo).port;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    worker = startCli(['worker', '-i', 'lo', '--bpf', `tcp port ${appPort}`, '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn']);
    worker.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
    await waitFor(async () => ((await getJson(`${base}/readyz`)).status === 200 ? true : undefined), HANG_GUARD_MS);
  });

  afterAll(async () => {
    pool.destroy();
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await new Promise<void>((r) => app?.close(() => r()));
  });

  it('serves entries with cursors, attributed to this process on both ends', async () => {
    for (let i = 0; i < 5; i++) expect(await get(appPort, `/page/${i}`)).toBe(200);
    const all = await waitFor(async () => {
      const page = await entries('?limit=100');
      const ours = page.entries.filter((e) => e.summary.target?.startsWith('/page/'));
      return ours.length === 5 && ours.every((e) => e.src.resolution === 'resolved') ? page : undefined;
    }, HANG_GUARD_MS);
    const ours = all.entries.filter((e) => e.summary.target?.startsWith('/page/'));
    // Newest first.
    expect(ours.map((e) => e.summary.target)).toEqual(['/page/4', '/page/3', '/page/2', '/page/1', '/page/0']);
    for (const e of ours) {
      expect(e.src.process?.pid).toBe(process.pid);
      expect(e.dst.process?.pid).toBe(process.pid);
      expect(e.dst.port).toBe(appPort);
    }
    // Cursor paging: the newest two, then the older rest with `before`; nothing newer with `after`.
    const first = await entries('?limit=2');
    expect(first.entries).toHaveLength(2);
    const rest = await entries(`?limit=100&before=${first.before}`);
    expect([...first.entries, ...rest.entries].map((e) => e.id)).toEqual(all.entries.map((e) => e.id));
    expect(rest.before).toBeNull();
    const none = await entries(`?after=${first.after}`);
    expect(none.entries).toEqual([]);
    // A filter narrows, and the detail route has the whole exchange.
    const filtered = await entries(`?q=${encodeURIComponent('path == "/page/3" && src.process.pid == ' + process.pid)}`);
    expect(filtered.entries.map((e) => e.summary.target)).toEqual(['/page/3']);
    const detail = (await getJson<EntryDetail>(`${base}/api/v1/entries/${encodeURIComponent(filtered.entries[0]!.id)}`)).body;
    if (detail.entry.protocol !== 'http') throw new Error(`expected an http entry, got ${detail.entry.protocol}`);
    expect(detail.entry.response?.status).toBe(200);
    expect(detail.packets?.count).toBeGreaterThan(0);
  });

  it('exports the packets of an entry as a pcap file its own reader and tshark open', async () => {
    const page = await waitFor(async () => {
      const p = await entries(`?q=${encodeURIComponent('path == "/page/1"')}`);
      return p.entries.length ? p : undefined;
    }, HANG_GUARD_MS);
    const res = await fetch(`${base}/api/v1/entries/${encodeURIComponent(page.entries[0]!.id)}/pcap`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="podsniff-.*\.pcap"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const dir = mkdtempSync(join(tmpdir(), 'podsniff-pcap-'));
    try {
      const file = join(dir, 'entry.pcap');
      writeFileSync(file, bytes);
      const { entries: fromFile } = dissectBytes([bytes]);
      expect(fromFile.map((e) => e.summary.target)).toEqual(['/page/1']);
      const { stdout } = await promisify(execFile)('tshark', ['-r', file, '-Y', 'http.request', '-T', 'fields', '-e', 'http.request.uri']);
      expect(stdout.trim()).toBe('/page/1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the server of a connection that closed before its lookup, and never guesses the client', async () => {
    // curl connects, asks and exits in a few ms: its socket is gone before any procfs read can see it.
    await promisify(execFile)('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${appPort}/curl`]);
    const entry = await waitFor(async () => {
      const found = (await entries('?limit=100')).entries.find((e) => e.summary.target === '/curl');
      return found && found.dst.resolution !== 'pending' && found.src.resolution !== 'pending' ? found : undefined;
    }, HANG_GUARD_MS);
    expect(entry.dst.process?.pid).toBe(process.pid);
    // Loopback exists in every namespace: no namespace-level guess for the client.
    if (entry.src.process) expect(entry.src.process.comm).toBe('curl');
    else expect(entry.src).toMatchObject({ resolution: 'unresolved', pod: null, netns: null });
  });

  it('rejects bad paging parameters and filters with a 400, a stable code and the position', async () => {
    const bad = await getJson(`${base}/api/v1/entries?limit=-3`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('E_BAD_QUERY');
    const badFilter = await getJson(`${base}/api/v1/entries?q=${encodeURIComponent('method == ')}`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.error).toMatchObject({ code: 'E_QUERY_SYNTAX', position: 9 });
    const missing = await getJson(`${base}/api/v1/entries/no-such-id`);
    expect(missing.status).toBe(404);
  });

  it('streams a snapshot, then new entries, over WebSocket', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/stream?limit=3&q=${encodeURIComponent('path.startsWith("/str")')}`);
    const messages: any[] = [];
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    try {
      await waitFor(() => Promise.resolve(messages.length ? true : undefined), HANG_GUARD_MS, 20);
      expect(messages[0].type).toBe('snapshot');
      expect(messages[0].entries.length).toBeLessThanOrEqual(3);
      expect(await get(appPort, '/ignored')).toBe(200);
      expect(await get(appPort, '/streamed')).toBe(200);
      const streamed = await waitFor(() => Promise.resolve(messages.find((m) => m.type === 'entry' && m.entry.summary.target === '/streamed')), HANG_GUARD_MS, 20);
      expect(streamed.entry.cursor).toBeTypeOf('number');
      expect(streamed.entry.summary.statusCode).toBe(200);
      // The filter applies to the live part too.
      expect(messages.filter((m) => m.type === 'entry' && m.entry.summary.target === '/ignored')).toEqual([]);
    } finally {
      ws.close();
    }
  });

  it('exports capture metrics', async () => {
    // Capture counters reach the main thread every 500 ms.
    const metrics = await waitFor(async () => {
      const text = (await getJson<string>(`${base}/metrics`)).body;
      return /^podsniff_entries_total\{protocol="http"\} [1-9]/m.test(text) ? text : undefined;
    }, HANG_GUARD_MS);
    expect(metrics).toMatch(/^podsniff_capture_packets_total \d+/m);
    expect(metrics).toMatch(/^podsniff_capture_dropped_packets_total\{by="kernel"\} 0$/m);
    expect(metrics).toMatch(/^podsniff_entries_total\{protocol="http"\} [1-9]/m);
    expect(metrics).toMatch(/^podsniff_streams_live \d+/m);
    expect(metrics).toMatch(/^podsniff_reassembly_gaps_total \d+/m);
    expect(metrics).toMatch(/^podsniff_store_entries [1-9]/m);
    expect(metrics).toMatch(/^podsniff_store_dropped_entries_total\{reason="size"\} 0$/m);
    expect(metrics).toMatch(/^podsniff_store_write_failures_total 0$/m);
    expect(log).not.toMatch(/"level":(50|60)/);
  });
});

describe.skipIf(!isRoot)('worker capture errors', () => {
  it('names a missing interface and exits 2', async () => {
    const result = await runCli(['worker', '-i', 'nosuchdev0', '--port', String(await freePort()), '--log-level', 'silent']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nosuchdev0/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names a bad BPF filter and exits 2', async () => {
    const result = await runCli(['worker', '-i', 'lo', '--bpf', 'tcp port banana', '--port', String(await freePort()), '--log-level', 'silent']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/tcp port banana/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

