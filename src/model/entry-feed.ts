/**
 * The live entry feed as the API sees it: a bounded, ordered window of recent entries with cursors,
 * and a subscription to what changes. Implemented by the worker; read by `api`.
 */
import type { Entry } from './entry.js';

/** An entry and its position in the feed. Cursors only grow; an updated entry keeps its cursor. */
export interface FeedItem {
  readonly cursor: number;
  readonly entry: Entry;
}

/** `entry`: a new entry; `update`: an entry already sent changed (its endpoints were resolved). */
export interface FeedEvent {
  readonly type: 'entry' | 'update';
  readonly item: FeedItem;
}

export interface EntryFeed {
  /** Items with cursor > `after` (oldest first), or the newest `limit` items when `after` is absent. */
  list(options: { after?: number; limit: number }): FeedItem[];
  /** Listen to new and updated entries; returns the unsubscribe function. */
  subscribe(listener: (event: FeedEvent) => void): () => void;
  /** Items held now, and the oldest cursor still held (null when empty). */
  stats(): { held: number; oldest: number | null; newest: number | null };
}
