/**
 * A bounded ring of recent entries: the worker's in-memory `EntryFeed` (the durable store is a later
 * stage). Oldest entries fall out first. Cursors are assigned in arrival order starting at 1.
 * Listeners are called synchronously; a throwing listener is removed, never breaks the capture path.
 */
import type { Entry, EntryFeed, FeedEvent, FeedItem } from '../model/index.js';

export class EntryRing implements EntryFeed {
  private readonly items: (FeedItem | undefined)[];
  private next = 1;
  private readonly listeners = new Set<(event: FeedEvent) => void>();
  /** Entry id → cursor, for updates of entries still held. */
  private readonly byId = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {
    this.items = new Array<FeedItem | undefined>(capacity);
  }

  add(entry: Entry): FeedItem {
    const cursor = this.next++;
    const slot = cursor % this.capacity;
    const evicted = this.items[slot];
    if (evicted) this.byId.delete(evicted.entry.id);
    const item = { cursor, entry };
    this.items[slot] = item;
    this.byId.set(entry.id, cursor);
    this.publish({ type: 'entry', item });
    return item;
  }

  /** Replace a held entry (same id) and tell listeners. Entries already evicted are ignored. */
  update(entry: Entry): void {
    const cursor = this.byId.get(entry.id);
    if (cursor === undefined) return;
    const item = { cursor, entry };
    this.items[cursor % this.capacity] = item;
    this.publish({ type: 'update', item });
  }

  list(options: { after?: number; limit: number }): FeedItem[] {
    const newest = this.next - 1;
    const oldest = Math.max(1, this.next - this.capacity);
    const limit = Math.max(0, options.limit);
    const from = options.after === undefined ? Math.max(oldest, newest - limit + 1) : Math.max(oldest, options.after + 1);
    const to = Math.min(newest, from + limit - 1);
    const out: FeedItem[] = [];
    for (let c = from; c <= to; c++) out.push(this.items[c % this.capacity]!);
    return out;
  }

  subscribe(listener: (event: FeedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): { held: number; oldest: number | null; newest: number | null } {
    const newest = this.next - 1;
    if (newest === 0) return { held: 0, oldest: null, newest: null };
    const oldest = Math.max(1, this.next - this.capacity);
    return { held: newest - oldest + 1, oldest, newest };
  }

  private publish(event: FeedEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        this.listeners.delete(listener);
      }
    }
  }
}
