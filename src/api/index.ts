/** The worker/hub HTTP API: health, metrics, connections. Sees only `model` interfaces. */
export { ApiServer, HttpError, type Handler, type Reply, type UpgradeHandler } from './http-server.js';
export { registerHealthRoutes, EventLoopMonitor, type ReadinessSource } from './health.js';
export { registerConnectionRoutes, parseFilter, parseFlow } from './connections.js';

import type * as MetricsModuleNs from './metrics.js';
type MetricsModule = typeof MetricsModuleNs;

/** Load the metrics module on demand: prom-client is imported after the server listens. */
export const loadMetrics = (): Promise<MetricsModule> => import('./metrics.js');
export type { WorkerMetrics, StoreCounters } from './metrics.js';

import type * as EntriesModuleNs from './entries.js';
/** Load the entry routes on demand: `ws` is imported after the server listens. */
export const loadEntryRoutes = (): Promise<typeof EntriesModuleNs> => import('./entries.js');
export type { EntryEvent, EntryEvents, EntryIndex, EntryListQuery, EntryListResult } from './entry-source.js';
