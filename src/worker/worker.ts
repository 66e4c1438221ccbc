/**
 * The worker composition root (also `podsniff local`): wires the HTTP API, the connection table, live
 * dissection or a file replay, the entry store and, for `local`, the dashboard.
 *
 * Start-up order is the point (DESIGN.md rule 1): the server listens with `/healthz` and `/readyz` before
 * anything heavy is imported or started; the logger, metrics, the store and the connection table
 * follow, and the first scan runs in the background in short slices. Readiness means "capture is
 * running" (or "the replay started", or with capture off "the API is up"); it never waits for the scan.
 */
import type { Server } from 'node:http';
import { AccessPolicy, ApiServer, EventLoopMonitor, loadMetrics, loadRoutes, registerConnectionRoutes, registerHealthRoutes, type WorkerMetrics } from '../api/index.js';
import type { ConnectionTable } from '../identity/index.js';
import type { StageLogger } from '../model/index.js';
import type { EntryStore } from '../store/index.js';
import type { LiveDissection } from './live-dissection.js';
import type { GuardLogger } from './crash-guard.js';
import type { SourceStatus } from './overview.js';
import type { StoredEntries } from './stored-entries.js';

/** Worker settings (flags of `podsniff worker` and `podsniff local`). */
export interface WorkerOptions {
  procfs: string;
  netnsDir: string;
  port: number;
  host: string;
  capture: boolean;
  /** Capture device (`any` for all interfaces) and optional BPF filter. */
  interface: string;
  bpf?: string;
  /** Also capture the worker's own API traffic (off by default: polling the API would feed itself). */
  captureSelf?: boolean;
  /** Read this capture file into the store instead of capturing live (no connection table). */
  replay?: string | null;
  /** Directory of the entry store; null or absent: a temporary store removed at stop. */
  dataDir?: string | null;
  /** Store retention: total bytes and age of entries. */
  storeMaxBytes?: number;
  storeMaxAgeMs?: number;
  /** Shown to dashboard users (`/api/v1/overview`), e.g. why a sample is replayed instead of live capture. */
  notice?: string | null;
  /** Serve the dashboard from this directory at `/`; null or absent: no dashboard. */
  dashboardDir?: string | null;
  logLevel: string;
  refreshIntervalMs: number;
  fullIntervalMs: number;
  sliceMs: number;
  /** A server the CLI already listens on (answering health while the rest loaded); adopted as it is. */
  server?: Server;
  /** DNS names accepted in Host and Origin besides IP literals and localhost (`--allow-host`). */
  allowHosts?: readonly string[];
  /** Bearer token every route but health requires (content of `--token-file`); null: none. */
  token?: string | null;
  /** Serve the pcap of calls whose fields were redacted (`--raw-pcap`). Default false. */
  rawPcap?: boolean;
  /** Names to redact besides the default headers (`--redact`); null: redact nothing (`--no-redact`). Default []. */
  redact?: readonly string[] | null;
  /** Log and count uncaught errors instead of dying (the CLI sets it; in-process tests do not). */
  guardProcess?: boolean;
}

/** A started worker. `stop()` resolves when the server is closed, scanning stopped and the store closed. */
export interface RunningWorker {
  port: number;
  /** Resolves when a replay has read its whole file (immediately when capturing live). */
  replayed: Promise<void>;
  stop(): Promise<void>;
}

interface Parts {
  server: ApiServer;
  log: StageLogger;
  metrics: WorkerMetrics;
  store: EntryStore;
  sink: StoredEntries;
  table: ConnectionTable | null;
}

/** Start a worker: listen first, then everything else. */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const server = new ApiServer({ adopt: options.server, access: new AccessPolicy({ allowHosts: options.allowHosts, token: options.token }) });
  const loop = new EventLoopMonitor();
  let started = false;
  let stopping = false;
  let capture: LiveDissection | null = null;
  const readiness = {
    ready: () => started && !stopping && (capture === null || capture.state().phase === 'running'),
    reason: () => (stopping ? 'shutting down' : !started ? 'starting' : (capture?.state().reason ?? 'starting')),
  };
  registerHealthRoutes(server, readiness, loop);
  const port = await server.listen(options.port, options.host);
  const cleanup: (() => void | Promise<void>)[] = [() => server.close(), () => loop.stop()];
  const runCleanup = async (): Promise<void> => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  };
  try {
    const { createLogger } = await import('./logger.js');
    const log = createLogger(options.logLevel);
    server.reportErrorsTo((err, path) => log.error({ err, path, code: 'E_INTERNAL' }, 'request failed'));
    const guard = options.guardProcess ? await guardProcess(log, (fn) => cleanup.push(fn)) : null;
    const tableStart = options.replay ? null : await startTable(options, log, (fn) => cleanup.push(fn));
    const table = tableStart?.table ?? null;
    const parts = await startStore(server, log, loop, tableStart, options, (fn) => cleanup.push(fn), (fn) => cleanup.unshift(fn));
    parts.metrics.registerHttp(() => server.counters());
    parts.metrics.registerUncaught(() => guard?.counters() ?? { exception: 0, rejection: 0 });
    if (table) registerConnectionRoutes(server, table);
    const source = await startSource(parts, options, port, (fn) => cleanup.push(fn));
    capture = source.capture;
    const { registerOverviewRoute } = await import('./overview.js');
    registerOverviewRoute(server, {
      mode: options.replay ? 'replay' : 'live',
      source: options.replay ?? options.interface,
      table,
      store: parts.store,
      notice: options.notice ?? null,
      rawPcap: options.rawPcap ?? false,
      ...source,
    });
    if (options.dashboardDir) {
      const { registerDashboard } = await loadRoutes();
      registerDashboard(server, options.dashboardDir);
    }
    started = true;
    log.info({ url: `http://${options.host}:${port}`, procfs: options.procfs, source: options.replay ?? options.interface, dataDir: options.dataDir ?? null }, 'worker listening');
    return {
      port,
      replayed: source.replayed,
      async stop() {
        stopping = true;
        await runCleanup();
        log.info({}, 'worker stopped');
      },
    };
  } catch (err) {
    await runCleanup();
    throw err;
  }
}

/** The connection table with its first scan started, and where its pass timings go once metrics exist. */
interface StartedTable {
  table: ConnectionTable;
  observePasses(metrics: WorkerMetrics): void;
}

async function startTable(options: WorkerOptions, log: StageLogger, onStop: (fn: () => void) => void): Promise<StartedTable> {
  const { ConnectionTable } = await import('../identity/index.js');
  let metrics: WorkerMetrics | null = null;
  const table = new ConnectionTable({
    procfs: options.procfs,
    netnsDir: options.netnsDir,
    sliceMs: options.sliceMs,
    refreshIntervalMs: options.refreshIntervalMs,
    fullIntervalMs: options.fullIntervalMs,
    log,
    onPass: (kind, ms, counters) => metrics?.observePass(kind, ms, counters),
  });
  table.start().catch((err: unknown) => log.warn({ err }, 'first scan failed; refreshes will retry'));
  onStop(() => table.stop());
  return { table, observePasses: (m) => (metrics = m) };
}

async function startStore(
  server: ApiServer,
  log: StageLogger,
  loop: EventLoopMonitor,
  started: StartedTable | null,
  options: WorkerOptions,
  onStop: (fn: () => void) => void,
  onStopLast: (fn: () => void) => void,
): Promise<Parts> {
  const [{ WorkerMetrics: Metrics }, { EntryStore }, { StoredEntries }, { registerEntryRoutes, registerServiceMapRoute, registerQueryRoutes }] = await Promise.all([
    loadMetrics(),
    import('../store/index.js'),
    import('./stored-entries.js'),
    loadRoutes(),
  ]);
  const table = started?.table ?? null;
  const metrics = new Metrics(table, loop);
  started?.observePasses(metrics);
  metrics.register(server);
  const store = EntryStore.open({ dir: options.dataDir ?? null, maxBytes: options.storeMaxBytes, maxAgeMs: options.storeMaxAgeMs });
  // Closed last: after the source stopped, the sink flushed and the server closed.
  onStopLast(() => store.close());
  // Age retention and returning freed pages happen here too, not only when something is inserted.
  const upkeep = setInterval(() => {
    try {
      store.maintain();
    } catch (err) {
      log.warn({ err }, 'store upkeep failed');
    }
  }, 1000);
  upkeep.unref();
  onStop(() => clearInterval(upkeep));
  const sink = new StoredEntries({ store, log, rawPcap: options.rawPcap ?? false });
  onStop(() => sink.close());
  metrics.registerStore(() => ({ ...store.stats(), writeFailures: sink.failures }));
  registerEntryRoutes(server, store, sink, { rawPcap: options.rawPcap ?? false });
  registerServiceMapRoute(server, store);
  registerQueryRoutes(server);
  return { server, log, metrics, store, sink, table };
}

/** The running source, and the live capture (null when replaying or not capturing). */
interface StartedSource extends SourceStatus {
  capture: LiveDissection | null;
}

async function startSource(parts: Parts, options: WorkerOptions, port: number, onStop: (fn: () => void | Promise<void>) => void): Promise<StartedSource> {
  const redact = options.redact === undefined ? [] : options.redact;
  if (options.replay) {
    const { startReplay } = await import('./replay.js');
    const { redactionPolicy } = await import('../correlate/index.js');
    const replay = await startReplay(options.replay, parts.sink, parts.log, `${Date.now().toString(36)}-`, redact ? redactionPolicy(redact) : null);
    onStop(() => replay.stop());
    return { replayed: replay.finished, replayProgress: () => replay.progress(), captureCounters: null, captureState: null, capture: null };
  }
  if (!options.capture || !parts.table) return { replayed: Promise.resolve(), replayProgress: null, captureCounters: null, captureState: null, capture: null };
  const { startLiveDissection } = await import('./live-dissection.js');
  const bpf = captureFilter({ ...options, port });
  const capture = await startLiveDissection({
    device: options.interface,
    bpf,
    table: parts.table,
    sink: parts.sink,
    log: parts.log,
    redact,
    onThreadDeath: options.guardProcess ? (err) => exitForLostCapture(err) : undefined,
  });
  onStop(() => capture.stop());
  parts.metrics.registerCapture(() => capture.counters());
  parts.server.get('/api/v1/capture', () => ({
    body: { device: options.interface, bpf, ...capture.state(), ...capture.counters(), store: parts.store.stats() },
  }));
  return { replayed: Promise.resolve(), replayProgress: null, captureCounters: () => capture.counters(), captureState: () => capture.state(), capture };
}

/**
 * The capture thread died (a bug, not a lost interface, which the thread retries itself): live capture
 * cannot come back in this process, since the libpcap binding loads in one thread per process. That
 * is lost state: exit with a clear line so the supervisor (kubelet, systemd) starts a fresh worker.
 */
function exitForLostCapture(err: Error): void {
  process.stderr.write(`podsniff: E_CAPTURE_FAILED: the capture thread died (${err.message}); exiting (code 70) so that a fresh process takes over\n`);
  process.exit(70);
}

/** Log and count what nothing caught instead of dying; exit only when state is lost (crash-guard.ts). */
async function guardProcess(log: GuardLogger, onStop: (fn: () => void) => void): Promise<{ counters(): { exception: number; rejection: number } }> {
  const { CrashGuard } = await import('./crash-guard.js');
  const guard = new CrashGuard(log);
  guard.install();
  onStop(() => guard.uninstall());
  return guard;
}

/**
 * The BPF filter the capture uses: the user's, without the worker's own API port unless asked for —
 * every poll of /api/v1/entries would otherwise become an entry, and a dashboard would feed itself.
 */
export function captureFilter(options: Pick<WorkerOptions, 'bpf' | 'captureSelf' | 'port'>): string | undefined {
  const user = options.bpf?.trim() || undefined;
  if (options.captureSelf) return user;
  const notSelf = `not tcp port ${options.port}`;
  return user ? `(${user}) and ${notSelf}` : notSelf;
}
