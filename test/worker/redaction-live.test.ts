/**
 * Secrets stay out, live (root, loopback): a worker with `--redact password --redact token` captures
 * real HTTP calls that carry an Authorization header, cookies, a JSON password and a token in the
 * query. What the API returns, what the stream sends, and the store's files on disk hold none of the
 * secrets; a filter still sees the redacted header; the call's pcap is refused (worker default) while a
 * call without secrets keeps its pcap. The same traffic, recorded by tcpdump and replayed by
 * `podsniff local` (raw packets allowed by default), serves the pcap — and refuses it with --no-raw-pcap.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EntryDetail, EntryPage } from '../../src/model/index.js';
import { freePort, getJson, waitFor } from '../helpers/http.js';
import { startCli } from '../helpers/run-cli.js';

const isRoot = process.getuid?.() === 0;
const SECRETS = { bearer: 'tok-B3arer-51e7', cookie: 'sess-C00kie-8842', password: 'pw-Hunter2-x19', query: 'q-T0ken-7731' };

function call(port: number, path: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.skipIf(!isRoot)('redaction on live traffic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podsniff-redact-'));
  const dataDir = join(dir, 'store');
  const pcapFile = join(dir, 'traffic.pcap');
  let app: Server;
  let appPort: number;
  let worker: ChildProcess;
  let tcpdump: ChildProcess;
  let base: string;
  const streamed: string[] = [];
  let ws: WebSocket;

  beforeAll(async () => {
    app = createServer((req, res) => {
      req.resume();
      const cookie: Record<string, string> = req.url?.startsWith('/login') ? { 'set-cookie': `session=${SECRETS.cookie}; Path=/; HttpOnly` } : {};
      req.on('end', () => res.writeHead(200, { ...cookie, 'content-type': 'text/plain' }).end('ok'));
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    appPort = (app.address() as AddressInfo).port;
    tcpdump = spawn('tcpdump', ['-i', 'lo', '--immediate-mode', '-U', '-Z', 'root', '-w', pcapFile, `tcp port ${appPort}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let tcpdumpErr = '';
    tcpdump.stderr!.on('data', (d: Buffer) => (tcpdumpErr += d.toString()));
    await waitFor(() => Promise.resolve(/listening on/.test(tcpdumpErr) ? true : undefined), 10_000, 20);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    worker = startCli(['worker', '-i', 'lo', '--bpf', `tcp port ${appPort}`, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--redact', 'password', '--redact', 'token', '--log-level', 'warn']);
    await waitFor(async () => ((await getJson(`${base}/readyz`, 1000)).status === 200 ? true : undefined), 30_000);
    ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/stream?limit=0`);
    ws.on('message', (data: Buffer) => streamed.push(data.toString('utf8')));
    await once(ws, 'open');
    expect(await call(appPort, '/plain', {})).toBe(200);
    expect(await call(appPort, `/login?user=ann&token=${SECRETS.query}`, { authorization: `Bearer ${SECRETS.bearer}`, cookie: `session=${SECRETS.cookie}; theme=dark`, 'content-type': 'application/json' }, JSON.stringify({ user: 'ann', password: SECRETS.password }))).toBe(200);
  }, 90_000);

  afterAll(async () => {
    ws?.close();
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    if (tcpdump && tcpdump.exitCode === null) tcpdump.kill('SIGKILL');
    await new Promise<void>((r) => app?.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const find = (q: string): Promise<EntryPage['entries'][number]> =>
    waitFor(async () => (await getJson<EntryPage>(`${base}/api/v1/entries?q=${encodeURIComponent(q)}`)).body.entries[0], 20_000);

  it('serves and streams the call with its secrets replaced, and a filter still sees the header', async () => {
    const item = await find('path == "/login"');
    const detail = (await getJson<EntryDetail>(`${base}/api/v1/entries/${encodeURIComponent(item.id)}`)).body;
    const text = JSON.stringify(detail);
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    if (detail.entry.protocol !== 'http') throw new Error('expected http');
    expect(detail.entry.request!.headers).toContainEqual(['authorization', 'Bearer [REDACTED]']);
    expect(JSON.parse(detail.entry.request!.body!.decoded!)).toEqual({ user: 'ann', password: '[REDACTED]' });
    expect(detail.entry.request!.target).toBe('/login?user=ann&token=[REDACTED]');
    expect(detail.entry.response!.headers).toContainEqual(['set-cookie', 'session=[REDACTED]; Path=/; HttpOnly']);
    expect(detail.entry.redacted).toEqual(expect.arrayContaining(['request.headers.authorization', 'request.headers.cookie', 'request.body.password', 'request.query.token', 'response.headers.set-cookie']));
    expect((await find('request.headers["authorization"] == "Bearer [REDACTED]"')).id).toBe(item.id);
    await waitFor(() => Promise.resolve(streamed.some((m) => m.includes('/login')) ? true : undefined), 10_000, 20);
    for (const secret of Object.values(SECRETS)) expect(streamed.join('\n')).not.toContain(secret);
  }, 60_000);

  it("refuses the redacted call's pcap (no --raw-pcap) and serves the plain call's", async () => {
    const login = await find('path == "/login"');
    const refused = await getJson(`${base}/api/v1/entries/${encodeURIComponent(login.id)}/pcap`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('E_RAW_PCAP_DISABLED');
    expect(refused.body.error.message).toMatch(/--raw-pcap/);
    const plain = await find('path == "/plain"');
    expect((await fetch(`${base}/api/v1/entries/${encodeURIComponent(plain.id)}/pcap`)).status).toBe(200);
  }, 60_000);

  it('keeps no secret in the store files', async () => {
    await find('path == "/login"');
    worker.kill('SIGTERM');
    await once(worker, 'exit');
    const files = readdirSync(dataDir).map((name) => readFileSync(join(dataDir, name)));
    expect(files.length).toBeGreaterThan(0);
    for (const bytes of files) for (const secret of Object.values(SECRETS)) expect(bytes.includes(secret), secret).toBe(false);
  }, 60_000);

  it('serves the pcap of a replayed call with secrets under `local` (raw packets allowed), not with --no-raw-pcap', async () => {
    tcpdump.kill('SIGINT');
    await once(tcpdump, 'exit');
    for (const [flags, status] of [[[], 200], [['--no-raw-pcap'], 403]] as const) {
      const local = startCli(['local', '--pcap', pcapFile, '--port', '0', '--log-level', 'warn', ...flags]);
      let stdout = '';
      let stderr = '';
      local.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      local.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      try {
        await waitFor(() => Promise.resolve(/replay of .* finished/.test(stdout) || local.exitCode !== null ? true : undefined), 30_000, 20);
        expect(local.exitCode, stderr).toBeNull();
        const url = await waitFor(() => Promise.resolve(/dashboard at (http:\/\/\S+\/)/.exec(stdout)?.[1]), 30_000, 20);
        const item = await waitFor(async () => (await getJson<EntryPage>(`${url}api/v1/entries?q=${encodeURIComponent('path == "/login"')}`)).body.entries[0], 20_000);
        expect(item.redacted).toContain('request.headers.authorization');
        const res = await fetch(`${url}api/v1/entries/${encodeURIComponent(item.id)}/pcap`);
        expect(res.status, flags.join(' ')).toBe(status);
        if (status === 200) expect(Buffer.from(await res.arrayBuffer()).includes(SECRETS.bearer)).toBe(true);
      } finally {
        local.kill('SIGKILL');
      }
    }
  }, 90_000);
});
