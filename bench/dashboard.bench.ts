/**
 * `npm run bench:dashboard`: how the dashboard copes with 100,000 rows, the timings the dashboard tests
 * no longer assert (they assert the DOM and the buffer). Absolute figures against the goals:
 * - the row buffer (RowStore) taking 150,000 rows in batches of 1,000, without a browser (goal ≤ 2 s);
 * - in Chromium, on the real server replaying test/fixtures/pcaps/http-basic.pcap: injecting 100,000
 *   rows, then scroll frame times while jumping around the table (p95 goal ≤ 250 ms).
 * ROUNDS (default 3) repeats each measurement. Needs /usr/bin/chromium for the browser part.
 */
import { performance } from 'node:perf_hooks';
import type { EntryListItem } from '../src/model/index.js';
import { RowStore } from '../ui/src/state/row-store.js';
import { haveChromium, launch, openPage } from '../test/e2e/support/browser.js';
import { startServer } from '../test/e2e/support/server.js';
import { frames, injectRows, scrollFrames } from '../test/e2e/support/synthetic.js';
import { formatMs, goalLine, median, percentile } from './support/figures.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);

const item = (cursor: number): EntryListItem =>
  ({ cursor, id: `e${cursor}`, summary: { method: 'GET', target: `/r/${cursor}`, statusCode: 200, status: '200' } }) as unknown as EntryListItem;

function rowStoreAppends(): void {
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const store = new RowStore();
    const started = performance.now();
    for (let c = 0; c < 150_000; c += 1000) store.upsert(Array.from({ length: 1000 }, (_, i) => item(c + i)));
    samples.push(performance.now() - started);
    if (store.size !== 100_000) throw new Error(`RowStore holds ${store.size} rows`);
  }
  console.log('row buffer (no browser):');
  console.log(goalLine('150,000 rows appended in batches of 1,000', `median ${formatMs(median(samples))}, max ${formatMs(Math.max(...samples))}`, Math.max(...samples), 2000));
}

async function browserRows(): Promise<void> {
  const server = await startServer('http-basic');
  const browser = await launch();
  try {
    const injects: number[] = [];
    const frameTimes: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const tab = await openPage(browser, server.url);
      const page = tab.page;
      try {
        // tsx keeps function names with a helper the page does not have; page.evaluate ships the source.
        await page.evaluate('globalThis.__name = (f) => f');
        await page.locator('[data-testid=row][data-id]').first().waitFor();
        const started = performance.now();
        await page.evaluate(injectRows, { n: 100_000, base: 1_000_000 });
        await page.evaluate(frames);
        injects.push(performance.now() - started);
        frameTimes.push(...(await page.evaluate(scrollFrames, 120)));
      } finally {
        await tab.close();
      }
    }
    const p95 = percentile(frameTimes, 95);
    console.log(`browser (Chromium), ${ROUNDS} rounds:`);
    console.log(`  inject 100,000 rows and render: median ${formatMs(median(injects))}, max ${formatMs(Math.max(...injects))}`);
    console.log(goalLine(`scroll frames (${frameTimes.length})`, `p50 ${percentile(frameTimes, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`, p95, 250));
  } finally {
    await browser.close();
    await server.stop();
  }
}

rowStoreAppends();
if (haveChromium()) await browserRows();
else console.log('browser: skipped (/usr/bin/chromium is missing)');
