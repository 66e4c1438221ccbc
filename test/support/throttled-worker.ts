/**
 * `podsniff worker` started inside a CPU quota on a simulated node, as kubelet would run it with a CPU
 * limit, and stopped with SIGTERM. Shared by the worker tests and bench/health-under-load.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { CLI } from '../helpers/run-cli.js';
import type { SimNode } from './simnode.js';

/** A quarter of a CPU: cfs_quota_us 25000 per cfs_period_us 100000. */
export const QUARTER_CPU_QUOTA_US = 25_000;

/** Starts `podsniff worker --host 127.0.0.1 --port <port> --log-level warn ...args` in the node's quota cgroup. */
export function spawnThrottledWorker(node: SimNode, port: number, args: readonly string[], quotaUs = QUARTER_CPU_QUOTA_US): ChildProcess {
  const argv = [process.execPath, CLI, 'worker', ...args, '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  return node.spawnThrottled(argv, process.env, quotaUs);
}

/** How a worker ended after SIGTERM; `hung` when it had not exited within the hang guard (then SIGKILLed). */
export interface Stopped {
  code: number | null;
  signal: NodeJS.Signals | null;
  stopMs: number;
  hung: boolean;
}

/** SIGTERM, then wait for the exit; SIGKILL after `hangGuardMs`. */
export async function terminate(worker: ChildProcess, hangGuardMs: number): Promise<Stopped> {
  const started = performance.now();
  if (worker.exitCode !== null || worker.signalCode !== null) return { code: worker.exitCode, signal: worker.signalCode, stopMs: 0, hung: false };
  const exited = once(worker, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  worker.kill('SIGTERM');
  let hung = false;
  const guard = setTimeout(() => {
    hung = true;
    worker.kill('SIGKILL');
  }, hangGuardMs);
  const [code, signal] = await exited;
  clearTimeout(guard);
  return { code, signal, stopMs: performance.now() - started, hung };
}
