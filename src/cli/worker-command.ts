/**
 * `podsniff worker`: the node agent. Listens first, scans in the background, captures and dissects
 * live traffic (unless --no-capture), stops on SIGTERM/SIGINT within 2 s with exit code 0.
 */
import type { WorkerOptions } from '../worker/index.js';
import { checkProcfs } from './options.js';

/** Flags of `podsniff worker`: the worker's options, with the intervals named as their flags. */
export type WorkerFlags = Omit<WorkerOptions, 'refreshIntervalMs' | 'fullIntervalMs'> & {
  refreshInterval: number;
  fullInterval: number;
};

const STOP_DEADLINE_MS = 1800;

/** Start the worker and keep it running until a signal. */
export async function runWorker(flags: WorkerFlags): Promise<void> {
  checkProcfs(flags.procfs);
  const { startWorker } = await import('../worker/index.js');
  const { refreshInterval, fullInterval, ...rest } = flags;
  const worker = await startWorker({ ...rest, refreshIntervalMs: refreshInterval, fullIntervalMs: fullInterval });
  const shutdown = (): void => {
    setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref();
    worker.stop().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
