/**
 * Container and pod identity from `/proc/<pid>/cgroup`, for the layouts kubelet and runtimes create:
 * systemd driver (`kubepods.slice/kubepods-<qos>.slice/kubepods-<qos>-pod<uid_>.slice/cri-containerd-<id>.scope`,
 * `crio-<id>.scope`, `docker-<id>.scope`) and cgroupfs driver (`/kubepods/<qos>/pod<uid>/<id>`), on
 * cgroup v1 and v2. Pure functions over the file text.
 */
import type { ContainerRef, PodRef } from '../model/index.js';

/** The identity a cgroup path carries. */
export interface CgroupIdentity {
  container: ContainerRef | null;
  pod: PodRef | null;
  /** The path the identity came from (v2 `0::` line preferred, then `name=systemd`, then any). */
  path: string | null;
}

const SCOPE = /^(cri-containerd|crio|docker|containerd)-([0-9a-f]{12,})\.scope$/;
const POD_SEGMENT = /^(?:kubepods-(?:[a-z]+-)?)?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\.slice)?$/;
const BARE_ID = /^[0-9a-f]{64}$/;
const RUNTIME: Record<string, ContainerRef['runtime']> = {
  'cri-containerd': 'containerd',
  containerd: 'containerd',
  crio: 'cri-o',
  docker: 'docker',
};

/** Identity from one cgroup path (`/kubepods.slice/...`). */
export function identityFromPath(path: string): CgroupIdentity {
  let pod: PodRef | null = null;
  let container: ContainerRef | null = null;
  let underPod = false;
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    const podMatch = POD_SEGMENT.exec(segment);
    if (podMatch?.[1]) {
      pod = { uid: podMatch[1].replace(/_/g, '-') };
      underPod = true;
      continue;
    }
    const scope = SCOPE.exec(segment);
    if (scope?.[1] && scope[2]) {
      container = { id: scope[2], runtime: RUNTIME[scope[1]] ?? 'unknown' };
      continue;
    }
    if (BARE_ID.test(segment) && (underPod || path.startsWith('/docker/'))) {
      container = { id: segment, runtime: path.startsWith('/docker/') ? 'docker' : 'unknown' };
    }
  }
  return { container, pod, path };
}

/** Identity from the whole `/proc/<pid>/cgroup` text. */
export function parseCgroupFile(text: string): CgroupIdentity {
  const paths = new Map<string, string>();
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const hierarchy = line.slice(0, first);
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    const key = hierarchy === '0' && controllers === '' ? 'v2' : controllers;
    paths.set(key, path);
  }
  const ordered = [paths.get('v2'), paths.get('name=systemd'), ...paths.values()];
  let fallback: CgroupIdentity | null = null;
  for (const path of ordered) {
    if (path === undefined) continue;
    const identity = identityFromPath(path);
    if (identity.container || identity.pod) return identity;
    fallback ??= { container: null, pod: null, path };
  }
  return fallback ?? { container: null, pod: null, path: null };
}
