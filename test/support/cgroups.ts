// Kubepods-style cgroup layouts for the simulated node, plus exact bottom-up removal.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { procStartTime, signalIfSame, sleepSync } from './proc.js';

/** cgroup v2 (unified) mount point on this machine. */
export const UNIFIED_MOUNT = '/sys/fs/cgroup/unified';
/** cgroup v1 `name=systemd` hierarchy mount point. */
export const SYSTEMD_V1_MOUNT = '/sys/fs/cgroup/systemd';
/** cgroup v1 `cpu` controller mount point. */
export const CPU_V1_MOUNT = '/sys/fs/cgroup/cpu';

/** The five layouts a pod's containers can get; pods rotate over them by index. */
export type CgroupStyle = 'systemd-v2' | 'systemd-v1' | 'cgroupfs-v1' | 'cgroupfs-v2' | 'docker-v2';

/** Rotation order: pod i gets CGROUP_STYLES[i % 5]. */
export const CGROUP_STYLES: readonly CgroupStyle[] = ['systemd-v2', 'systemd-v1', 'cgroupfs-v1', 'cgroupfs-v2', 'docker-v2'];

/** Where a container's processes live. */
export interface CgroupPlacement {
  style: CgroupStyle;
  /** Hierarchy mount point (UNIFIED_MOUNT or SYSTEMD_V1_MOUNT). */
  mount: string;
  /** Path as it appears in /proc/<pid>/cgroup (starts with '/'). */
  path: string;
  /** Absolute directory: mount + path. */
  dir: string;
  /** Controller field of the matching /proc/<pid>/cgroup line: '' for v2, 'name=systemd' for v1. */
  controllers: string;
}

/**
 * Placement of container `containerId` (64 hex) of pod `podUid` in style `style`, under the per-run
 * directory `runRoot` (e.g. 'podsniff-test-ab12') at the top of the hierarchy.
 */
export function containerCgroup(style: CgroupStyle, runRoot: string, podUid: string, containerId: string): CgroupPlacement {
  const u = podUid.replaceAll('-', '_');
  let mount: string;
  let rel: string;
  switch (style) {
    case 'systemd-v2':
      mount = UNIFIED_MOUNT;
      rel = `kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${u}.slice/cri-containerd-${containerId}.scope`;
      break;
    case 'systemd-v1':
      mount = SYSTEMD_V1_MOUNT;
      rel = `kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${u}.slice/crio-${containerId}.scope`;
      break;
    case 'cgroupfs-v1':
      mount = SYSTEMD_V1_MOUNT;
      rel = `kubepods/besteffort/pod${podUid}/${containerId}`;
      break;
    case 'cgroupfs-v2':
      mount = UNIFIED_MOUNT;
      rel = `kubepods/pod${podUid}/${containerId}`;
      break;
    case 'docker-v2':
      mount = UNIFIED_MOUNT;
      rel = `kubepods.slice/kubepods-pod${u}.slice/docker-${containerId}.scope`;
      break;
  }
  const path = `/${runRoot}/${rel}`;
  return { style, mount, path, dir: mount + path, controllers: mount === UNIFIED_MOUNT ? '' : 'name=systemd' };
}

/**
 * Creates `dir` and any missing parents below `mount`, calling `onCreate(d)` for each directory
 * BEFORE it is made (so a crash leaves it registered). `known` caches directories already present.
 */
export function mkdirCgroup(mount: string, dir: string, known: Set<string>, onCreate: (d: string) => void): void {
  if (known.has(dir)) return;
  const parts = dir.slice(mount.length).split('/').filter((p) => p !== '');
  let cur = mount;
  for (const p of parts) {
    cur = `${cur}/${p}`;
    if (known.has(cur)) continue;
    if (!existsSync(cur)) {
      onCreate(cur);
      mkdirSync(cur);
    }
    known.add(cur);
  }
}

/** Moves process `pid` (whole thread group) into cgroup directory `dir`. */
export function movePid(dir: string, pid: number): void {
  writeFileSync(join(dir, 'cgroup.procs'), `${pid}\n`);
}

/** Pids listed in `dir`/cgroup.procs (empty when the directory is gone). */
export function cgroupPids(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter((l) => l !== '').map(Number);
  } catch {
    return [];
  }
}

/** Parses /proc/<pid>/cgroup into a map from controller field ('' for v2) to path. */
export function readProcCgroup(pid: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (m) out.set(m[1] ?? '', m[2] ?? '');
  }
  return out;
}

function mountOf(dir: string): string {
  for (const m of [UNIFIED_MOUNT, SYSTEMD_V1_MOUNT, CPU_V1_MOUNT]) if (dir.startsWith(`${m}/`)) return m;
  throw new Error(`not under a known cgroup mount: ${dir}`);
}

function subdirsDeepFirst(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) if (e.isDirectory()) subdirsDeepFirst(join(dir, e.name), out);
  out.push(dir);
}

/**
 * Removes the cgroup directories `dirs` and everything below them, deepest first. Processes still
 * inside are SIGKILLed, except in directories listed in `evict` (and their subtrees) and the
 * calling process itself, which are moved back to the hierarchy root instead. Never throws;
 * returns error messages.
 */
export function removeCgroupsSync(dirs: readonly string[], evict: ReadonlySet<string> = new Set()): string[] {
  const errors: string[] = [];
  const all = new Set<string>();
  const tops = dirs.filter((d) => !dirs.some((o) => o !== d && d.startsWith(`${o}/`)));
  for (const d of tops) {
    const sub: string[] = [];
    subdirsDeepFirst(d, sub);
    for (const s of sub) all.add(s);
  }
  const ordered = [...all].sort((a, b) => b.split('/').length - a.split('/').length || b.localeCompare(a));
  for (const dir of ordered) {
    if (!existsSync(dir)) continue;
    const evicting = [...evict].some((e) => dir === e || dir.startsWith(`${e}/`));
    const deadline = Date.now() + 3000;
    for (;;) {
      const pids = cgroupPids(dir);
      if (pids.length === 0) break;
      if (Date.now() > deadline) {
        errors.push(`cgroup ${dir} still has processes ${pids.join(',')}`);
        break;
      }
      for (const pid of pids) {
        try {
          if (evicting || pid === process.pid) movePid(mountOf(dir), pid);
          else {
            const start = procStartTime(pid);
            if (start !== null) signalIfSame({ pid, start }, 'SIGKILL');
          }
        } catch {
          // raced with exit; re-read
        }
      }
      sleepSync(10);
    }
    try {
      rmdirSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') errors.push(`rmdir ${dir}: ${String(e)}`);
    }
  }
  return errors;
}

/**
 * Creates (if needed) the v1 cpu cgroup `dir` with CFS quota `quotaUs` per `periodUs`, calling
 * `onCreate(dir)` before creating it. Re-setting an existing directory changes its quota.
 */
export function ensureCpuQuota(dir: string, quotaUs: number, periodUs: number, onCreate: (d: string) => void): void {
  if (!existsSync(dir)) {
    onCreate(dir);
    mkdirSync(dir);
  }
  writeFileSync(join(dir, 'cpu.cfs_quota_us'), '-1');
  writeFileSync(join(dir, 'cpu.cfs_period_us'), String(periodUs));
  writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quotaUs));
}
