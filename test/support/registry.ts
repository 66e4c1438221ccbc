// Crash-safe record of everything a simulated-node run creates, and exact cleanup from it.
//
// Each run appends JSON Lines records to `${PODSNIFF_HOST_TMPDIR or os.tmpdir()}/podsniff-test-resources/<run>.json` before
// (or right as) it creates the thing: a crash leaves a file naming exactly what to remove.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeCgroupsSync } from './cgroups.js';
import type { PidRec } from './proc.js';
import { isAlive, killAllSync, procStartTime, terminateAll } from './proc.js';

/**
 * Directory holding one registry file per run. In the machine's temporary directory, not the per-run
 * TMPDIR of test/support/temp-root.ts: a later run must find what a crashed run left.
 */
export const REGISTRY_DIR = join(process.env.PODSNIFF_HOST_TMPDIR ?? tmpdir(), 'podsniff-test-resources');

/** One line of a registry file. */
export type ResourceRecord =
  | { t: 'run'; run: string; owner: PidRec; created: string; name?: string }
  | { t: 'netns'; name: string }
  | { t: 'cgroup'; dir: string; evict?: boolean }
  | { t: 'pid'; pid: number; start: number };

/** Everything one run created, in creation order. */
export interface RunResources {
  run: string;
  file: string;
  /** The process that created the run (null if the file lacks its header line). */
  owner: PidRec | null;
  netns: string[];
  cgroups: string[];
  /** cgroup dirs whose leftover processes are moved out rather than killed (may hold foreign pids). */
  evict: string[];
  pids: PidRec[];
}

function emptyResources(run: string, file: string): RunResources {
  return { run, file, owner: null, netns: [], cgroups: [], evict: [], pids: [] };
}

function apply(res: RunResources, r: ResourceRecord): void {
  switch (r.t) {
    case 'run':
      res.owner = r.owner;
      break;
    case 'netns':
      res.netns.push(r.name);
      break;
    case 'cgroup':
      res.cgroups.push(r.dir);
      if (r.evict === true) res.evict.push(r.dir);
      break;
    case 'pid':
      res.pids.push({ pid: r.pid, start: r.start });
      break;
  }
}

/** Path of the registry file for run id `run`. */
export function registryFile(run: string): string {
  return join(REGISTRY_DIR, `${run}.json`);
}

/** Appends records for one run to its file and mirrors them in memory (`resources`). */
export class RunRegistry {
  readonly file: string;
  readonly resources: RunResources;

  /** Starts the file for `run` with a header naming the current process as owner. */
  constructor(
    readonly run: string,
    name?: string,
  ) {
    mkdirSync(REGISTRY_DIR, { recursive: true });
    this.file = registryFile(run);
    this.resources = emptyResources(run, this.file);
    const start = procStartTime(process.pid) ?? 0;
    this.add({ t: 'run', run, owner: { pid: process.pid, start }, created: new Date().toISOString(), ...(name !== undefined ? { name } : {}) });
  }

  /** Records `recs` durably (synchronous append) before returning. */
  add(...recs: ResourceRecord[]): void {
    if (recs.length === 0) return;
    appendFileSync(this.file, recs.map((r) => `${JSON.stringify(r)}\n`).join(''));
    for (const r of recs) apply(this.resources, r);
  }

  /** Records process `pid` with its current start time; returns the identity (null if already gone). */
  addPid(pid: number): PidRec | null {
    const start = procStartTime(pid);
    if (start === null) return null;
    this.add({ t: 'pid', pid, start });
    return { pid, start };
  }

  /** Deletes the file (ENOENT ignored). */
  remove(): void {
    try {
      unlinkSync(this.file);
    } catch {
      // already gone
    }
  }
}

/** Parses a registry file; a torn last line (crash mid-append) is ignored. */
export function readRunFile(file: string): RunResources {
  const run = file.replace(/^.*\//, '').replace(/\.json$/, '');
  const res = emptyResources(run, file);
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      apply(res, JSON.parse(line) as ResourceRecord);
    } catch {
      // torn write
    }
  }
  return res;
}

/** Deletes the named network namespaces that still exist. Never throws; returns errors. */
export function deleteNetnsSync(names: readonly string[]): string[] {
  const present = names.filter((n) => existsSync(`/run/netns/${n}`));
  if (present.length === 0) return [];
  try {
    execFileSync('ip', ['-force', '-batch', '-'], { input: present.map((n) => `netns del ${n}\n`).join(''), stdio: ['pipe', 'ignore', 'pipe'] });
    return [];
  } catch (e) {
    const left = present.filter((n) => existsSync(`/run/netns/${n}`));
    return left.length === 0 ? [] : [`netns del failed for ${left.join(',')}: ${String(e)}`];
  }
}

function finish(res: RunResources, errors: string[], survivors: PidRec[]): string[] {
  if (survivors.length > 0) errors.push(`processes survived SIGKILL: ${survivors.map((s) => s.pid).join(',')}`);
  errors.push(...removeCgroupsSync([...res.cgroups], new Set(res.evict)));
  errors.push(...deleteNetnsSync(res.netns));
  if (errors.length === 0) {
    try {
      unlinkSync(res.file);
    } catch {
      // already gone
    }
  }
  return errors;
}

/**
 * Removes everything in `res`: SIGTERM the recorded processes (only if their start time still
 * matches), SIGKILL after `graceMs`, then cgroups bottom-up, then namespaces; deletes the registry
 * file if all succeeded. Never throws; returns error messages.
 */
export async function cleanupRun(res: RunResources, graceMs = 1000): Promise<string[]> {
  const errors: string[] = [];
  let survivors: PidRec[] = [];
  try {
    survivors = await terminateAll(res.pids, graceMs);
  } catch (e) {
    errors.push(String(e));
  }
  return finish(res, errors, survivors);
}

/** Synchronous cleanupRun for exit/signal handlers: SIGKILL at once, then cgroups and namespaces. */
export function cleanupRunSync(res: RunResources): string[] {
  const errors: string[] = [];
  let survivors: PidRec[] = [];
  try {
    survivors = killAllSync(res.pids);
  } catch (e) {
    errors.push(String(e));
  }
  return finish(res, errors, survivors);
}

/** Result of cleanupStaleRuns. */
export interface StaleCleanupResult {
  /** Run ids whose resources were removed (file deleted). */
  cleaned: string[];
  /** Run ids left alone because their owner process is still alive. */
  skipped: string[];
  errors: string[];
}

/**
 * Removes the resources of runs left behind by crashed processes, exactly as their registry files
 * list them. By default only runs whose owner process is gone are touched; pass `runs` to clean
 * those run ids regardless of owner (used to simulate a crash in-process). Never throws.
 */
export async function cleanupStaleRuns(opts: { runs?: readonly string[] } = {}): Promise<StaleCleanupResult> {
  const result: StaleCleanupResult = { cleaned: [], skipped: [], errors: [] };
  let files: string[];
  try {
    files = readdirSync(REGISTRY_DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return result;
  }
  for (const f of files) {
    const run = f.slice(0, -'.json'.length);
    if (opts.runs !== undefined && !opts.runs.includes(run)) continue;
    let res: RunResources;
    try {
      res = readRunFile(join(REGISTRY_DIR, f));
    } catch (e) {
      result.errors.push(`${f}: ${String(e)}`);
      continue;
    }
    if (opts.runs === undefined && res.owner !== null && isAlive(res.owner)) {
      result.skipped.push(run);
      continue;
    }
    const errs = await cleanupRun(res);
    if (errs.length === 0) result.cleaned.push(run);
    else result.errors.push(...errs.map((e) => `${run}: ${e}`));
  }
  if (result.errors.length > 0) console.warn(`cleanupStaleRuns: ${result.errors.join('; ')}`);
  return result;
}
