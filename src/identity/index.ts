/**
 * The connection table: (netns, proto, 4-tuple) -> process / container / pod, built by one linear pass over
 * procfs, kept fresh incrementally, with on-demand lookups of unknown flows.
 */
export { ConnectionTable, type ConnectionTableOptions } from './connection-table.js';
export { SliceExecutor, SAFE_POINT, type ScanTask, type Pause } from './executor.js';
export { matchesFilter } from './filter.js';
export { DEFAULT_EPHEMERAL, readEphemeralRange } from './ephemeral.js';
