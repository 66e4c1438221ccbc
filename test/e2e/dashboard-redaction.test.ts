/**
 * The dashboard on calls that carried secrets (the http-secrets fixture replayed by `podsniff local
 * --redact password --no-raw-pcap`): the detail pane says what was redacted and shows the markers,
 * no secret reaches the page, and the pcap button is replaced by "pcap withheld" with the reason.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launch, openPage, screenshot } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const chromiumMissing = !haveChromium();
const SLOW = 120_000;
const SECRETS = ['YW5uOmh1bnRlcjItYmFzaWM=', 'tok-B3ar3r-5150', 'srv-S3ss10n-4471', 'pw-S3cr3t-77'];

describe.skipIf(chromiumMissing)('dashboard on redacted calls', () => {
  let browser: Browser | undefined;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    browser = await launch();
    server = await startServer('http-secrets', ['--redact', 'password', '--no-raw-pcap']);
  }, SLOW);

  afterAll(async () => {
    await server?.stop();
    await browser?.close();
  });

  it('shows what was redacted, never the secret, and withholds the pcap', async () => {
    const current = await openPage(browser!, server!.url);
    const { page, errors } = current;
    try {
      await page.locator('[data-testid=row][data-id]', { hasText: '/login?client=cli' }).click();
      const note = page.locator('[data-testid=redacted-note]');
      await expect.poll(() => note.textContent(), { timeout: 30_000 }).toMatch(/request\.headers\.authorization.*request\.body\.password/);
      const body = (await page.locator('[data-testid=detail-body]').textContent()) ?? '';
      expect(body).toContain('Basic [REDACTED]');
      expect(body).toContain('[REDACTED]');
      for (const secret of SECRETS) expect(body).not.toContain(secret);
      await expect.poll(() => page.locator('[data-testid=pcap-withheld]').count()).toBe(1);
      expect(await page.locator('[data-testid=download-pcap]').count()).toBe(0);
      expect(await page.locator('[data-testid=pcap-withheld]').getAttribute('title')).toMatch(/--raw-pcap/);
      await screenshot(page, 'redacted-detail');
      expect(errors).toEqual([]);
    } finally {
      await current.close();
    }
  }, SLOW);
});
