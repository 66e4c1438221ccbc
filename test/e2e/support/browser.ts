/** Chromium for the end-to-end tests: launch options, pages that record errors, screenshots. */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page, type WebSocketRoute } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts/e2e');

export function haveChromium(): boolean {
  return existsSync(CHROMIUM);
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
    timeout: 120_000,
  });
}

export interface TestPage {
  page: Page;
  /** Uncaught page errors and console errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** Opens `url`; with `onStream`, the page's stream WebSockets go through it (still connected to the server). */
export async function openPage(browser: Browser, url: string, onStream?: (ws: WebSocketRoute) => void): Promise<TestPage> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 860 } });
  const page = await context.newPage();
  if (onStream) {
    await page.routeWebSocket(/\/api\/v1\/stream/, (ws) => {
      ws.connectToServer();
      onStream(ws);
    });
  }
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  // Network failures the browser logs by itself (server stopped on purpose) are not page errors.
  const network = /Failed to load resource|WebSocket connection to .* failed/;
  page.on('console', (m) => m.type() === 'error' && !network.test(m.text()) && errors.push(`console: ${m.text()}`));
  await page.goto(url);
  return { page, errors, close: () => context.close() };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}
