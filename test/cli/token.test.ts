/**
 * `--token-file` and `--allow-host` as users meet them: `podsniff worker` answers its probes without
 * the token and nothing else; `podsniff local` prints a dashboard link that carries the token, the
 * link logs the browser in (an HttpOnly cookie), and the page's own WebSocket then works while a
 * page from another site cannot open it. A DNS name in Host is refused unless allowed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort, getJson, waitFor } from '../helpers/http.js';
import { startCli } from '../helpers/run-cli.js';

const SAMPLE = fileURLToPath(new URL('../../samples/demo.pcapng', import.meta.url));
const TOKEN = 'Zx81-token-for-tests';
const dir = mkdtempSync(join(tmpdir(), 'podsniff-token-'));
const tokenFile = join(dir, 'token');
writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]): { child: ChildProcess; stdout: () => string } {
  const child = startCli(args);
  children.push(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  return { child, stdout: () => out };
}

describe('podsniff worker --token-file', () => {
  it('answers the probes without the token and every other route only with it', async () => {
    const port = await freePort();
    start(['worker', '--no-capture', '--host', '127.0.0.1', '--port', String(port), '--token-file', tokenFile, '--allow-host', 'podsniff.test', '--log-level', 'warn']);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => ((await getJson(`${base}/readyz`)).status === 200 ? true : undefined), 30_000);
    expect((await getJson(`${base}/healthz`)).status).toBe(200);
    for (const path of ['/api/v1/status', '/api/v1/entries', '/metrics', '/api/v1/connections']) {
      const refused = await getJson(`${base}${path}`);
      expect(refused.status, path).toBe(401);
      expect(refused.body.error.code).toBe('E_UNAUTHORIZED');
      expect((await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, path).toBe(200);
    }
    // fetch() sets Host itself; node:http sends the one given, as a browser led by DNS rebinding would.
    const byName = (host: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/api/v1/status', headers: { host, authorization: `Bearer ${TOKEN}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await byName('evil.example')).toBe(403);
    expect(await byName(`podsniff.test:${port}`)).toBe(200);
  }, 60_000);
});

describe('podsniff local --token-file', () => {
  it('prints a link that logs the dashboard in; the page may stream, another site may not', async () => {
    const { stdout } = start(['local', '--pcap', SAMPLE, '--port', '0', '--token-file', tokenFile, '--log-level', 'warn']);
    const link = await waitFor(() => Promise.resolve(/dashboard at (http:\/\/\S+)/.exec(stdout())?.[1]), 30_000, 20);
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/\\?token=${TOKEN}$`));
    const origin = new URL(link).origin;
    expect((await fetch(`${origin}/`)).status).toBe(401);
    const login = await fetch(link, { redirect: 'manual' });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/');
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(`${origin}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const open = (pageOrigin: string): Promise<string> =>
      new Promise((resolve) => {
        const ws = new WebSocket(`${origin.replace('http', 'ws')}/api/v1/stream?limit=1`, { headers: { cookie, origin: pageOrigin } });
        ws.on('message', (data: Buffer) => {
          resolve(JSON.parse(data.toString()).type as string);
          ws.close();
        });
        ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
        ws.on('error', () => resolve('error'));
      });
    expect(await open(origin)).toBe('snapshot');
    expect(await open('http://evil.example')).toBe('refused 403');
  }, 60_000);
});
