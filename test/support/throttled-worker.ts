/**
 * `podsniff worker` started inside a CPU quota on a simulated node, as kubelet would run it with a CPU
 * limit. Shared by the worker tests and bench/health-under-load; stop it with `terminate` (test/helpers/run-cli.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { CLI } from '../helpers/run-cli.js';
import type { SimNode } from './simnode.js';

/** A quarter of a CPU: cfs_quota_us 25000 per cfs_period_us 100000. */
export const QUARTER_CPU_QUOTA_US = 25_000;

/** Starts `podsniff worker --host 127.0.0.1 --port <port> --log-level warn ...args` in the node's quota cgroup. */
export function spawnThrottledWorker(node: SimNode, port: number, args: readonly string[], quotaUs = QUARTER_CPU_QUOTA_US): ChildProcess {
  const argv = [process.execPath, CLI, 'worker', ...args, '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  return node.spawnThrottled(argv, process.env, quotaUs);
}
