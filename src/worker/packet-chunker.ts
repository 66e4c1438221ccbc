/**
 * Groups captured frames by connection into `PacketChunk`s for the store's pcap export. A connection's
 * frames are encoded (copied) as nanosecond pcap records on arrival, so the caller's frame buffers may
 * be reused at once. A chunk is emitted when it reaches `chunkBytes`; when its connection ends or
 * completes an entry (so an entry's packets reach the store with it); when its link type changes; and
 * on `flushAll()` (called periodically, so a quiet long-lived connection's packets become exportable).
 * Memory is bounded: past `maxPendingBytes` held in total, everything pending is emitted.
 *
 * Secrets: without `rawPcap`, a connection that completes an entry whose fields were redacted has its
 * pending packets discarded and every later one ignored until it ends (`entryDone`), so the clear-text
 * secret never goes to the store; chunks emitted before that entry completed are removed by the store
 * (StoredEntries). Remembered for at most `MAX_WITHHELD` connections at once (oldest forgotten).
 */
import { PcapWriter } from '../capture/index.js';
import { concatBytes, tsToMs, type ConnectionInfo, type Entry, type Frame, type PacketChunk } from '../model/index.js';

export interface PacketChunkerOptions {
  readonly onChunk: (chunk: PacketChunk) => void;
  /** Bytes of records per chunk before it is emitted. Default 64 KiB. */
  readonly chunkBytes?: number;
  /** Bytes pending across all connections before everything is emitted. Default 16 MiB. */
  readonly maxPendingBytes?: number;
  /** Keep the packets of connections whose entries had redacted fields (`--raw-pcap`). Default true. */
  readonly rawPcap?: boolean;
}

/** Connections whose packets are withheld, remembered at most. */
const MAX_WITHHELD = 65_536;

interface Pending {
  linkType: number;
  records: Uint8Array[];
  bytes: number;
  firstTsMs: number;
  lastTsMs: number;
}

export class PacketChunker {
  private readonly writers = new Map<number, PcapWriter>();
  private readonly pending = new Map<string, Pending>();
  private pendingBytes = 0;
  private readonly withheld = new Set<string>();
  private readonly chunkBytes: number;
  private readonly maxPendingBytes: number;

  constructor(private readonly options: PacketChunkerOptions) {
    this.chunkBytes = options.chunkBytes ?? 64 * 1024;
    this.maxPendingBytes = options.maxPendingBytes ?? 16 * 1024 * 1024;
  }

  /** File one frame under its connection. */
  add(frame: Frame, conn: ConnectionInfo): void {
    if (this.withheld.has(conn.id)) return;
    const record = this.writerFor(frame.linkType).record(frame);
    const ms = tsToMs(frame.ts);
    let p = this.pending.get(conn.id);
    if (p && p.linkType !== frame.linkType) {
      this.emit(conn.id, p);
      p = undefined;
    }
    if (!p) {
      p = { linkType: frame.linkType, records: [], bytes: 0, firstTsMs: ms, lastTsMs: ms };
      this.pending.set(conn.id, p);
    }
    p.records.push(record);
    p.bytes += record.length;
    p.lastTsMs = ms;
    this.pendingBytes += record.length;
    if (p.bytes >= this.chunkBytes) this.emit(conn.id, p);
    if (this.pendingBytes > this.maxPendingBytes) this.flushAll();
  }

  /** Emit what `conn` has pending: when it ends, and when it completes an entry (so the entry's packets are stored with it). */
  flush(conn: ConnectionInfo): void {
    const p = this.pending.get(conn.id);
    if (p) this.emit(conn.id, p);
  }

  /** `conn` completed `entry`: emit its packets, or withhold them for good when they hold redacted secrets. */
  entryDone(conn: ConnectionInfo, entry: Entry): void {
    if (this.options.rawPcap === false && entry.redacted?.length) this.withhold(conn.id);
    else this.flush(conn);
  }

  /** `conn` ended: emit what it has pending and forget it. */
  end(conn: ConnectionInfo): void {
    this.flush(conn);
    this.withheld.delete(conn.id);
  }

  private withhold(connectionId: string): void {
    const p = this.pending.get(connectionId);
    if (p) {
      this.pending.delete(connectionId);
      this.pendingBytes -= p.bytes;
    }
    if (this.withheld.size >= MAX_WITHHELD) this.withheld.delete(this.withheld.values().next().value!);
    this.withheld.add(connectionId);
  }

  /** Emit every pending chunk. */
  flushAll(): void {
    for (const [id, p] of this.pending) this.emit(id, p);
  }

  private emit(connectionId: string, p: Pending): void {
    this.pending.delete(connectionId);
    this.pendingBytes -= p.bytes;
    const records = concatBytes(p.records, p.bytes);
    this.options.onChunk({ connectionId, linkType: p.linkType, count: p.records.length, firstTsMs: p.firstTsMs, lastTsMs: p.lastTsMs, records });
  }

  private writerFor(linkType: number): PcapWriter {
    let w = this.writers.get(linkType);
    if (!w) {
      w = new PcapWriter({ linkType, resolution: 'ns' });
      this.writers.set(linkType, w);
    }
    return w;
  }
}
