/**
 * What the entry routes read: the store's queries (`EntryIndex`, implemented by `store/EntryStore`) and
 * the live event bus the composition root feeds after each store insert (`EntryEvents`). Kept as
 * interfaces so the routes can be tested against any implementation.
 */
import type { Entry, EntryListItem, EntryMatcher } from '../model/index.js';

/** A page query: newest first; see `EntryPage` for the meaning of the cursors. */
export interface EntryListQuery {
  readonly matcher?: EntryMatcher;
  readonly before?: number;
  readonly after?: number;
  readonly limit: number;
  readonly scanBudget?: number;
}

export interface EntryListResult {
  readonly items: EntryListItem[];
  readonly before: number | null;
  readonly after: number | null;
  readonly complete: boolean;
}

/** The store's read side. Every call is synchronous and bounded in time. */
export interface EntryIndex {
  list(query: EntryListQuery): EntryListResult;
  get(id: string): { cursor: number; entry: Entry } | null;
  packetStats(connectionId: string): { count: number; bytes: number } | null;
  exportPcap(connectionId: string): Buffer | null;
  /** True when an entry of the connection had redacted fields (its packets hold them in clear). */
  connectionRedacted(connectionId: string): boolean;
}

/** A stored entry that is new (`entry`) or changed (`update`: its endpoints were resolved). */
export interface EntryEvent {
  readonly type: 'entry' | 'update';
  readonly cursor: number;
  readonly entry: Entry;
}

export interface EntryEvents {
  /** Listen to stored entries; returns the unsubscribe function. Listeners run synchronously. */
  subscribe(listener: (event: EntryEvent) => void): () => void;
}
