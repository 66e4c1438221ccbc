/**
 * The node's live connection table: runs the first full scan in the background, keeps the table fresh
 * (refreshes of changed namespaces every `refreshIntervalMs`, a full pass every `fullIntervalMs`), and
 * answers lookups of unknown flows by reading only the namespaces that can own them.
 *
 * Lifecycle: `start()` schedules work and returns at once (a probe never waits for the scan);
 * `stop()` cancels the pass in flight at its next pause point. `list()` serves what is known so far,
 * also during the first scan (namespace by namespace).
 */
import { performance } from 'node:perf_hooks';
import type {
  AttributedSocket,
  ConnectionFilter,
  ConnectionService,
  FlowLookupResult,
  FlowQuery,
  ScanCounters,
  ScanStatus,
  StageLogger,
} from '../model/index.js';
import { isNamespaceLocalIp, isUnspecifiedIp, PodsniffError, plainIp, silentLogger } from '../model/index.js';
import { ProcfsReader } from '../procfs/index.js';
import { SliceExecutor, type ScanTask } from './executor.js';
import { NodeState, type NamespaceEntry } from './node-state.js';
import { newCounters, newProgress, type PassContext } from './pass-context.js';
import { fullPass, lookupPass, refreshPass } from './passes.js';
import { readEphemeralRange } from './ephemeral.js';
import { matchesFilter } from './filter.js';

/** Settings of a connection table. */
export interface ConnectionTableOptions {
  procfs?: string;
  /** A reader to use instead of one over `procfs` (tests inject races through it). */
  reader?: ProcfsReader;
  netnsDir?: string;
  /** Longest synchronous stretch of scan work, ms (default 4). */
  sliceMs?: number;
  /** Period of incremental refreshes, ms (default 2000). */
  refreshIntervalMs?: number;
  /** Period of full passes, ms (default 30000). */
  fullIntervalMs?: number;
  log?: StageLogger;
  /** Called after every pass with its kind, wall time and counters. */
  onPass?: (kind: 'full' | 'incremental' | 'lookup', durationMs: number, counters: ScanCounters) => void;
}

type PassKind = 'full' | 'incremental' | 'lookup';

interface PendingLookup {
  query: FlowQuery;
  resolve: (namespacesRead: number) => void;
  reject: (err: unknown) => void;
}

/** Live socket table of one node; implements the API's `ConnectionService`. */
export class ConnectionTable implements ConnectionService {
  private readonly state = new NodeState();
  private readonly reader: ProcfsReader;
  private readonly executor: SliceExecutor;
  private readonly options: Required<Omit<ConnectionTableOptions, 'onPass' | 'log' | 'procfs' | 'reader'>>;
  private readonly log: StageLogger;
  private readonly onPass: ConnectionTableOptions['onPass'];
  private readonly ephemeral: readonly [number, number];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private firstScan: Promise<void> | null = null;
  private lastFullStart = 0;
  private current: { kind: PassKind; ctx: PassContext } | null = null;
  private readonly pendingLookups: PendingLookup[] = [];
  private lookupQueued = false;
  private readonly stats: Omit<ScanStatus, 'phase' | 'pass' | 'progress' | 'table'> = {
    fullScans: 0,
    refreshes: 0,
    lookups: 0,
    lastFullScan: null,
    lastRefresh: null,
    totals: { vanishedPids: 0, deniedPids: 0, errors: {} },
  };

  constructor(options: ConnectionTableOptions = {}) {
    this.reader = options.reader ?? new ProcfsReader(options.procfs ?? '/proc');
    this.options = {
      netnsDir: options.netnsDir ?? '/run/netns',
      sliceMs: options.sliceMs ?? 4,
      refreshIntervalMs: options.refreshIntervalMs ?? 2000,
      fullIntervalMs: options.fullIntervalMs ?? 30000,
    };
    this.executor = new SliceExecutor(this.options.sliceMs);
    this.log = options.log ?? silentLogger;
    this.onPass = options.onPass;
    this.ephemeral = readEphemeralRange(this.reader.root);
  }

  /** Begin the first full scan (in the background) and the refresh schedule. */
  start(): Promise<void> {
    this.firstScan ??= this.runPass('full', (ctx) => fullPass(ctx)).then(
      () => this.schedule(),
      (err: unknown) => {
        if (this.stopped) return;
        this.schedule(); // later passes retry; the caller hears about this failure
        throw err;
      },
    );
    return this.firstScan;
  }

  /** Resolves when the first full scan has finished. */
  whenScanned(): Promise<void> {
    return this.start();
  }

  /** Run a refresh now (a full pass with `full`), after the pass in flight. Resolves when it is done. */
  async refresh(full = false): Promise<void> {
    await (full ? this.runPass('full', (ctx) => fullPass(ctx)) : this.runPass('incremental', (ctx) => refreshPass(ctx)));
  }

  /** Stop refreshing and cancel the pass in flight. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.executor.stop();
  }

  list(filter: ConnectionFilter = {}): AttributedSocket[] {
    const out: AttributedSocket[] = [];
    for (const record of this.state.allSockets()) if (matchesFilter(record, filter)) out.push(record);
    return out;
  }

  async lookup(query: FlowQuery): Promise<FlowLookupResult> {
    const started = performance.now();
    const known = this.match(query);
    if (known.local.length) return { ...known, source: 'table', namespacesRead: 0, elapsedMs: performance.now() - started };
    const namespacesRead = await this.queueLookup(query);
    const found = this.match(query);
    const source = found.local.length || found.peer.length ? 'rescan' : 'none';
    return { ...found, source, namespacesRead, elapsedMs: performance.now() - started };
  }

  /**
   * Queue `query` for the next lookup pass. Lookups that arrive before that pass starts share it, so a
   * burst of unknown flows costs one read of each namespace, not one per flow.
   */
  private queueLookup(query: FlowQuery): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.pendingLookups.push({ query, resolve, reject });
      if (this.lookupQueued) return;
      this.lookupQueued = true;
      // Start after the current microtasks, so lookups issued together in one turn share the pass.
      queueMicrotask(() => {
        this.runPass('lookup', (ctx) => this.lookupBatch(ctx), true).catch((err: unknown) => {
          this.lookupQueued = false;
          for (const waiting of this.pendingLookups.splice(0)) waiting.reject(err);
        });
      });
    });
  }

  private *lookupBatch(ctx: PassContext): ScanTask<number> {
    const batch = this.pendingLookups.splice(0);
    this.lookupQueued = false;
    try {
      const read = yield* lookupPass(ctx, batch.map((b) => b.query));
      for (const waiting of batch) waiting.resolve(read);
      return read;
    } catch (err) {
      for (const waiting of batch) waiting.reject(err);
      throw err;
    }
  }

  /**
   * Sockets bound to `ip:port` and not connected (TCP listeners, unconnected UDP): in namespace
   * `netns` when given, else in the namespaces that own `ip` by address (loopback and unspecified
   * addresses own nothing then, as every namespace has them). This names the server of a connection
   * whose accepted socket is already gone.
   */
  findBound(proto: 'tcp' | 'udp', ip: string, port: number, netns?: number): AttributedSocket[] {
    const out: AttributedSocket[] = [];
    const scope = netns !== undefined ? [this.state.namespaces.get(netns)].filter((ns) => ns !== undefined) : this.namespacesOwning(ip);
    const plain = plainIp(ip);
    for (const ns of scope) {
      for (const [file, table] of ns.tables) {
        if (!file.startsWith(proto)) continue;
        for (const r of table.values()) {
          const unconnected = r.remote.port === 0 && (proto === 'udp' ? r.state === 'UNCONN' : r.state === 'LISTEN');
          if (unconnected && r.local.port === port && (plainIp(r.local.ip) === plain || isUnspecifiedIp(r.local.ip))) out.push(r);
        }
      }
    }
    return out;
  }

  /** Inodes of the network namespaces that own the non-loopback address `ip`. */
  namespacesWithAddress(ip: string): number[] {
    return this.namespacesOwning(ip).map((ns) => ns.inode);
  }

  /** The lowest-pid socket owner of a namespace, or null: it names the namespace's pod. */
  anyOwnerIn(netns: number): AttributedSocket | null {
    const ns = this.state.namespaces.get(netns);
    let best: AttributedSocket | null = null;
    for (const table of ns?.tables.values() ?? []) {
      for (const r of table.values()) if (r.pid !== null && (best === null || r.pid < best.pid!)) best = r;
    }
    return best;
  }

  private namespacesOwning(ip: string): NamespaceEntry[] {
    const plain = plainIp(ip);
    if (isNamespaceLocalIp(plain)) return [];
    return [...this.state.namespaces.values()].filter((ns) => ns.addresses.has(plain) || ns.addresses.has(`::ffff:${plain}`));
  }

  status(): ScanStatus {
    const live = this.current;
    const phase = this.stopped ? 'stopped' : this.stats.fullScans > 0 ? 'idle' : live ? 'scanning' : 'starting';
    const processes = [...this.state.processes.values()].filter((p) => p.sockets.size > 0).length;
    return {
      phase,
      pass: live?.kind ?? null,
      progress: live ? { ...live.ctx.progress } : newProgress(),
      table: { sockets: this.state.sockets, namespaces: this.state.namespaces.size, processes },
      ...structuredClone(this.stats),
    };
  }

  private match(query: FlowQuery): { local: AttributedSocket[]; peer: AttributedSocket[] } {
    const inScope = (r: AttributedSocket): boolean => query.netns === undefined || r.netns === query.netns;
    const { local, remote } = query;
    return {
      local: this.state.findFlow(query.proto, local.ip, local.port, remote.ip, remote.port).filter(inScope),
      peer: this.state.findFlow(query.proto, remote.ip, remote.port, local.ip, local.port),
    };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const full = performance.now() - this.lastFullStart >= this.options.fullIntervalMs;
      const pass = full ? this.runPass('full', (ctx) => fullPass(ctx)) : this.runPass('incremental', (ctx) => refreshPass(ctx));
      pass.then(
        () => this.schedule(),
        (err: unknown) => {
          if (this.stopped) return;
          this.log.warn({ err }, 'connection table refresh failed; retrying at the next interval');
          this.schedule();
        },
      );
    }, this.options.refreshIntervalMs);
    this.timer.unref();
  }

  private async runPass<T>(kind: PassKind, make: (ctx: PassContext) => ScanTask<T>, urgent = false): Promise<T> {
    if (this.stopped) throw new PodsniffError('E_SCAN_CANCELLED', 'the connection table is stopped');
    const ctx: PassContext = {
      reader: this.reader,
      state: this.state,
      netnsDir: this.options.netnsDir,
      ephemeral: this.ephemeral,
      log: this.log,
      counters: newCounters(),
      progress: newProgress(),
      vanished: new Set(),
      denied: new Set(),
    };
    const task = this.tracked(kind, ctx, make(ctx));
    return urgent ? this.executor.submitUrgent(task) : this.executor.submit(task);
  }

  /** Wrap a pass so that status shows it while it runs and its figures are recorded when it ends. */
  private *tracked<T>(kind: PassKind, ctx: PassContext, task: ScanTask<T>): ScanTask<T> {
    const previous = this.current;
    this.current = { kind, ctx };
    const wallStart = performance.now();
    const cpuStart = process.cpuUsage();
    if (kind === 'full') this.lastFullStart = wallStart;
    try {
      const result = yield* task;
      this.record(kind, ctx.counters, performance.now() - wallStart, process.cpuUsage(cpuStart), result);
      return result;
    } finally {
      this.current = previous;
    }
  }

  private record(kind: PassKind, counters: ScanCounters, durationMs: number, cpu: NodeJS.CpuUsage, result: unknown): void {
    const totals = this.stats.totals;
    totals.vanishedPids += counters.vanishedPids;
    totals.deniedPids += counters.deniedPids;
    for (const [code, n] of Object.entries(counters.errors)) totals.errors[code] = (totals.errors[code] ?? 0) + n;
    const finishedAt = new Date().toISOString();
    if (kind === 'full') {
      this.stats.fullScans++;
      const cpuMs = (cpu.user + cpu.system) / 1000;
      this.stats.lastFullScan = { durationMs, cpuMs, finishedAt, counters };
      const level = this.stats.fullScans === 1 ? 'info' : 'debug';
      this.log[level]({ durationMs: Math.round(durationMs), cpuMs: Math.round(cpuMs), ...counters }, 'full scan finished');
    } else if (kind === 'incremental') {
      this.stats.refreshes++;
      this.stats.lastRefresh = { durationMs, finishedAt, changedNamespaces: typeof result === 'number' ? result : 0 };
    } else {
      this.stats.lookups++;
    }
    this.onPass?.(kind, durationMs, counters);
  }
}
