/**
 * `podsniff worker`: the node agent. Listens first, scans in the background, captures and dissects
 * live traffic (unless --no-capture), stops on SIGTERM/SIGINT within 2 s with exit code 0.
 */
import type { WorkerOptions } from '../worker/index.js';
import type { EarlyStart } from './early-start.js';
import { checkProcfs } from './options.js';
import { serverOptions, type ServerFlags } from './server-flags.js';

/** Flags of `podsniff worker`: the worker's options, with the intervals named as their flags. */
export type WorkerFlags = Omit<
  WorkerOptions,
  'refreshIntervalMs' | 'fullIntervalMs' | 'storeMaxBytes' | 'storeMaxAgeMs' | 'allowHosts' | 'token' | 'redact' | 'rawPcap'
> &
  ServerFlags & {
    refreshInterval: number;
    fullInterval: number;
    storeMaxSize?: number;
    storeMaxAge?: number;
  };

const STOP_DEADLINE_MS = 1800;

/** Start the worker and keep it running until a signal. */
export async function runWorker(flags: WorkerFlags, early: EarlyStart | null = null): Promise<void> {
  checkProcfs(flags.procfs);
  const { refreshInterval, fullInterval, storeMaxSize, storeMaxAge, allowHost, tokenFile, redact, rawPcap, ...rest } = flags;
  const server = serverOptions({ allowHost, tokenFile, redact, rawPcap }, false);
  const { startWorker } = await import('../worker/index.js');
  const stopper = exitOnSignals(STOP_DEADLINE_MS, early);
  const worker = await startWorker({
    ...rest,
    ...server,
    server: early?.server,
    guardProcess: true,
    refreshIntervalMs: refreshInterval,
    fullIntervalMs: fullInterval,
    storeMaxBytes: storeMaxSize,
    storeMaxAgeMs: storeMaxAge,
  });
  stopper.started(worker);
}

/**
 * Exit 0 on SIGTERM/SIGINT within `deadlineMs`. Installed before the worker starts: a signal during
 * start-up (a throttled node imports and opens the store slowly) exits at once — the store is
 * crash-safe, and nothing was acknowledged yet that could be lost. Once started, the worker is stopped
 * (capture flushed into the store) first. Replaces the start-up's own handlers (boot.ts).
 */
export function exitOnSignals(deadlineMs: number, early: EarlyStart | null = null): { started(worker: { stop(): Promise<void> }): void } {
  let running: { stop(): Promise<void> } | null = null;
  const shutdown = (): void => {
    setTimeout(() => process.exit(0), deadlineMs).unref();
    if (!running) process.exit(0);
    running.stop().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  early?.releaseSignals();
  return { started: (worker) => (running = worker) };
}
