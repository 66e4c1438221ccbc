/**
 * The CPU quota this process runs under (a container's CPU limit), from its own cgroup: cgroup v2
 * `cpu.max` or v1 `cpu.cfs_quota_us`/`cpu.cfs_period_us`, on its cgroup and every ancestor up to the
 * mount (a limit may sit on the pod's cgroup rather than the container's). The smallest one wins.
 * Reads `/proc/self/cgroup`, `/proc/self/mountinfo` and the cgroup files; any read that fails counts
 * as "no quota". Pure parsers are exported for tests.
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';

/** Cores a quota allows (0.25 for 25 ms per 100 ms), or null when unlimited. */
export function ownCpuQuota(): number | null {
  try {
    const mounts = parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'latin1'));
    const paths = parseOwnCgroups(readFileSync('/proc/self/cgroup', 'latin1'));
    let lowest: number | null = null;
    const candidates = [
      mounts.v2 && paths.v2 !== null ? { dir: join(mounts.v2, paths.v2), mount: mounts.v2.point, read: readV2 } : null,
      mounts.cpuV1 && paths.cpuV1 !== null ? { dir: join(mounts.cpuV1, paths.cpuV1), mount: mounts.cpuV1.point, read: readV1 } : null,
    ];
    for (const c of candidates) {
      if (!c) continue;
      for (let dir = c.dir; dir.startsWith(c.mount); dir = posix.dirname(dir)) {
        const cores = c.read(dir);
        if (cores !== null && (lowest === null || cores < lowest)) lowest = cores;
        if (dir === c.mount) break;
      }
    }
    return lowest;
  } catch {
    return null;
  }
}

interface Mount {
  /** Where it is mounted. */
  readonly point: string;
  /** Which cgroup is the mount's root (not `/` inside some containers). */
  readonly root: string;
}

/** The cgroup v2 mount and the v1 mount that carries the `cpu` controller, from mountinfo. */
export function parseCgroupMounts(mountinfo: string): { v2: Mount | null; cpuV1: Mount | null } {
  let v2: Mount | null = null;
  let cpuV1: Mount | null = null;
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const fields = left.split(' ');
    const [fstype, , superOptions = ''] = right.split(' ');
    const mount = { root: fields[3] ?? '/', point: fields[4] ?? '' };
    if (fstype === 'cgroup2') v2 ??= mount;
    else if (fstype === 'cgroup' && superOptions.split(',').includes('cpu')) cpuV1 ??= mount;
  }
  return { v2, cpuV1 };
}

/** This process's cgroup path in the v2 hierarchy and in the v1 `cpu` one, from /proc/self/cgroup. */
export function parseOwnCgroups(text: string): { v2: string | null; cpuV1: string | null } {
  let v2: string | null = null;
  let cpuV1: string | null = null;
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '') v2 = m[2]!;
    else if (m[1]!.split(',').includes('cpu')) cpuV1 = m[2]!;
  }
  return { v2, cpuV1 };
}

/** Cores allowed by a v2 `cpu.max` ("max 100000" or "25000 100000"), or null. */
export function parseCpuMax(text: string): number | null {
  const [quota, period] = text.trim().split(/\s+/);
  if (!quota || quota === 'max' || !period) return null;
  const cores = Number(quota) / Number(period);
  return Number.isFinite(cores) && cores > 0 ? cores : null;
}

function join(mount: Mount, path: string): string {
  const relative = mount.root !== '/' && path.startsWith(mount.root) ? path.slice(mount.root.length) : path;
  return posix.join(mount.point, relative);
}

function readV2(dir: string): number | null {
  try {
    return parseCpuMax(readFileSync(`${dir}/cpu.max`, 'latin1'));
  } catch {
    return null;
  }
}

function readV1(dir: string): number | null {
  try {
    const quota = Number(readFileSync(`${dir}/cpu.cfs_quota_us`, 'latin1'));
    const period = Number(readFileSync(`${dir}/cpu.cfs_period_us`, 'latin1'));
    return quota > 0 && period > 0 ? quota / period : null;
  } catch {
    return null;
  }
}
