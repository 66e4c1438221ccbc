/**
 * The worker's entry sink: entries (and later their attribution updates) and packet chunks go into the
 * store in batches — one transaction per batch, at most `batchMs` after the first queued item — and
 * each stored entry is then published to subscribers (the WebSocket stream) with its cursor. An entry
 * is acknowledged once its batch is committed. An update to an entry still queued replaces it in the
 * queue. A store write that fails (disk full) drops that batch, counted and logged, never thrown.
 *
 * Writes never run inside `add`: a full queue is written in slices of at most `batchMax` entries and
 * `MAX_PACKET_BYTES_PER_WRITE` of packets, each in its own turn of the event loop, so a probe waits for
 * one slice at most (under a flood at 0.25 CPU a whole queue written at once held the loop over a second).
 */
import type { EntryEvent, EntryEvents } from '../api/index.js';
import type { Entry, PacketChunk, StageLogger } from '../model/index.js';
import type { EntryStore } from '../store/index.js';

export interface StoredEntriesOptions {
  readonly store: EntryStore;
  readonly log: StageLogger;
  /** Entries (and packet chunks) per transaction at most. Default 200 (about 8 ms of writing, unthrottled). */
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

/** Longest `close()` writes before it gives up on what is left. */
const CLOSE_BUDGET_MS = 500;

/** Packet bytes per transaction at most. */
const MAX_PACKET_BYTES_PER_WRITE = 1024 * 1024;

/** A queued entry; `update` replaces the entry in its slot. */
interface Slot {
  entry: Entry;
}

export class StoredEntries implements EntryEvents {
  private queue: Slot[] = [];
  private readonly queuedIds = new Map<string, Slot>();
  private packets: PacketChunk[] = [];
  private packetBytes = 0;
  private readonly listeners = new Set<(event: EntryEvent) => void>();
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private writeFailures = 0;
  private lastFailureLog = 0;
  private readonly batchMax: number;
  private readonly batchMs: number;

  constructor(private readonly options: StoredEntriesOptions) {
    this.batchMax = options.batchMax ?? 200;
    this.batchMs = options.batchMs ?? 50;
  }

  /** Whether packets of redacted calls are kept. */
  get rawPcap(): boolean {
    return this.options.rawPcap ?? false;
  }

  add(entry: Entry): void {
    const slot = { entry };
    this.queuedIds.set(entry.id, slot);
    this.queue.push(slot);
    this.schedule();
  }

  /** An entry changed (its endpoints were resolved): replace it, queued or stored. */
  update(entry: Entry): void {
    const queued = this.queuedIds.get(entry.id);
    if (queued !== undefined) {
      queued.entry = entry;
      return;
    }
    const cursor = this.write(() => this.options.store.update(entry));
    if (cursor !== null && cursor !== undefined) this.publish({ type: 'update', cursor, entry });
  }

  addPackets(chunk: PacketChunk): void {
    this.packets.push(chunk);
    this.packetBytes += chunk.records.length;
    this.schedule();
  }

  /** Write everything queued now (in as many transactions as the slice bounds make). */
  flush(): void {
    this.cancel();
    while (this.queue.length || this.packets.length) this.writeSlice();
  }

  subscribe(listener: (event: EntryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Batches the store refused (disk full, I/O error). */
  get failures(): number {
    return this.writeFailures;
  }

  /**
   * Write what is queued, for at most `budgetMs` (shutdown must end within its deadline even when a flood
   * left a long queue on a throttled node), then stop; what could not be written is logged as lost.
   */
  close(budgetMs = CLOSE_BUDGET_MS): void {
    this.cancel();
    const deadline = performance.now() + budgetMs;
    while ((this.queue.length || this.packets.length) && performance.now() < deadline) this.writeSlice();
    if (this.queue.length || this.packets.length) {
      this.options.log.warn({ entries: this.queue.length, packetChunks: this.packets.length }, 'shutting down: these were not stored in time and are lost');
      this.queue = [];
      this.packets = [];
      this.packetBytes = 0;
      this.queuedIds.clear();
    }
  }

  private dropSecretPackets(entries: readonly Entry[]): void {
    const secret = new Set(entries.filter((e) => e.redacted?.length).map((e) => e.connectionId));
    if (secret.size) this.write(() => this.options.store.dropConnectionPackets([...secret]));
  }

  private schedule(): void {
    if (this.immediate) return;
    if (this.queue.length >= this.batchMax || this.packets.length >= this.batchMax || this.packetBytes >= MAX_PACKET_BYTES_PER_WRITE) {
      this.cancel();
      this.immediate = setImmediate(() => this.drain());
    } else if (!this.timer) this.timer = setTimeout(() => this.drain(), this.batchMs);
  }

  /** One slice now; the rest in later turns of the event loop. */
  private drain(): void {
    this.timer = null;
    this.immediate = null;
    this.writeSlice();
    if (this.queue.length || this.packets.length) this.immediate = setImmediate(() => this.drain());
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  /** Write the oldest `batchMax` entries and up to a slice of packets, then publish the entries. */
  private writeSlice(): void {
    const packets = this.takePackets();
    const entries = this.queue.splice(0, this.batchMax).map((slot) => slot.entry);
    for (const e of entries) this.queuedIds.delete(e.id);
    if (packets.length) this.write(() => this.options.store.appendPacketChunks(packets));
    if (!entries.length) return;
    const cursors = this.write(() => this.options.store.insert(entries));
    if (!cursors) return;
    if (!this.rawPcap) this.dropSecretPackets(entries);
    for (let i = 0; i < entries.length; i++) this.publish({ type: 'entry', cursor: cursors[i]!, entry: entries[i]! });
  }

  private takePackets(): PacketChunk[] {
    let n = 0;
    let bytes = 0;
    while (n < this.packets.length && n < this.batchMax && (n === 0 || bytes + this.packets[n]!.records.length <= MAX_PACKET_BYTES_PER_WRITE)) bytes += this.packets[n++]!.records.length;
    this.packetBytes -= bytes;
    return this.packets.splice(0, n);
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
