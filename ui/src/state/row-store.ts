/**
 * The client's bounded buffer of table rows: entries sorted by cursor (ascending in memory, read newest
 * first), at most `capacity`, oldest dropped first. Appending the newest is O(1); in-place updates and
 * out-of-order inserts (gap fills, older pages) use binary search. Listeners are told after each batch.
 */
import type { EntryListItem } from '../types.js';

export const DEFAULT_CAPACITY = 100_000;

export class RowStore {
  /** Live rows are `rows[start..]`, ascending by cursor. */
  private rows: EntryListItem[] = [];
  private start = 0;
  private listeners = new Set<() => void>();
  /** Rows dropped because the buffer was full, since the last clear. */
  droppedOldest = 0;
  /** Bumped on every change, so views can tell whether to redraw. */
  version = 0;

  constructor(readonly capacity = DEFAULT_CAPACITY) {}

  get size(): number {
    return this.rows.length - this.start;
  }

  /** Row `i` counted from the newest (0) to the oldest (size-1). */
  at(i: number): EntryListItem | undefined {
    return i < 0 ? undefined : this.rows[this.rows.length - 1 - i];
  }

  get newestCursor(): number | null {
    return this.at(0)?.cursor ?? null;
  }

  get oldestCursor(): number | null {
    return this.at(this.size - 1)?.cursor ?? null;
  }

  /** Newest-first index of the row with `cursor`, or -1. */
  indexOf(cursor: number): number {
    const pos = this.search(cursor);
    return pos < this.rows.length && this.rows[pos]?.cursor === cursor ? this.rows.length - 1 - pos : -1;
  }

  /** Inserts or replaces rows (any order). */
  upsert(items: readonly EntryListItem[]): void {
    if (!items.length) return;
    for (const item of items) this.put(item);
    this.trim();
    this.changed();
  }

  clear(): void {
    this.rows = [];
    this.start = 0;
    this.droppedOldest = 0;
    this.changed();
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private put(item: EntryListItem): void {
    const last = this.rows[this.rows.length - 1];
    if (this.size === 0 || (last && item.cursor > last.cursor)) {
      this.rows.push(item);
      return;
    }
    const pos = this.search(item.cursor);
    if (this.rows[pos]?.cursor === item.cursor) this.rows[pos] = item;
    else if (pos > this.start || this.size < this.capacity) this.rows.splice(pos, 0, item);
  }

  /** First index in `rows[start..]` whose cursor is >= `cursor`. */
  private search(cursor: number): number {
    let lo = this.start;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.rows[mid]?.cursor ?? Infinity) < cursor) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private trim(): void {
    const excess = this.size - this.capacity;
    if (excess > 0) {
      this.droppedOldest += excess;
      this.start += excess;
    }
    if (this.start > this.capacity / 2 || (this.start > 0 && this.start === this.rows.length)) {
      this.rows = this.rows.slice(this.start);
      this.start = 0;
    }
  }

  private changed(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }
}
