/**
 * The dashboard on live capture (root): `podsniff local -i lo` with a real HTTP server on loopback.
 * Before any traffic the page says so ("No traffic yet" and where it captures); requests then appear
 * as rows through the real WebSocket stream, without a reload, attributed to this process; a filter
 * on identity shows a new call once it is attributed; the service map draws the edge. Screenshots go to test-artifacts/e2e/live-*.png.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launch, openPage, screenshot, type TestPage } from './support/browser.js';

const ROOT = resolve(import.meta.dirname, '../..');
const isRoot = process.getuid?.() === 0;
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 100 });

describe.skipIf(!isRoot || !haveChromium())('dashboard on live capture', () => {
  let browser: Browser;
  let app: Server;
  let appPort: number;
  let child: ChildProcess;
  let url: string;
  let page: TestPage;
  const dataDir = mkdtempSync(join(tmpdir(), 'podsniff-e2e-live-'));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    app = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url }));
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    appPort = (app.address() as AddressInfo).port;
    child = spawn(process.execPath, [join(ROOT, 'bin/podsniff.js'), 'local', '-i', 'lo', '--bpf', `tcp port ${appPort}`, '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) resolveUrl(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`podsniff local exited with ${code}`)));
    });
    browser = await launch();
  }, 120_000);

  afterAll(async () => {
    agent.destroy();
    await page?.close();
    await browser?.close();
    if (child?.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await new Promise<void>((r) => app?.close(() => r()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = (path: string): Promise<number> =>
    new Promise((resolveStatus, reject) => {
      const req = request({ host: '127.0.0.1', port: appPort, path, agent }, (res) => {
        res.resume();
        res.on('end', () => resolveStatus(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });

  it('says there is no traffic yet, then shows requests as they happen, attributed to their process', async () => {
    page = await openPage(browser, url);
    const p = page.page;
    await poll(() => p.getAttribute('[data-testid=empty-state]', 'data-kind')).toBe('no-traffic');
    await expect(p.textContent('[data-testid=empty-state]')).resolves.toContain('Capturing on lo');
    await screenshot(p, 'live-empty');

    for (const path of ['/live/one', '/live/two', '/live/three']) expect(await get(path)).toBe(200);
    const rows = p.locator('[data-testid=row][data-id]');
    await poll(() => rows.count()).toBe(3);
    await expect(p.textContent('[data-testid=table]')).resolves.toContain('/live/three');
    // Attribution completes after the row appears: the server side names this process.
    await poll(async () => (await p.textContent('[data-testid=table]')) ?? '').toContain(`[${process.pid}]`);
    await expect(p.textContent('[data-testid=status-bar]')).resolves.toContain('live on lo');
    await screenshot(p, 'live-rows');

    // A filter on identity: entries go out before their lookup finishes and match only once
    // attributed, so the row must arrive through the `update` of an entry the page never had.
    await p.fill('[data-testid=filter-input]', `dst.process.pid == ${process.pid} && path.startsWith("/who/")`);
    await p.press('[data-testid=filter-input]', 'Enter');
    await poll(() => rows.count()).toBe(0);
    expect(await get('/who/attributed')).toBe(200);
    await poll(() => rows.count()).toBe(1);
    await expect(p.textContent('[data-testid=table]')).resolves.toContain('/who/attributed');

    await p.click('[data-testid=tab-map]');
    await poll(() => p.locator('[data-testid=map-edge]').count()).toBeGreaterThan(0);
    await screenshot(p, 'live-map');
    expect(page.errors).toEqual([]);
  }, 120_000);
});
