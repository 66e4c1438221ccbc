/** Small HTTP helpers for tests of the worker's API. */
import { createServer } from 'node:net';

/**
 * How long a test waits for one condition (a process answering, an entry stored) before it calls it hung.
 * Generous on purpose: a guard against a hang on a slow or busy machine, not an expectation of speed
 * (timings are in bench/).
 */
export const HANG_GUARD_MS = 60_000;

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** GET a URL with a timeout; resolves to status and parsed JSON (or text). */
export async function getJson<T = any>(url: string, timeoutMs = 5000): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: (type.includes('json') ? JSON.parse(text) : text) as T };
}

/** Poll `check` every `everyMs` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
