/**
 * The live feed controller: one WebSocket per applied filter feeding the row store, with pause (new rows
 * held back and counted), gap filling after `lagged` or a reconnect, and "load more" of older pages.
 */
import { fetchEntries, type ApiError } from '../api/client.js';
import { LiveStream, type StreamState } from '../api/stream.js';
import type { EntryListItem, StreamMessage } from '../types.js';
import { Observable } from './emitter.js';
import type { RowStore } from './row-store.js';

export const SNAPSHOT_LIMIT = 1000;
const PAGE_LIMIT = 1000;
const MAX_FILL_PAGES = 100;
const FLUSH_MS = 50;

export interface FeedState {
  readonly q: string;
  readonly phase: 'idle' | 'loading' | 'ready';
  readonly stream: StreamState;
  readonly paused: boolean;
  /** Rows held back while paused. */
  readonly pending: number;
  readonly hasOlder: boolean;
  readonly loadingOlder: boolean;
  /** The last older page stopped at the server's scan budget, not at the end. */
  readonly olderIncomplete: boolean;
  readonly error: ApiError | null;
}

const INITIAL: FeedState = {
  q: '',
  phase: 'idle',
  stream: 'closed',
  paused: false,
  pending: 0,
  hasOlder: false,
  loadingOlder: false,
  olderIncomplete: false,
  error: null,
};

export class LiveFeed {
  readonly state = new Observable<FeedState>(INITIAL);
  private stream: LiveStream | null = null;
  private incoming: EntryListItem[] = [];
  private held: EntryListItem[] = [];
  private flushTimer: number | undefined;
  private olderBefore: number | null = null;
  private generation = 0;
  private snapshots = 0;

  constructor(private readonly store: RowStore) {}

  /** Drops the rows and follows `q` from its newest entries. `q` must be valid. */
  setQuery(q: string): void {
    this.stream?.close();
    this.generation++;
    this.snapshots = 0;
    this.incoming = [];
    this.held = [];
    this.olderBefore = null;
    this.store.clear();
    this.state.set({ ...INITIAL, q, phase: 'loading', paused: this.state.get().paused });
    const gen = this.generation;
    this.stream = new LiveStream(q, SNAPSHOT_LIMIT, {
      message: (msg) => gen === this.generation && this.onMessage(msg),
      state: (stream) => gen === this.generation && this.state.set({ stream }),
    });
  }

  pause(): void {
    this.state.set({ paused: true });
  }

  resume(): void {
    const held = this.held;
    this.held = [];
    this.state.set({ paused: false, pending: 0 });
    this.store.upsert(held);
  }

  /** Empties the table; the stream goes on. */
  clear(): void {
    this.held = [];
    this.incoming = [];
    this.store.clear();
    this.state.set({ pending: 0, hasOlder: false, olderIncomplete: false });
  }

  async loadOlder(): Promise<void> {
    const s = this.state.get();
    if (s.loadingOlder) return;
    const gen = this.generation;
    this.state.set({ loadingOlder: true });
    try {
      const before = this.olderBefore ?? this.store.oldestCursor;
      const page = await fetchEntries({ q: s.q, limit: PAGE_LIMIT, before });
      if (gen !== this.generation) return;
      this.store.upsert(page.entries);
      this.olderBefore = page.before;
      this.state.set({ hasOlder: page.before !== null, olderIncomplete: !page.complete, error: null });
    } catch (err) {
      if (gen === this.generation) this.state.set({ error: err as ApiError });
    } finally {
      if (gen === this.generation) this.state.set({ loadingOlder: false });
    }
  }

  private onMessage(msg: StreamMessage): void {
    switch (msg.type) {
      case 'snapshot':
        return this.onSnapshot(msg.entries);
      case 'entry':
        return this.enqueue(msg.entry);
      case 'update':
        return this.onUpdate(msg.entry);
      case 'lagged':
        return void this.fill(msg.after ?? this.store.newestCursor);
    }
  }

  private onSnapshot(entries: readonly EntryListItem[]): void {
    const first = this.snapshots++ === 0;
    const newest = this.store.newestCursor;
    const oldestInSnapshot = entries.at(-1)?.cursor ?? null;
    if (!first && newest !== null && oldestInSnapshot !== null && oldestInSnapshot > newest) void this.fill(newest);
    this.store.upsert(entries);
    if (first) {
      this.olderBefore = entries.at(-1)?.cursor ?? null;
      this.state.set({ phase: 'ready', hasOlder: entries.length >= SNAPSHOT_LIMIT, error: null });
    }
  }

  private onUpdate(entry: EntryListItem): void {
    const heldAt = this.held.findIndex((e) => e.cursor === entry.cursor);
    if (heldAt >= 0) this.held[heldAt] = entry;
    else if (this.store.indexOf(entry.cursor) >= 0) this.store.upsert([entry]);
    else this.enqueue(entry);
  }

  private enqueue(entry: EntryListItem): void {
    this.incoming.push(entry);
    if (this.flushTimer === undefined) this.flushTimer = window.setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const batch = this.incoming;
    this.incoming = [];
    if (!this.state.get().paused) return this.store.upsert(batch);
    this.held.push(...batch);
    if (this.held.length > this.store.capacity) this.held.splice(0, this.held.length - this.store.capacity);
    this.state.set({ pending: this.held.length });
  }

  /** Fetches every entry newer than `after` (page by page) into the feed. */
  private async fill(after: number | null): Promise<void> {
    if (after === null) return;
    const gen = this.generation;
    let before: number | null = null;
    try {
      for (let i = 0; i < MAX_FILL_PAGES && gen === this.generation; i++) {
        const page = await fetchEntries({ q: this.state.get().q, limit: PAGE_LIMIT, after, before });
        if (gen !== this.generation) return;
        for (const e of page.entries) this.enqueue(e);
        if (page.before === null || page.before <= after || !page.entries.length) return;
        before = page.before;
      }
    } catch (err) {
      if (gen === this.generation) this.state.set({ error: err as ApiError });
    }
  }
}
