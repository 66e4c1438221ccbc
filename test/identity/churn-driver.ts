/**
 * The churn of test/identity/churn.test.ts: keeps a few short-lived processes alive in random pods of a
 * simulated node, each owning one unique TCP/UDP port and a few loopback connections to it, some
 * SIGKILLed mid-life. Records which process owned which port (the ground truth a scan is checked
 * against). Random choices come from the run's seed (test/support/seed.ts).
 */
import type { ChildProcess } from 'node:child_process';
import type { SimNode } from '../support/simnode.js';
import { randomInt, seededRandom } from '../support/seed.js';

/** Churn ports: unique per churn process, below the ephemeral range (32768+) and clear of the stable ports. */
export const CHURN_PORT_BASE = 20_000;
export const CHURN_PORT_LIMIT = 32_000;
/** Churn processes alive at once. Few enough that the scans under test still get CPU on one busy core. */
export const MIN_ALIVE = 5;
export const MAX_ALIVE = 10;
/** Share of churn processes that live long and are SIGKILLed by the driver after 0-300 ms. */
const KILL_SHARE = 0.15;

/**
 * A churn process: listens on tcp `port` (wildcard), binds udp loopback `port`, connects twice to its own
 * listener over loopback, accepts one of them (the other stays in the backlog), then lives `life` seconds.
 * Every socket it owns therefore has `port` as its local or remote port.
 */
const CHURN_PY = `
import socket, sys, time
port, fam, life = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
af = socket.AF_INET6 if fam == 6 else socket.AF_INET
lo = '::1' if fam == 6 else '127.0.0.1'
ls = socket.socket(af, socket.SOCK_STREAM)
ls.bind(('::' if fam == 6 else '0.0.0.0', port))
ls.listen(8)
us = socket.socket(af, socket.SOCK_DGRAM)
us.bind((lo, port))
c1 = socket.create_connection((lo, port))
c2 = socket.create_connection((lo, port))
a, _ = ls.accept()
time.sleep(life)
`;

/** Ground truth for one churn process: (pid, port) and where it lives. */
export interface ChurnProc {
  pid: number;
  port: number;
  pod: number;
  netns: number;
  netnsName: string;
  podUid: string;
  containerId: string;
}

export interface ChurnStats {
  started: number;
  exited: number;
  killed: number;
  maxAlive: number;
  driverErrors: string[];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Keeps MIN_ALIVE..MAX_ALIVE churn processes running until stopped. A port's owner is registered (as a
 * promise) before its process starts, so a check can wait for every spawn that began before its scan.
 */
export class ChurnDriver {
  readonly stats: ChurnStats = { started: 0, exited: 0, killed: 0, maxAlive: 0, driverErrors: [] };
  /** Port -> its process (null when the spawn failed). */
  readonly portOwner = new Map<number, Promise<ChurnProc | null>>();
  /** Pid -> every churn process that had it (pid_max is 32768: pids may come round again). */
  readonly byPid = new Map<number, ChurnProc[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly children = new Set<ChildProcess>();
  private readonly random = seededRandom('churn');
  private nextPort = CHURN_PORT_BASE;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private readonly rawContainers = new Set<string>();

  constructor(
    private readonly node: SimNode,
    /** Network namespace inode of each pod, by pod index. */
    private readonly netns: readonly number[],
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Container ids of churn processes (one per pod). */
  get containers(): ReadonlySet<string> {
    return this.rawContainers;
  }

  /** Settles once every spawn started so far has its pid recorded. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.portOwner.values()]);
  }

  /** Stop launching, SIGKILL what still runs (our children, by handle), wait for all of it. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
    for (const child of this.children) child.kill('SIGKILL');
    await Promise.race([Promise.allSettled([...this.inFlight]), sleep(10_000)]);
  }

  private async run(): Promise<void> {
    let target = randomInt(this.random, MIN_ALIVE, MAX_ALIVE);
    while (!this.stopping) {
      if (this.random() < 0.05) target = randomInt(this.random, MIN_ALIVE, MAX_ALIVE);
      while (this.inFlight.size < target && !this.stopping) {
        const job: Promise<void> = this.one().finally(() => this.inFlight.delete(job));
        this.inFlight.add(job);
        this.stats.maxAlive = Math.max(this.stats.maxAlive, this.inFlight.size);
      }
      await sleep(3);
    }
  }

  private async one(): Promise<void> {
    const port = this.nextPort++;
    if (port >= CHURN_PORT_LIMIT) {
      this.stopping = true;
      this.stats.driverErrors.push('ran out of churn ports');
      return;
    }
    const pod = randomInt(this.random, 0, this.netns.length - 1);
    const family = this.random() < 0.5 ? 4 : 6;
    const kill = this.random() < KILL_SHARE;
    const life = kill ? 30 : randomInt(this.random, 0, 300) / 1000;
    const killAfterMs = randomInt(this.random, 0, 300);
    let resolveOwner!: (p: ChurnProc | null) => void;
    this.portOwner.set(port, new Promise((resolve) => (resolveOwner = resolve)));
    let child: ChildProcess;
    try {
      this.stats.started++;
      const raw = await this.node.spawnRaw(pod, ['/usr/bin/python3', '-c', CHURN_PY, String(port), String(family), String(life)], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child = raw.child;
      const info = this.node.pod(pod);
      const proc: ChurnProc = { pid: raw.pid, port, pod, netns: this.netns[pod]!, netnsName: info.netns, podUid: info.uid, containerId: raw.containerId };
      this.rawContainers.add(raw.containerId);
      const list = this.byPid.get(raw.pid);
      if (list) list.push(proc);
      else this.byPid.set(raw.pid, [proc]);
      resolveOwner(proc);
    } catch (err) {
      resolveOwner(null);
      this.stats.driverErrors.push(`spawn of port ${port} in pod ${pod}: ${String(err)}`);
      return;
    }
    await this.live(child, port, kill ? killAfterMs : null);
  }

  /** Waits for a churn process to exit (SIGKILLing it after `killAfterMs` when given); records errors. */
  private async live(child: ChildProcess, port: number, killAfterMs: number | null): Promise<void> {
    this.children.add(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer =
      killAfterMs === null
        ? null
        : setTimeout(() => {
            // Our own child, by its handle: a no-op once it has been reaped, so never another process.
            if (child.kill('SIGKILL')) this.stats.killed++;
          }, killAfterMs);
    await exited(child);
    if (timer) clearTimeout(timer);
    this.children.delete(child);
    this.stats.exited++;
    if (child.exitCode !== 0 && child.signalCode !== 'SIGKILL') {
      this.stats.driverErrors.push(`churn process ${child.pid} (port ${port}) exited ${child.signalCode ?? child.exitCode}: ${stderr.trim()}`);
    }
  }
}
