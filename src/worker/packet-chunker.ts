/**
 * Groups captured frames by connection into `PacketChunk`s for the store's pcap export. A connection's
 * frames are encoded (copied) as nanosecond pcap records on arrival, so the caller's frame buffers may
 * be reused at once. A chunk is emitted when it reaches `chunkBytes`; when its connection ends or
 * completes an entry (so an entry's packets reach the store with it); when its link type changes; and
 * on `flushAll()` (called periodically, so a quiet long-lived connection's packets become exportable).
 * Memory is bounded: past `maxPendingBytes` held in total, everything pending is emitted.
 */
import { PcapWriter } from '../capture/index.js';
import { concatBytes, tsToMs, type ConnectionInfo, type Frame, type PacketChunk } from '../model/index.js';

export interface PacketChunkerOptions {
  readonly onChunk: (chunk: PacketChunk) => void;
  /** Bytes of records per chunk before it is emitted. Default 64 KiB. */
  readonly chunkBytes?: number;
  /** Bytes pending across all connections before everything is emitted. Default 16 MiB. */
  readonly maxPendingBytes?: number;
}

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
  private readonly chunkBytes: number;
  private readonly maxPendingBytes: number;

  constructor(private readonly options: PacketChunkerOptions) {
    this.chunkBytes = options.chunkBytes ?? 64 * 1024;
    this.maxPendingBytes = options.maxPendingBytes ?? 16 * 1024 * 1024;
  }

  /** File one frame under its connection. */
  add(frame: Frame, conn: ConnectionInfo): void {
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
