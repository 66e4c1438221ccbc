// Process helpers for the test harness: identify processes by (pid, start time) so that a recycled
// pid is never signalled, and wait for them to die without relying on them being our children.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A process identity: pid plus its start time (clock ticks since boot, /proc/<pid>/stat field 22). */
export interface PidRec {
  pid: number;
  start: number;
}

interface ProcStat {
  state: string;
  start: number;
}

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Field 2 (comm) may contain spaces and parentheses: parse after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0];
  const start = Number(rest[19]); // field 22 = index 19 counting from field 3
  if (state === undefined || !Number.isFinite(start)) return null;
  return { state, start };
}

/** Start time of `pid` (field 22 of /proc/<pid>/stat), or null when no such process exists. */
export function procStartTime(pid: number): number | null {
  return readStat(pid)?.start ?? null;
}

/** True when the process `rec` names still runs: same pid, same start time, not a zombie. */
export function isAlive(rec: PidRec): boolean {
  const st = readStat(rec.pid);
  return st !== null && st.start === rec.start && st.state !== 'Z' && st.state !== 'X';
}

/** Sends `sig` to `rec` only if it is still the same live process; returns whether it was sent. */
export function signalIfSame(rec: PidRec, sig: NodeJS.Signals): boolean {
  if (!isAlive(rec)) return false;
  try {
    process.kill(rec.pid, sig);
    return true;
  } catch {
    return false;
  }
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` milliseconds (for synchronous exit-time cleanup only). */
export function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitGone(recs: PidRec[], ms: number): Promise<PidRec[]> {
  const deadline = Date.now() + ms;
  let alive = recs.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(20);
    alive = alive.filter(isAlive);
  }
  return alive;
}

/**
 * SIGTERM every still-live process in `recs`, SIGKILL those alive after `graceMs`, then wait up to
 * `killWaitMs` more. Resolves to the processes that are still alive at the end (normally none).
 */
export async function terminateAll(recs: PidRec[], graceMs = 1000, killWaitMs = 5000): Promise<PidRec[]> {
  const targets = recs.filter((r) => signalIfSame(r, 'SIGTERM'));
  const survivors = await waitGone(targets, graceMs);
  for (const r of survivors) signalIfSame(r, 'SIGKILL');
  return waitGone(survivors, killWaitMs);
}

/** Synchronous variant of terminateAll: SIGKILL at once, busy-wait up to `waitMs`. Returns survivors. */
export function killAllSync(recs: PidRec[], waitMs = 3000): PidRec[] {
  let alive = recs.filter((r) => signalIfSame(r, 'SIGKILL'));
  const deadline = Date.now() + waitMs;
  while (alive.length > 0 && Date.now() < deadline) {
    sleepSync(10);
    alive = alive.filter(isAlive);
  }
  return alive;
}

/** Maps `items` through async `fn` with at most `limit` calls in flight; results keep input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results;
}

/** Runs `cmd args` with optional stdin text; resolves to stdout, rejects with stderr on failure. */
export function run(cmd: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(out).toString());
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? code}): ${Buffer.concat(err).toString().trim()}`));
    });
    child.stdin.end(input ?? '');
  });
}
