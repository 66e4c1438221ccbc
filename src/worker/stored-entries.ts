/**
 * The worker's entry sink: entries (and later their attribution updates) and packet chunks go into the
 * store in batches — one transaction per batch, at most `batchMs` after the first queued item — and
 * each stored entry is then published to subscribers (the WebSocket stream) with its cursor. An entry
 * is acknowledged once its batch is committed. An update to an entry still queued replaces it in the
 * queue. A store write that fails (disk full) drops that batch, counted and logged, never thrown.
 */
import type { EntryEvent, EntryEvents } from '../api/index.js';
import type { Entry, PacketChunk, StageLogger } from '../model/index.js';
import type { EntryStore } from '../store/index.js';

export interface StoredEntriesOptions {
  readonly store: EntryStore;
  readonly log: StageLogger;
  /** Items per transaction at most. Default 500 (about 20 ms of writing; the store is near its best rate there). */
  readonly batchMax?: number;
  /** Longest an item waits before its batch is written. Default 50 ms. */
  readonly batchMs?: number;
  /**
   * Keep the packets of connections whose calls had redacted fields (`--raw-pcap`). Without it, a
   * redacted entry's connection loses the packets already stored when the entry is (the capture side
   * withholds the rest; see PacketChunker). Default false.
   */
  readonly rawPcap?: boolean;
}

export class StoredEntries implements EntryEvents {
  private queue: Entry[] = [];
  private readonly queuedIds = new Map<string, number>();
  private packets: PacketChunk[] = [];
  private readonly listeners = new Set<(event: EntryEvent) => void>();
  private timer: NodeJS.Timeout | null = null;
  private writeFailures = 0;
  private lastFailureLog = 0;
  private readonly batchMax: number;
  private readonly batchMs: number;

  constructor(private readonly options: StoredEntriesOptions) {
    this.batchMax = options.batchMax ?? 500;
    this.batchMs = options.batchMs ?? 50;
  }

  /** Whether packets of redacted calls are kept. */
  get rawPcap(): boolean {
    return this.options.rawPcap ?? false;
  }

  add(entry: Entry): void {
    this.queuedIds.set(entry.id, this.queue.length);
    this.queue.push(entry);
    this.schedule();
  }

  /** An entry changed (its endpoints were resolved): replace it, queued or stored. */
  update(entry: Entry): void {
    const queued = this.queuedIds.get(entry.id);
    if (queued !== undefined) {
      this.queue[queued] = entry;
      return;
    }
    const cursor = this.write(() => this.options.store.update(entry));
    if (cursor !== null && cursor !== undefined) this.publish({ type: 'update', cursor, entry });
  }

  addPackets(chunk: PacketChunk): void {
    this.packets.push(chunk);
    this.schedule();
  }

  /** Write everything queued now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const entries = this.queue;
    const packets = this.packets;
    this.queue = [];
    this.packets = [];
    this.queuedIds.clear();
    if (packets.length) this.write(() => this.options.store.appendPacketChunks(packets));
    if (!entries.length) return;
    const cursors = this.write(() => this.options.store.insert(entries));
    if (!cursors) return;
    if (!this.rawPcap) this.dropSecretPackets(entries);
    for (let i = 0; i < entries.length; i++) this.publish({ type: 'entry', cursor: cursors[i]!, entry: entries[i]! });
  }

  subscribe(listener: (event: EntryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Batches the store refused (disk full, I/O error). */
  get failures(): number {
    return this.writeFailures;
  }

  /** Write what is queued and stop the timer. */
  close(): void {
    this.flush();
  }

  private dropSecretPackets(entries: readonly Entry[]): void {
    const secret = new Set(entries.filter((e) => e.redacted?.length).map((e) => e.connectionId));
    if (secret.size) this.write(() => this.options.store.dropConnectionPackets([...secret]));
  }

  private schedule(): void {
    if (this.queue.length + this.packets.length >= this.batchMax) return this.flush();
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.batchMs);
  }

  private write<T>(fn: () => T): T | null {
    try {
      return fn();
    } catch (err) {
      this.writeFailures++;
      if (Date.now() - this.lastFailureLog > 10_000) {
        this.lastFailureLog = Date.now();
        this.options.log.warn({ err, failures: this.writeFailures }, 'store write failed; entries of this batch are lost');
      }
      return null;
    }
  }

  private publish(event: EntryEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        this.listeners.delete(listener);
      }
    }
  }
}
