/**
 * Option and result shapes of the entry store. Plain data; the store owns nothing it returns (every
 * object and buffer is a fresh copy the caller may keep or change).
 */
import type { EntryListItem, EntryMatcher } from '../model/index.js';

/** How `EntryStore.open` places and bounds a store. */
export interface EntryStoreOptions {
  /** Data directory (created when missing); null → a private temp dir removed by `close()`. */
  readonly dir: string | null;
  /** Budget for entries' plus packets' stored bytes (default 1 GiB); oldest dropped first beyond it. */
  readonly maxBytes?: number;
  /** Entries and packet chunks inserted longer ago than this are dropped (default 24 h; insertion time). */
  readonly maxAgeMs?: number;
  /** Share of `maxBytes` packets may use at most (default 0.5); the oldest chunks go first beyond it. */
  readonly packetShare?: number;
  /** Packet record bytes kept per connection (default 4 MiB); later chunks are dropped and counted. */
  readonly maxPacketBytesPerConnection?: number;
  /** Wall clock in ms since the epoch (default `Date.now`); used for insertion times and age retention. */
  readonly clock?: () => number;
}

/**
 * A page request. Rows are read newest first (largest cursor first).
 * - `before`: only cursors < before (the next older page); `after`: only cursors > after (polling).
 * - `limit`: most items returned (1..10000).
 * - `scanBudget`: most rows a non-exact matcher may test (default 10000); SQL-decided rows are free.
 */
export interface ListQuery {
  readonly matcher?: EntryMatcher;
  readonly before?: number;
  readonly after?: number;
  readonly limit: number;
  readonly scanBudget?: number;
}

/**
 * A page: the `EntryPage` semantics of `model/api-types.ts` with the items under `items`.
 * `before` continues older (null when no older row is left in range), `after` is the newest cursor in
 * range when the page was read (poll with it), `complete` is false when a budget ran out first.
 */
export interface ListPage {
  readonly items: EntryListItem[];
  readonly before: number | null;
  readonly after: number | null;
  readonly complete: boolean;
}

/** One stored entry with its cursor. */
export interface StoredEntry<T> {
  readonly cursor: number;
  readonly entry: T;
}

/** A chunk of one connection's packets for pcap export (the model's contract; see model/packet-chunk.ts). */
export type { PacketChunk } from '../model/index.js';

/** Packets kept for one connection: records and their bytes (record headers included). */
export interface PacketStats {
  readonly count: number;
  readonly bytes: number;
}

/**
 * Store counters. `bytes` is what counts against `maxBytes` (entries + packets, estimated stored
 * bytes), `packetBytes` the packets' share. Drops: entries by size and by age; packets (not chunks)
 * dropped by the per-connection cap, a link-type mismatch or retention.
 */
export interface StoreStats {
  readonly entries: number;
  readonly bytes: number;
  readonly packetBytes: number;
  readonly oldestCursor: number | null;
  readonly newestCursor: number | null;
  readonly dropped: { readonly size: number; readonly age: number };
  readonly packetsDropped: number;
}
