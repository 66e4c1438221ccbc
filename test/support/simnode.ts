// A simulated Kubernetes node for tests and benchmarks: real network namespaces on a bridge, real
// processes holding real sockets, kubepods-style cgroups, CPU quotas, and guaranteed cleanup.
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { CgroupPlacement, CgroupStyle } from './cgroups.js';
import { CGROUP_STYLES, CPU_V1_MOUNT, containerCgroup, ensureCpuQuota, mkdirCgroup, movePid, readProcCgroup } from './cgroups.js';
import type { Holder, HolderSpec } from './holder-client.js';
import { HOLDER_PY, PYTHON, attachHolder } from './holder-client.js';
import { BRIDGE_IP4, BRIDGE_IP6, MAX_PODS, createNetwork, podAddresses, type NetworkLayout } from './netns.js';
import { isAlive, mapLimit, terminateAll } from './proc.js';
import { RunRegistry, cleanupRun, cleanupRunSync, cleanupStaleRuns, registryFile } from './registry.js';

export type { CgroupPlacement, CgroupStyle } from './cgroups.js';
export type { Endpoint, Holder, HolderSpec, Report, SocketInfo, SocketKind } from './holder-client.js';
export { cleanupStaleRuns } from './registry.js';

/** One pod of the simulated node. */
export interface PodInfo {
  index: number;
  /** Network namespace name (/run/netns/<netns>). */
  netns: string;
  ip4: string;
  /** null unless the node was created with ipv6. */
  ip6: string | null;
  /** Random RFC 4122 pod UID. */
  uid: string;
  cgroupStyle: CgroupStyle;
  /** Node-side veth name (in the node namespace; attached to br0 in the bridge layout). */
  veth: string;
}

/** An arbitrary command running in a pod namespace (and container cgroup). */
export interface RawProcess {
  pid: number;
  containerId: string;
  child: ChildProcess;
  /** SIGTERM, SIGKILL after 1 s; resolves once gone. */
  stop(): Promise<void>;
}

/** Options of SimNode.create. */
export interface SimNodeOptions {
  pods: number;
  /** Also give the bridge and pods IPv6 addresses (fd00:244::/64). */
  ipv6?: boolean;
  /** `bridge` (default) or `routed` veths (Calico style, IPv4 only). */
  layout?: NetworkLayout;
  /** Free-form label written to the run's registry file. */
  name?: string;
  /** Remove leftovers of crashed runs (dead owner process) first; default true. */
  cleanupStale?: boolean;
}

/** sh snippet: put this shell into the cgroup whose cgroup.procs path is $0, then exec "$@". */
const ENTER_CGROUP = 'echo $$ > "$0" && exec "$@"';

const live = new Set<SimNode>();
let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const n of live) n.destroySync();
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    const handler = (): void => {
      for (const n of live) n.destroySync();
      // Keep the default "die" behaviour unless someone else also handles the signal.
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, handler);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, handler);
  }
}

function inCgroup(pid: number, cg: CgroupPlacement): boolean {
  try {
    return readProcCgroup(pid).get(cg.controllers) === cg.path;
  } catch {
    return false;
  }
}

function newContainerId(): string {
  return randomBytes(32).toString('hex');
}

function newRunId(): string {
  for (let i = 0; i < 100; i++) {
    const run = randomBytes(2).toString('hex');
    if (!existsSync(registryFile(run)) && !existsSync(`/run/netns/psn${run}`)) return run;
  }
  throw new Error('could not find a free run id');
}

/**
 * A simulated node. Create with SimNode.create (as root); always call destroy() (exit/signal
 * handlers and cleanupStaleRuns cover crashes). Names: node netns `psn<run>`, pod netns
 * `ps<run>p<i>`, cgroup roots `podsniff-test-<run>` (and `podsniff-test-<run>-q` for CPU quota).
 */
export class SimNode {
  /** Reason string for skipIf when not running as root. */
  static readonly requireRoot = 'requires root: creates network namespaces, veth pairs and cgroups';
  /** Gateway addresses inside the node (bridge br0). */
  static readonly bridgeIp4 = BRIDGE_IP4;
  static readonly bridgeIp6 = BRIDGE_IP6;

  readonly nodeNetns: string;
  /** Top-level cgroup directory name used in every hierarchy for this run. */
  readonly cgroupRoot: string;
  private readonly pods: PodInfo[] = [];
  private readonly rawContainer: string[] = [];
  private readonly knownDirs = new Set<string>();
  private destroying: Promise<void> | null = null;

  private constructor(
    /** 4-hex-char run id. */
    readonly run: string,
    readonly ipv6: boolean,
    private readonly registry: RunRegistry,
  ) {
    this.nodeNetns = `psn${run}`;
    this.cgroupRoot = `podsniff-test-${run}`;
  }

  /** True when running as uid 0. */
  static isRoot(): boolean {
    return process.getuid?.() === 0;
  }

  /**
   * Builds a node with `opts.pods` pods (namespaces, veths on br0, addresses, default routes) in a
   * few seconds for 100+ pods. Rejects (after removing what was made) if anything fails.
   */
  static async create(opts: SimNodeOptions): Promise<SimNode> {
    if (!Number.isInteger(opts.pods) || opts.pods < 0 || opts.pods > MAX_PODS) throw new Error(`pods must be 0..${MAX_PODS}`);
    if (opts.cleanupStale !== false) await cleanupStaleRuns();
    const run = newRunId();
    const node = new SimNode(run, opts.ipv6 === true, new RunRegistry(run, opts.name));
    installExitHandlers();
    live.add(node);
    for (let i = 0; i < opts.pods; i++) {
      const a = podAddresses(i);
      node.pods.push({
        index: i,
        netns: `ps${run}p${i}`,
        ip4: a.ip4,
        ip6: node.ipv6 ? a.ip6 : null,
        uid: randomUUID(),
        cgroupStyle: CGROUP_STYLES[i % CGROUP_STYLES.length]!,
        veth: `v${run}${i}`,
      });
      node.rawContainer.push(newContainerId());
    }
    node.registry.add({ t: 'netns', name: node.nodeNetns }, ...node.pods.map((p) => ({ t: 'netns' as const, name: p.netns })));
    try {
      await createNetwork({
        nodeNs: node.nodeNetns,
        ipv6: node.ipv6,
        layout: opts.layout ?? 'bridge',
        pods: node.pods.map((p) => ({ netns: p.netns, veth: p.veth, ip4: p.ip4, ip6: podAddresses(p.index).ip6 })),
      });
    } catch (e) {
      await node.destroy();
      throw e;
    }
    return node;
  }

  /** Number of pods. */
  get podCount(): number {
    return this.pods.length;
  }

  /** Path of this run's registry file. */
  get registryFile(): string {
    return this.registry.file;
  }

  /** Pod `i` (throws RangeError when out of range). */
  pod(i: number): PodInfo {
    const p = this.pods[i];
    if (p === undefined) throw new RangeError(`no pod ${i} (node has ${this.pods.length})`);
    return p;
  }

  /** Cgroup placement of container `containerId` of pod `podIndex` (not created). */
  cgroupFor(podIndex: number, containerId: string): CgroupPlacement {
    const p = this.pod(podIndex);
    return containerCgroup(p.cgroupStyle, this.cgroupRoot, p.uid, containerId);
  }

  private ensureContainerCgroup(podIndex: number, containerId: string): CgroupPlacement {
    const cg = this.cgroupFor(podIndex, containerId);
    mkdirCgroup(cg.mount, cg.dir, this.knownDirs, (dir) => this.registry.add({ t: 'cgroup', dir }));
    return cg;
  }

  private assertLive(): void {
    if (this.destroying !== null) throw new Error(`SimNode ${this.run} is destroyed`);
  }

  private track(child: ChildProcess, what: string): number {
    child.on('error', (e) => console.warn(`simnode ${this.run}: ${what}: ${String(e)}`));
    if (child.pid === undefined) throw new Error(`simnode ${this.run}: could not start ${what}`);
    this.registry.addPid(child.pid);
    return child.pid;
  }

  private podCommand(podIndex: number, cg: CgroupPlacement, argv: readonly string[]): string[] {
    return [`--net=/run/netns/${this.pod(podIndex).netns}`, '/bin/sh', '-c', ENTER_CGROUP, `${cg.dir}/cgroup.procs`, ...argv];
  }

  /**
   * Starts holder.py with `spec` in pod `podIndex`'s network namespace, inside the container cgroup
   * from its first instruction (container id `opts.container`, default a fresh one per call), and
   * resolves once its sockets are open (holder.initial). The holder's pid is the python pid.
   */
  async spawn(podIndex: number, spec: HolderSpec, opts: { container?: string } = {}): Promise<Holder> {
    this.assertLive();
    const pod = this.pod(podIndex);
    const containerId = opts.container ?? newContainerId();
    const cg = this.ensureContainerCgroup(podIndex, containerId);
    const child = spawn('/usr/bin/nsenter', this.podCommand(podIndex, cg, [PYTHON, HOLDER_PY, JSON.stringify(spec)]), { stdio: 'pipe' });
    this.track(child, `holder in pod ${podIndex}`);
    return attachHolder(child, { containerId, podUid: pod.uid, netns: pod.netns, cgroup: cg }, (r) =>
      r.childPid !== undefined ? this.registry.addPid(r.childPid) : null,
    );
  }

  /** spawn() for many holders with at most `concurrency` starting at once; results keep order. */
  spawnMany(items: readonly { pod: number; spec: HolderSpec; container?: string }[], concurrency = 8): Promise<Holder[]> {
    return mapLimit(items, concurrency, (it) => this.spawn(it.pod, it.spec, it.container !== undefined ? { container: it.container } : {}));
  }

  /** Starts holder.py in the host network namespace without any cgroup change (loopback tests). */
  async spawnInRoot(spec: HolderSpec): Promise<Holder> {
    this.assertLive();
    const child = spawn(PYTHON, [HOLDER_PY, JSON.stringify(spec)], { stdio: 'pipe' });
    this.track(child, 'root holder');
    return attachHolder(child, { containerId: null, podUid: null, netns: null, cgroup: null }, (r) =>
      r.childPid !== undefined ? this.registry.addPid(r.childPid) : null,
    );
  }

  /**
   * Runs `argv` (argv[0] looked up in PATH) in pod `podIndex`'s namespace and container cgroup
   * (default: one fixed per-pod container id shared by all raw processes of that pod).
   * stdio defaults to 'ignore'. Resolves once the process is inside its namespace and cgroup (or
   * has already exited).
   */
  async spawnRaw(podIndex: number, argv: readonly string[], opts: { container?: string; stdio?: StdioOptions } = {}): Promise<RawProcess> {
    this.assertLive();
    if (argv.length === 0) throw new Error('spawnRaw: empty argv');
    const containerId = opts.container ?? this.rawContainer[podIndex] ?? newContainerId();
    const cg = this.ensureContainerCgroup(podIndex, containerId);
    const child = spawn('/usr/bin/nsenter', this.podCommand(podIndex, cg, argv), { stdio: opts.stdio ?? 'ignore' });
    const pid = this.track(child, `raw ${argv[0]} in pod ${podIndex}`);
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    const rec = this.registry.resources.pids.find((r) => r.pid === pid);
    // 'spawn' fires before nsenter has entered the namespace: wait until the process sits in its
    // container cgroup (which the shell joins after setns), unless it already exited.
    const deadline = Date.now() + 5000;
    while (rec !== undefined && isAlive(rec) && !inCgroup(pid, cg)) {
      if (Date.now() > deadline) throw new Error(`spawnRaw: pid ${pid} did not reach ${cg.path}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    return {
      pid,
      containerId,
      child,
      stop: async () => {
        if (rec !== undefined) await terminateAll([rec]);
      },
    };
  }

  /** The v1 cpu cgroup used for CPU quotas: /sys/fs/cgroup/cpu/podsniff-test-<run>-q. */
  get quotaCgroupDir(): string {
    return `${CPU_V1_MOUNT}/${this.cgroupRoot}-q`;
  }

  private ensureQuota(quotaUs: number, periodUs: number): string {
    const dir = this.quotaCgroupDir;
    ensureCpuQuota(dir, quotaUs, periodUs, (d) => this.registry.add({ t: 'cgroup', dir: d, evict: true }));
    return dir;
  }

  /**
   * Sets the run's quota cgroup to `quotaUs` per `periodUs` (one quota per run: the last call wins)
   * and moves `pid` into it. Foreign pids found there at destroy() are moved back, not killed.
   */
  async moveToCpuQuota(pid: number, quotaUs: number, periodUs = 100_000): Promise<void> {
    this.assertLive();
    movePid(this.ensureQuota(quotaUs, periodUs), pid);
    return Promise.resolve();
  }

  /**
   * Starts `argv` (PATH lookup) with environment `env` already inside the quota cgroup from its
   * first instruction; stdio defaults to 'pipe'. The process is killed by destroy() if still running.
   */
  spawnThrottled(argv: readonly string[], env: NodeJS.ProcessEnv | undefined, quotaUs: number, opts: { periodUs?: number; stdio?: StdioOptions } = {}): ChildProcess {
    this.assertLive();
    if (argv.length === 0) throw new Error('spawnThrottled: empty argv');
    const dir = this.ensureQuota(quotaUs, opts.periodUs ?? 100_000);
    const child = spawn('/bin/sh', ['-c', ENTER_CGROUP, `${dir}/cgroup.procs`, ...argv], { env: env ?? process.env, stdio: opts.stdio ?? 'pipe' });
    this.track(child, `throttled ${argv[0]}`);
    return child;
  }

  /**
   * Kills every recorded process (SIGTERM, SIGKILL after 1 s; forked holder children included),
   * removes cgroup dirs bottom-up and deletes the namespaces, then the registry file. Idempotent;
   * never throws (problems are reported with console.warn and the registry file is kept).
   */
  destroy(): Promise<void> {
    this.destroying ??= (async () => {
      live.delete(this);
      try {
        const errors = await cleanupRun(this.registry.resources);
        if (errors.length > 0) console.warn(`SimNode ${this.run} destroy: ${errors.join('; ')}`);
      } catch (e) {
        console.warn(`SimNode ${this.run} destroy: ${String(e)}`);
      }
    })();
    return this.destroying;
  }

  /** Synchronous best-effort destroy (SIGKILL at once) for exit and signal handlers. */
  destroySync(): void {
    if (this.destroying !== null) return;
    this.destroying = Promise.resolve();
    live.delete(this);
    try {
      const errors = cleanupRunSync(this.registry.resources);
      if (errors.length > 0) console.warn(`SimNode ${this.run} destroySync: ${errors.join('; ')}`);
    } catch (e) {
      console.warn(`SimNode ${this.run} destroySync: ${String(e)}`);
    }
  }
}
