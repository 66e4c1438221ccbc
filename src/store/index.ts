/**
 * The entry store: a bounded, durable store of entries (and of the packets behind them) in one SQLite
 * file per data dir. `EntryStore` is the only way in; everything else here is its implementation.
 * Imports only `model`.
 */
export {
  EntryStore,
  DEFAULT_MAX_AGE_MS,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_PACKET_BYTES_PER_CONNECTION,
} from './entry-store.js';
export { DEFAULT_LIST_LIMITS, DEFAULT_SCAN_BUDGET, MAX_LIMIT } from './list.js';
export type { ListLimits } from './list-types.js';
export { STORE_FILE, SCHEMA_VERSION } from './schema.js';
export { slicePcap } from './pcap.js';
export type {
  EntryStoreOptions,
  ListPage,
  ListQuery,
  PacketChunk,
  PacketStats,
  StoreStats,
  StoredEntry,
} from './types.js';
