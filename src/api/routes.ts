/**
 * The routes over the entry store, loaded after the server listens (they pull in `ws` and the filter
 * compiler): entries and their pcap, the WebSocket stream, the service map, filter checks, and the
 * dashboard's static files.
 */
export { registerEntryRoutes, STREAM_BUFFER_LIMIT } from './entries.js';
export { registerServiceMapRoute, buildServiceMap, percentiles } from './servicemap.js';
export { registerQueryRoutes } from './query-routes.js';
export { registerDashboard } from './static.js';
