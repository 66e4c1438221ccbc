/** The worker/hub HTTP API: health, metrics, connections, and (loaded on demand) the store-backed routes. Sees only `model`, `store` and `query`. */
export { ApiServer, HttpError, type Handler, type Reply, type UpgradeHandler, type HttpCounters, type RequestTarget, type ApiServerOptions } from './http-server.js';
export { AccessPolicy, type AccessOptions, TOKEN_COOKIE } from './access.js';
export { createLimitedServer } from './server-limits.js';
export { registerHealthRoutes, EventLoopMonitor, type ReadinessSource } from './health.js';
export { registerConnectionRoutes, parseFilter, parseFlow } from './connections.js';

import type * as MetricsModuleNs from './metrics.js';
type MetricsModule = typeof MetricsModuleNs;

/** Load the metrics module on demand: prom-client is imported after the server listens. */
export const loadMetrics = (): Promise<MetricsModule> => import('./metrics.js');
export type { WorkerMetrics, StoreCounters } from './metrics.js';

import type * as RoutesModuleNs from './routes.js';
/** Load the store-backed routes on demand: `ws` and the filter compiler are imported after the server listens. */
export const loadRoutes = (): Promise<typeof RoutesModuleNs> => import('./routes.js');
export type { EntryEvent, EntryEvents, EntryIndex, EntryListQuery, EntryListResult } from './entry-source.js';
