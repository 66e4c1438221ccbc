/** Shared types of every podsniff stage. Imports nothing; everything else may import it. */
export * from './socket.js';
export * from './scan.js';
export * from './errors.js';
export * from './ip.js';
export * from './log.js';
export * from './time.js';
export * from './frame.js';
export * from './flow.js';
export * from './anomaly.js';
export * from './body.js';
export * from './messages.js';
export * from './entry.js';
export * from './entry-feed.js';
export * from './capture-stats.js';
export * from './query-pushdown.js';
export * from './api-types.js';
