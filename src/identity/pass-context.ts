/**
 * What a scan pass works with: the procfs reader, the node state, settings, and the counters and progress
 * it reports. Also the one place where read failures are classified and counted (DESIGN.md rule 4:
 * churn is counted, logged at debug, never fatal).
 */
import type { ScanCounters, ScanProgress, StageLogger } from '../model/index.js';
import { ProcfsReadError, type ProcfsReader } from '../procfs/index.js';
import type { NodeState } from './node-state.js';

/** Settings and collaborators of the passes. */
export interface PassContext {
  reader: ProcfsReader;
  state: NodeState;
  /** Where `ip netns` bind-mounts named namespaces. */
  netnsDir: string;
  /** Local port range of the host, for UDP roles. */
  ephemeral: readonly [number, number];
  log: StageLogger;
  /** Counters of the pass in flight (reset by the caller per pass). */
  counters: ScanCounters;
  progress: ScanProgress;
  /** Distinct pids that vanished / were refused during this pass. */
  vanished: Set<number>;
  denied: Set<number>;
}

/** Empty counters. */
export function newCounters(): ScanCounters {
  return { pids: 0, namespaces: 0, processes: 0, sockets: 0, fds: 0, vanishedPids: 0, deniedPids: 0, errors: {} };
}

/** Empty progress. */
export function newProgress(): ScanProgress {
  return { namespacesDone: 0, namespacesTotal: 0, pidsDone: 0, pidsTotal: 0 };
}

/**
 * Run `read`; on a procfs read failure count it against `pid` and return `fallback`. Other errors are
 * bugs and propagate.
 */
export function tolerate<T>(ctx: PassContext, pid: number, read: () => T, fallback: T): T {
  try {
    return read();
  } catch (err) {
    noteFailure(ctx, pid, err);
    return fallback;
  }
}

/** Count a failed read against `pid` (rethrows anything that is not a procfs read failure). */
export function noteFailure(ctx: PassContext, pid: number, err: unknown): void {
  if (!(err instanceof ProcfsReadError)) throw err;
  if (err.kind === 'vanished') {
    if (!ctx.vanished.has(pid)) {
      ctx.vanished.add(pid);
      ctx.counters.vanishedPids++;
    }
  } else if (err.kind === 'denied') {
    if (!ctx.denied.has(pid)) {
      ctx.denied.add(pid);
      ctx.counters.deniedPids++;
    }
  } else {
    ctx.counters.errors[err.errno] = (ctx.counters.errors[err.errno] ?? 0) + 1;
  }
  ctx.log.debug({ pid, errno: err.errno, kind: err.kind }, err.message);
}
