/**
 * The worker composition root: wires the HTTP API to the connection table and live dissection.
 *
 * Start-up order is the point (DESIGN.md rule 1): the server listens with `/healthz` and `/readyz` before
 * anything heavy is imported or started; the logger, metrics and the connection table follow, and the
 * first scan runs in the background in short slices. Readiness means "capture is running" (or, with
 * capture off, "the API is up"); it never waits for the scan.
 */
import { ApiServer, EventLoopMonitor, loadEntryRoutes, loadMetrics, registerConnectionRoutes, registerHealthRoutes, type WorkerMetrics } from '../api/index.js';
import type { ConnectionTable } from '../identity/index.js';
import type { StageLogger } from '../model/index.js';

/** Worker settings (flags of `podsniff worker`). */
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
  /** Entries kept in memory for the API. */
  entryLimit?: number;
  logLevel: string;
  refreshIntervalMs: number;
  fullIntervalMs: number;
  sliceMs: number;
}

/** A started worker. `stop()` resolves when the server is closed and scanning has stopped. */
export interface RunningWorker {
  port: number;
  stop(): Promise<void>;
}

/** Start a worker: listen first, then everything else. */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const server = new ApiServer();
  const loop = new EventLoopMonitor();
  let ready = false;
  let stopping = false;
  registerHealthRoutes(
    server,
    { ready: () => ready && !stopping, reason: () => (stopping ? 'shutting down' : 'starting') },
    loop,
  );
  const port = await server.listen(options.port, options.host);

  const { createLogger } = await import('./logger.js');
  const log = createLogger(options.logLevel);
  server.reportErrorsTo((err, path) => log.warn({ err, path }, 'request failed'));
  const { ConnectionTable } = await import('../identity/index.js');
  const { WorkerMetrics: Metrics } = await loadMetrics();
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
  metrics = new Metrics(table, loop);
  metrics.register(server);
  registerConnectionRoutes(server, table);
  table.start().catch((err: unknown) => log.warn({ err }, 'first scan failed; refreshes will retry'));

  let live: { stop(): Promise<void> } | null = null;
  if (options.capture) {
    try {
      live = await startCapture(server, table, metrics, log, { ...options, port });
    } catch (err) {
      table.stop();
      await server.close();
      loop.stop();
      throw err;
    }
  }
  ready = true;
  const capture = options.capture ? { device: options.interface, bpf: options.bpf ?? null } : false;
  log.info({ url: `http://${options.host}:${port}`, procfs: options.procfs, capture }, 'worker listening');

  return {
    port,
    async stop() {
      stopping = true;
      await live?.stop();
      table.stop();
      await server.close();
      loop.stop();
      log.info({}, 'worker stopped');
    },
  };
}

/** Open the capture and serve its entries; throws the capture's error (no device, permission, filter). */
async function startCapture(
  server: ApiServer,
  table: ConnectionTable,
  metrics: WorkerMetrics,
  log: StageLogger,
  options: WorkerOptions,
): Promise<{ stop(): Promise<void> }> {
  const [{ startLiveDissection }, { EntryRing }, { registerEntryRoutes }] = await Promise.all([
    import('./live-dissection.js'),
    import('./entry-ring.js'),
    loadEntryRoutes(),
  ]);
  const ring = new EntryRing(options.entryLimit ?? 10_000);
  const bpf = captureFilter(options);
  const live = await startLiveDissection({ device: options.interface, bpf, table, ring, log });
  registerEntryRoutes(server, ring);
  metrics.registerCapture(() => live.counters());
  server.get('/api/v1/capture', () => ({ body: { device: options.interface, bpf, linkType: live.linkType, ...live.counters(), feed: ring.stats() } }));
  return live;
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
