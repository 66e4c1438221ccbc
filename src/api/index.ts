/** The worker/hub HTTP API: health, metrics, connections. Sees only `model` interfaces. */
export { ApiServer, HttpError, type Handler, type Reply } from './http-server.js';
export { registerHealthRoutes, EventLoopMonitor, type ReadinessSource } from './health.js';
export { registerConnectionRoutes, parseFilter, parseFlow } from './connections.js';

import type * as MetricsModuleNs from './metrics.js';
type MetricsModule = typeof MetricsModuleNs;

/** Load the metrics module on demand: prom-client is imported after the server listens. */
export const loadMetrics = (): Promise<MetricsModule> => import('./metrics.js');
export type { WorkerMetrics } from './metrics.js';
