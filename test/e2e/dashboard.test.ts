/**
 * End-to-end test of the dashboard: the real server (`podsniff local --pcap`) replaying fixture
 * captures, driven by Chromium through playwright-core. Covers rows, filtering and the URL, filter
 * errors, the detail pane, "+" buttons, pcap download (re-read by the project's own reader), the
 * service map, and 100,000 rows in the virtual table. Screenshots go to test-artifacts/e2e/.
 */
import { join } from 'node:path';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/capture/index.js';
import { dissectFile } from '../../src/worker/offline.js';
import { ARTIFACTS, haveChromium, launch, openPage, screenshot, type TestPage } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { frames, injectRows, scrollFrames, topRowId } from './support/synthetic.js';

const chromiumMissing = !haveChromium();
if (chromiumMissing) console.warn('test/e2e/dashboard.test.ts skipped: /usr/bin/chromium is missing (apt-get install chromium)');

const SLOW = 120_000;
/** `expect.poll` with room for a slow, fresh CI machine. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 100 });
let browser: Browser | undefined;

beforeAll(async () => {
  if (!chromiumMissing) browser = await launch();
}, SLOW);

afterAll(async () => {
  await browser?.close();
});

const rows = (page: Page) => page.locator('[data-testid=row][data-id]');
const rowWith = (page: Page, text: string) => page.locator('[data-testid=row][data-id]', { hasText: text });

async function applyFilter(page: Page, q: string): Promise<void> {
  await page.fill('[data-testid=filter-input]', q);
  await page.press('[data-testid=filter-input]', 'Enter');
}

interface ServerPages {
  server: () => RunningServer;
  open: (path?: string, onStream?: (ws: WebSocketRoute) => void) => Promise<Page>;
}

function useServer(fixture: string): ServerPages {
  let server: RunningServer | undefined;
  let current: TestPage | undefined;
  beforeAll(async () => {
    server = await startServer(fixture);
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    const errors = current?.errors ?? [];
    await current?.close();
    current = undefined;
    expect(errors).toEqual([]);
  });
  return {
    server: () => server!,
    open: async (path = '', onStream) => {
      current = await openPage(browser!, new URL(path, server!.url).href, onStream);
      return current.page;
    },
  };
}

/** A list item as the stream sends it, for entries the test injects. */
function liveItem(cursor: number, resolution: 'pending' | 'resolved') {
  const ep = (ip: string, port: number) => ({ ip, port, process: null, container: null, pod: null, netns: null, resolution });
  return {
    cursor,
    id: `live-${cursor}`,
    protocol: 'http',
    transport: 'tcp',
    connectionId: `live-c${cursor}`,
    src: ep('10.77.0.1', 41000),
    dst: ep('10.77.0.2', 80),
    startedAt: '2026-11-27T15:00:00.000Z',
    startedAtMs: 1_795_791_600_000,
    elapsedMs: 1.5,
    requestSize: 90,
    responseSize: 120,
    summary: { method: 'GET', target: `/live/${cursor}`, statusCode: 503, status: '503' },
    anomalies: [],
  };
}

describe.skipIf(chromiumMissing)('dashboard on the http-basic replay', () => {
  const { open } = useServer('http-basic');

  it('shows every entry, newest first, with status colours', async () => {
    const page = await open();
    await poll(() => rows(page).count()).toBe(12);
    await poll(() => rows(page).first().textContent()).toContain('/v6');
    const post = rowWith(page, '/api/v1/namespaces/default/pods');
    expect(await post.locator('[data-col=method] .v').textContent()).toBe('POST');
    expect(await post.locator('[data-col=status]').getAttribute('class')).toContain('s2');
    expect(await rowWith(page, '/missing').locator('[data-col=status]').getAttribute('class')).toContain('s4');
    expect(await post.locator('[data-col=src]').textContent()).toContain('10.250.1.1:');
    expect(await page.textContent('[data-testid=status-bar]')).toContain('12 rows');
    await screenshot(page, 'traffic');
  }, SLOW);

  it('narrows with a filter, keeps it in the URL, and goes back and forward', async () => {
    const page = await open();
    await poll(() => rows(page).count()).toBe(12);
    await applyFilter(page, 'method == "POST"');
    await poll(() => rows(page).count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('q')).toBe('method == "POST"');
    await page.goBack();
    await poll(() => rows(page).count()).toBe(12);
    expect(await page.inputValue('[data-testid=filter-input]')).toBe('');
    await page.goForward();
    await poll(() => rows(page).count()).toBe(1);
    await page.reload();
    await poll(() => rows(page).count()).toBe(1);
    expect(await page.inputValue('[data-testid=filter-input]')).toBe('method == "POST"');
    await page.click('[data-testid=filter-history-button]');
    expect(await page.textContent('[data-testid=filter-history]')).toContain('method == "POST"');
    await screenshot(page, 'filtered');
  }, SLOW);

  it('says when nothing matches, and clears the filter from there', async () => {
    const page = await open('?q=' + encodeURIComponent('method == "PATCH"'));
    await poll(() => page.textContent('[data-testid=empty-state]')).toContain('No entries match');
    await page.click('[data-testid=clear-filter]');
    await poll(() => rows(page).count()).toBe(12);
  }, SLOW);

  it('shows where an invalid filter is wrong and does not apply it', async () => {
    const page = await open();
    await poll(() => rows(page).count()).toBe(12);
    await page.keyboard.press('/');
    await page.keyboard.type('method == ');
    const error = page.locator('[data-testid=filter-error]');
    await poll(() => error.isVisible()).toBe(true);
    expect(await error.textContent()).toMatch(/col \d+/);
    expect(await page.locator('.mirror .bad').count()).toBe(1);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    expect(new URL(page.url()).searchParams.has('q')).toBe(false);
    expect(await rows(page).count()).toBe(12);
    await screenshot(page, 'filter-error');
  }, SLOW);

  it('completes field names', async () => {
    const page = await open();
    await page.click('[data-testid=filter-input]');
    await page.keyboard.type('dst.i');
    await poll(() => page.textContent('[data-testid=filter-completion]')).toContain('dst.ip');
    await page.keyboard.press('Tab');
    expect(await page.inputValue('[data-testid=filter-input]')).toBe('dst.ip ');
  }, SLOW);

  it('opens the detail pane with request and response headers and the body', async () => {
    const page = await open();
    await rowWith(page, '/api/v1/pods?namespace=default&limit=2').locator('[data-col=method]').click();
    const detail = page.locator('[data-testid=detail]');
    await poll(() => detail.isVisible()).toBe(true);
    await poll(() => page.textContent('[data-testid=request-headers]')).toContain('User-Agent');
    expect(await page.textContent('[data-testid=request-headers]')).toContain('curl/7.88.1');
    const response = await page.textContent('[data-testid=response-headers]');
    expect(response).toContain('Content-Type');
    expect(response).toContain('application/json');
    expect(await page.textContent('[data-testid=body-json]')).toContain('"kind": "PodList"');
    expect(await page.textContent('[data-testid=detail-src]')).toContain('10.250.1.1');
    await screenshot(page, 'detail');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'detail-dark');
    await page.keyboard.press('ArrowUp');
    await poll(() => page.textContent('[data-testid=detail-title]')).toContain('POST /api/v1/namespaces/default/pods');
    await page.keyboard.press('Escape');
    await poll(() => detail.isVisible()).toBe(false);
  }, SLOW);

  it('adds a cell value to the filter with "+"', async () => {
    const page = await open();
    const cell = rowWith(page, '/missing').locator('[data-col=method]');
    await cell.hover();
    await cell.locator('[data-plus]').click();
    await poll(() => new URL(page.url()).searchParams.get('q')).toBe('method == "GET"');
    await poll(() => rows(page).count()).toBe(8);
  }, SLOW);

  it('downloads the pcap of an entry, readable by the project reader, holding that call', async () => {
    const page = await open();
    const row = rowWith(page, '/api/v1/items/7').first();
    const method = (await row.locator('[data-col=method] .v').textContent())!;
    await row.locator('[data-col=method]').click();
    const link = page.locator('[data-testid=download-pcap]');
    await poll(() => link.isVisible()).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const path = join(ARTIFACTS, 'entry.pcap');
    await download.saveAs(path);
    let packets = 0;
    await readCaptureFile(path, () => packets++);
    expect(packets).toBeGreaterThan(0);
    // Dissected again, the file gives back exactly the call that was clicked.
    const again: string[] = [];
    dissectFile(path, (e) => again.push(`${e.summary.method} ${e.summary.target}`));
    expect(again).toEqual([`${method} /api/v1/items/7`]);
  }, SLOW);

  it('follows live entries, replaces updated rows in place, pauses and re-fetches after lagged', async () => {
    const sockets: WebSocketRoute[] = [];
    const page = await open('', (ws) => sockets.push(ws));
    await poll(() => rows(page).count()).toBe(12);
    const send = (msg: object) => sockets.at(-1)!.send(JSON.stringify(msg));
    const pending = liveItem(2_000_000, 'pending');
    send({ type: 'entry', entry: pending });
    await poll(() => rows(page).count()).toBe(13);
    await poll(() => page.evaluate(topRowId)).toBe('live-2000000');
    const src = rowWith(page, '/live/2000000').locator('[data-col=src]');
    expect(await src.getAttribute('class')).toContain('pending');
    send({ type: 'update', entry: { ...pending, src: { ...pending.src, resolution: 'resolved', process: { pid: 42, comm: 'curl', exe: '/usr/bin/curl' } } } });
    await poll(() => src.textContent()).toContain('curl[42]');
    expect(await rows(page).count()).toBe(13);

    await page.click('[data-testid=pause]');
    for (let i = 1; i <= 3; i++) send({ type: 'entry', entry: liveItem(2_000_000 + i, 'resolved') });
    await poll(() => page.textContent('[data-testid=pause]')).toBe('Resume (3 new)');
    expect(await rows(page).count()).toBe(13);
    await page.click('[data-testid=pause]');
    await poll(() => rows(page).count()).toBe(16);

    const refetch = page.waitForRequest((r) => /\/api\/v1\/entries\?.*after=0/.test(r.url()));
    send({ type: 'lagged', dropped: 7, after: 0 });
    await refetch;
    await page.waitForTimeout(300);
    expect(await rows(page).count()).toBe(16);
  }, SLOW);

  it('draws the service map and filters by clicking an edge', async () => {
    const page = await open();
    await page.click('[data-testid=tab-map]');
    const edges = page.locator('[data-testid=map-edge]');
    await poll(() => edges.count()).toBe(2);
    const labels = await page.locator('[data-testid=map-edge-label]').allTextContents();
    expect(labels.some((l) => l.includes('http · 11 calls'))).toBe(true);
    expect(labels.some((l) => l.includes('http · 1 calls'))).toBe(true);
    expect(labels.every((l) => /0 err · p95 [\d.]+ ms/.test(l))).toBe(true);
    const nodes = await page.locator('[data-testid=map-node-label]').allTextContents();
    expect(nodes.join(' ')).toContain('10.250.1.1');
    expect(nodes.join(' ')).toContain('10.250.1.2');
    await screenshot(page, 'service-map');
    await page.locator('[data-testid=map-edge]', { hasText: '11 calls' }).locator('.edge-hit').click({ force: true });
    await poll(() => new URL(page.url()).searchParams.get('q')).toBe('src.ip == "10.250.1.1" && dst.ip == "10.250.1.2"');
    await poll(() => rows(page).count()).toBe(11);
  }, SLOW);

  it('takes 100,000 rows: few DOM rows, bounded buffer, scroll to the end, follow (frame times: bench:dashboard)', async () => {
    const page = await open();
    await poll(() => rows(page).count()).toBe(12);
    const size = await page.evaluate(injectRows, { n: 100_000, base: 1_000_000 });
    expect(size).toBe(100_000);
    await page.evaluate(frames);
    expect(await page.locator('[data-testid=row]').count()).toBeLessThan(120);
    expect(await page.evaluate(topRowId)).toBe('synthetic-1099999');

    // Scrolled all over the buffer, frame after frame, the table still renders only the rows in view.
    await page.evaluate(scrollFrames, 120);
    expect(await page.locator('[data-testid=row]').count()).toBeLessThan(120);

    await page.evaluate(() => {
      const vp = (globalThis as any).document.querySelector('[data-testid=table-viewport]');
      vp.scrollTop = vp.scrollHeight;
    });
    await page.evaluate(frames);
    await poll(() => page.locator('[data-id="synthetic-1000000"]').isVisible()).toBe(true);
    await screenshot(page, 'rows-100k-end');

    // Scrolled down: new rows arrive above, the rows in view stay put.
    await page.evaluate(() => ((globalThis as any).document.querySelector('[data-testid=table-viewport]').scrollTop = 500 * 26));
    await page.evaluate(frames);
    const before = await page.evaluate(topRowId);
    expect(await page.evaluate(injectRows, { n: 50, base: 1_100_000 })).toBe(100_000);
    await page.evaluate(frames);
    expect(await page.evaluate(topRowId)).toBe(before);
    expect(await page.textContent('[data-testid=status-bar]')).toContain('oldest dropped');

    // At the top: follow the newest.
    await page.click('[data-testid=newest]');
    await page.evaluate(frames);
    await page.evaluate(injectRows, { n: 5, base: 1_200_000 });
    await page.evaluate(frames);
    expect(await page.evaluate(topRowId)).toBe('synthetic-1200004');
  }, SLOW);
});

describe.skipIf(chromiumMissing)('dashboard on the dns replay', () => {
  const { open, server } = useServer('dns');

  it('filters DNS, shows questions and answers, and maps both address families', async () => {
    const page = await open();
    await poll(() => rows(page).count()).toBe(11);
    await applyFilter(page, 'dns');
    await poll(() => new URL(page.url()).searchParams.get('q')).toBe('dns');
    await poll(() => rows(page).count()).toBe(11);
    const nx = rowWith(page, 'nope.podsniff.test');
    expect(await nx.locator('[data-col=status] .v').textContent()).toBe('NXDOMAIN');
    expect(await nx.locator('[data-col=status]').getAttribute('class')).toContain('dns-err');
    await rowWith(page, 'web.podsniff.test A').locator('[data-col=method]').click();
    await poll(() => page.textContent('[data-testid=dns-query-questions]')).toContain('web.podsniff.test');
    expect(await page.textContent('[data-testid=dns-response-answers]')).toContain('10.250.5.10');
    await screenshot(page, 'dns-detail');
    await page.click('[data-testid=tab-map]');
    await poll(() => page.locator('[data-testid=map-edge]').count()).toBe(2);
    const labels = await page.locator('[data-testid=map-edge-label]').allTextContents();
    expect(labels.some((l) => l.includes('dns · 10 calls') && l.includes('1 err'))).toBe(true);
    expect(labels.some((l) => l.includes('dns · 1 calls'))).toBe(true);
    await screenshot(page, 'dns-map');
  }, SLOW);

  it('tells the user when the server goes away', async () => {
    const page = await open();
    await poll(() => rows(page).count()).toBe(11);
    await server().stop();
    await poll(() => page.textContent('[data-testid=banner]')).toContain('Cannot reach the podsniff server');
    expect(await page.textContent('[data-testid=stream-state]')).toBe('unreachable');
    await screenshot(page, 'unreachable');
  }, SLOW);
});
