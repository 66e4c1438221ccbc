/**
 * Churn (DESIGN.md rule 4): processes exiting and starting during a scan cause no error and no wrong
 * attribution. A simulated node with stable socket holders (the ground truth that must come out right
 * every time) and a churn driver that keeps 10-20 short-lived processes alive in random pods, each owning
 * one unique TCP/UDP port and a few loopback connections to it, some SIGKILLed mid-life. Meanwhile the
 * node is scanned over and over, in-process (full scans, refreshes, background passes) and by the CLI;
 * every socket of a churn port must belong to the churn process that owned that port (or to nobody, once
 * it is gone), and no churn process may be given a socket it did not own.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionTable } from '../../src/identity/index.js';
import type { AttributedSocket, StageLogger } from '../../src/model/index.js';
import { SimNode, type Holder } from '../support/simnode.js';
import { expectAttributed, expectedSockets, findRecord, netnsInode, type ExpectedSocket } from '../helpers/expectations.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const PODS = 8;
/** Churn ports: unique per churn process, below the ephemeral range (32768+) and clear of the stable ports. */
const CHURN_PORT_BASE = 20_000;
const CHURN_PORT_LIMIT = 32_000;
const MIN_ALIVE = 10;
const MAX_ALIVE = 20;
/** Share of churn processes that live long and are SIGKILLed by the test after 0-300 ms. */
const KILL_SHARE = 0.15;
/** In-process rounds: a new table's first full scan, then refresh() and refresh(true) REFRESHES times each. */
const ROUNDS = 5;
const REFRESHES = 3;
const CLI_RUNS = 4;

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
interface ChurnProc {
  pid: number;
  port: number;
  pod: number;
  netns: number;
  netnsName: string;
  podUid: string;
  containerId: string;
}

interface ChurnStats {
  started: number;
  killed: number;
  maxAlive: number;
  driverErrors: string[];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function randomInt(lo: number, hi: number): number {
  return lo + Math.floor(Math.random() * (hi - lo + 1));
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function describeRecord(r: AttributedSocket): string {
  const owner = r.pid === null ? 'no owner' : `pid ${r.pid} fd ${r.fd} ${r.comm} container ${r.container?.id.slice(0, 12) ?? '-'} pod ${r.pod?.uid ?? '-'}`;
  return `${r.proto}${r.family} ${r.state} ${r.local.ip}:${r.local.port} -> ${r.remote.ip}:${r.remote.port} inode ${r.inode} netns ${r.netnsName ?? r.netns}: ${owner}${r.sharedWith.length ? ` shared with ${r.sharedWith.join(',')}` : ''}`;
}

/**
 * Keeps MIN_ALIVE..MAX_ALIVE churn processes running until stopped. A port's owner is registered (as a
 * promise) before its process starts, so a check can wait for every spawn that began before its scan.
 */
class ChurnDriver {
  readonly stats: ChurnStats = { started: 0, killed: 0, maxAlive: 0, driverErrors: [] };
  /** Port -> its process (null when the spawn failed). */
  readonly portOwner = new Map<number, Promise<ChurnProc | null>>();
  /** Pid -> every churn process that had it (pid_max is 32768: pids may come round again). */
  readonly byPid = new Map<number, ChurnProc[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly children = new Set<ChildProcess>();
  private nextPort = CHURN_PORT_BASE;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private readonly rawContainers = new Set<string>();

  constructor(
    private readonly node: SimNode,
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
    let target = randomInt(MIN_ALIVE, MAX_ALIVE);
    while (!this.stopping) {
      if (Math.random() < 0.05) target = randomInt(MIN_ALIVE, MAX_ALIVE);
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
    const pod = randomInt(0, PODS - 1);
    const family = Math.random() < 0.5 ? 4 : 6;
    const kill = Math.random() < KILL_SHARE;
    const life = kill ? 30 : randomInt(0, 300) / 1000;
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
    this.children.add(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let timer: NodeJS.Timeout | null = null;
    if (kill) {
      timer = setTimeout(() => {
        // Our own child, by its handle: a no-op once it has been reaped, so never another process.
        if (child.kill('SIGKILL')) this.stats.killed++;
      }, randomInt(0, 300));
    }
    await exited(child);
    if (timer) clearTimeout(timer);
    this.children.delete(child);
    if (child.exitCode !== 0 && child.signalCode !== 'SIGKILL') {
      this.stats.driverErrors.push(`churn process ${child.pid} (port ${port}) exited ${child.signalCode ?? child.exitCode}: ${stderr.trim()}`);
    }
  }
}

describe.skipIf(!SimNode.isRoot())('churn during scans', () => {
  let node: SimNode;
  let churn: ChurnDriver | null = null;
  const holders: Holder[] = [];
  let expected: ExpectedSocket[] = [];
  let podNetns: number[] = [];

  beforeAll(async () => {
    node = await SimNode.create({ pods: PODS, ipv6: true, name: 'churn' });
    podNetns = Array.from({ length: PODS }, (_, i) => netnsInode(node.pod(i).netns));
    const servers = Array.from({ length: PODS }, (_, i) => ({
      pod: i,
      spec: { listen: [{ ip: '127.0.0.1', port: 8080 }, { ip: '0.0.0.0', port: 9000 }], udpBind: [{ ip: '0.0.0.0', port: 5353 }] },
    }));
    holders.push(...(await node.spawnMany(servers)));
    const clients = Array.from({ length: PODS }, (_, i) => {
      const next = node.pod((i + 1) % PODS);
      return {
        pod: i,
        spec: {
          connect: [{ ip: next.ip4, port: 9000, count: 2 }, { ip: '127.0.0.1', port: 8080 }],
          udpConnect: [{ ip: next.ip4, port: 5353 }],
          loopbackPairs: 2,
          forkChild: i === 0,
        },
      };
    });
    holders.push(...(await node.spawnMany(clients)));
    expected = await expectedSockets(holders);
  }, 60_000);

  afterAll(async () => {
    await churn?.stop();
    await node?.destroy();
  }, 30_000);

  /** Churn-port records that came out attributed (to their right owner), over all checked scans. */
  let churnAttributed = 0;

  /** Everything wrong with one scan's records, as lines (empty when all is right). */
  async function violations(records: AttributedSocket[], driver: ChurnDriver): Promise<string[]> {
    await driver.settled();
    const out: string[] = [];
    const ours = new Set(podNetns);
    const churnPortOf = (r: AttributedSocket): number | null => {
      for (const port of [r.local.port, r.remote.port]) if (port >= CHURN_PORT_BASE && port < CHURN_PORT_LIMIT) return port;
      return null;
    };
    for (const r of records) {
      if (!ours.has(r.netns)) continue;
      const port = churnPortOf(r);
      if (port !== null && driver.portOwner.has(port)) {
        // A socket of a churn port: owned by that port's process, or by nobody.
        const owner = await driver.portOwner.get(port)!;
        if (r.pid !== null) {
          if (owner === null) out.push(`${describeRecord(r)}; its port's process never started`);
          else if (r.pid !== owner.pid || r.sharedWith.length) out.push(`${describeRecord(r)}; expected pid ${owner.pid} (owner of port ${port})`);
          else if (r.netns !== owner.netns || r.netnsName !== owner.netnsName || r.pod?.uid !== owner.podUid || r.container?.id !== owner.containerId) {
            out.push(`${describeRecord(r)}; expected netns ${owner.netnsName}, pod ${owner.podUid}, container ${owner.containerId.slice(0, 12)}`);
          } else if (r.fd === null) out.push(`${describeRecord(r)}; attributed without an fd`);
          else churnAttributed++;
        }
      } else if (r.container !== null && driver.containers.has(r.container.id)) {
        out.push(`${describeRecord(r)}; a churn container's record on no churn port`);
      }
    }
    // The other way round: a churn pid only ever owns sockets of its own port, in its own pod.
    for (const r of records) {
      for (const pid of r.pid === null ? [] : [r.pid, ...r.sharedWith]) {
        const procs = driver.byPid.get(pid);
        if (!procs) continue;
        const owned = procs.some((p) => p.netns === r.netns && (r.local.port === p.port || r.remote.port === p.port));
        if (!owned) out.push(`${describeRecord(r)}; pid ${pid} is churn process(es) ${procs.map((p) => `port ${p.port} in ${p.netnsName}`).join(', ')}`);
      }
    }
    return out;
  }

  /** Every stable socket attributed right, and nothing of the churn attributed wrongly. */
  async function check(records: AttributedSocket[], driver: ChurnDriver, what: string): Promise<void> {
    for (const e of expected) expectAttributed(findRecord(records, e), e);
    expect(await violations(records, driver), what).toEqual([]);
  }

  it('scans in-process and by the CLI with no error and no wrong attribution', async () => {
    const started = Date.now();
    const driver = new ChurnDriver(node, podNetns);
    churn = driver;
    driver.start();
    while (driver.stats.maxAlive < MIN_ALIVE) await sleep(10);
    await sleep(300);

    const warnings: string[] = [];
    // Pids whose reads were refused. As root that is only a process with more capabilities than ours
    // (pid 1 of some sandboxes); never one of the node's processes.
    const deniedPids = new Set<number>();
    const log: StageLogger = {
      debug: (obj) => {
        const { pid, kind } = obj as { pid?: number; kind?: string };
        if (kind === 'denied' && pid !== undefined) deniedPids.add(pid);
      },
      info() {},
      warn: (obj, msg) => warnings.push(`${msg ?? ''} ${JSON.stringify(obj)}`),
    };
    let passes = 0;
    let vanished = 0;
    let scans = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Background passes (a refresh 50 ms after each pass, a full one once 200 ms have gone by) interleave
      // with the explicit ones below.
      const t = new ConnectionTable({ sliceMs: 1, refreshIntervalMs: 50, fullIntervalMs: 200, log, onPass: () => passes++ });
      try {
        await t.whenScanned();
        await check(structuredClone(t.list()), driver, `round ${round}: first full scan`);
        scans++;
        for (let i = 0; i < REFRESHES; i++) {
          await t.refresh();
          await check(structuredClone(t.list()), driver, `round ${round}: refresh ${i}`);
          await t.refresh(true);
          await check(structuredClone(t.list()), driver, `round ${round}: full refresh ${i}`);
          scans += 2;
        }
        const status = t.status();
        expect(status.phase).toBe('idle');
        expect(status.totals.errors).toEqual({});
        expect(status.lastFullScan!.counters.errors).toEqual({});
        expect(status.totals.vanishedPids).toBeGreaterThanOrEqual(0);
        vanished += status.totals.vanishedPids;
      } finally {
        t.stop();
      }
    }
    expect(warnings).toEqual([]);
    const ownPids = new Set([...holders.flatMap((h) => [h.pid, h.childPid ?? h.pid]), ...driver.byPid.keys()]);
    expect([...deniedPids].filter((pid) => ownPids.has(pid)), 'reads refused for processes of the simulated node').toEqual([]);

    const cliVanished: number[] = [];
    for (let i = 0; i < CLI_RUNS; i++) {
      const result = await runCli(['scan', '--json'], { timeoutMs: 20_000 });
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      // Vanished pids are counted; refused reads may be (pid 1 of a sandbox); no other read error is allowed.
      const summary = /^podsniff scan: \d+ sockets shown, \d+ in \d+ namespaces, .+, \d+ ms, (\d+) vanished pids(, \d+ pids not readable \(run as root to attribute their sockets\))?$/.exec(lines[0]!);
      expect(summary, result.stderr).not.toBeNull();
      cliVanished.push(Number(summary![1]));
      await check(jsonLines<AttributedSocket>(result.stdout), driver, `CLI run ${i}`);
    }

    await driver.stop();
    expect(driver.stats.driverErrors).toEqual([]);
    expect(driver.stats.started).toBeGreaterThan(50);
    expect(churnAttributed, 'churn sockets seen attributed (else the churn checks proved nothing)').toBeGreaterThan(0);
    console.warn(
      `churn: ${driver.stats.started} processes (${driver.stats.killed} SIGKILLed, up to ${driver.stats.maxAlive} at once, ` +
        `${[...driver.byPid.values()].filter((l) => l.length > 1).length} pids reused); ${scans} in-process scans checked ` +
        `(${passes} passes in all, ${vanished} vanished pids counted, ${churnAttributed} churn-port records attributed), ${CLI_RUNS} CLI scans (vanished: ${cliVanished.join(', ')}); ` +
        `${Date.now() - started} ms`,
    );
  }, 50_000);
});
