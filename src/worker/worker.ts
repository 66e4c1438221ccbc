/**
 * The worker composition root: wires the HTTP API to the connection table (and, later, capture).
 *
 * Start-up order is the point (DESIGN.md rule 1): the server listens with `/healthz` and `/readyz` before
 * anything heavy is imported or started; the logger, metrics and the connection table follow, and the
 * first scan runs in the background in short slices. Readiness never waits for the scan.
 */
import { ApiServer, EventLoopMonitor, loadMetrics, registerConnectionRoutes, registerHealthRoutes } from '../api/index.js';

/** Worker settings (flags of `podsniff worker`). */
export interface WorkerOptions {
  procfs: string;
  netnsDir: string;
  port: number;
  host: string;
  capture: boolean;
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
  const { WorkerMetrics } = await loadMetrics();
  let metrics: InstanceType<typeof WorkerMetrics> | null = null;
  const table = new ConnectionTable({
    procfs: options.procfs,
    netnsDir: options.netnsDir,
    sliceMs: options.sliceMs,
    refreshIntervalMs: options.refreshIntervalMs,
    fullIntervalMs: options.fullIntervalMs,
    log,
    onPass: (kind, ms, counters) => metrics?.observePass(kind, ms, counters),
  });
  metrics = new WorkerMetrics(table, loop);
  metrics.register(server);
  registerConnectionRoutes(server, table);
  ready = true;
  log.info({ url: `http://${options.host}:${port}`, procfs: options.procfs, capture: options.capture }, 'worker listening');

  table.start().catch((err: unknown) => log.warn({ err }, 'first scan failed; refreshes will retry'));

  return {
    port,
    async stop() {
      stopping = true;
      table.stop();
      await server.close();
      loop.stop();
      log.info({}, 'worker stopped');
    },
  };
}
