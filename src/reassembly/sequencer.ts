/**
 * The byte-level half of reassembly: turns one direction's segments into in-order `onData` calls and
 * explicit `onGap`s, and enforces the out-of-order memory caps. Owned by an `Assembler`.
 *
 * - In-order payload (the common case) is passed to `onData` as the caller's subarray, uncopied.
 * - Bytes before `nextSeq` (retransmissions, overlaps) are trimmed; only buffered data is compared, so
 *   a retransmission that differs from bytes already delivered is not detected (conflicts are counted
 *   when bytes overlap buffered, not yet delivered, data).
 * - Segments ahead of `nextSeq` are copied into the half's buffer.
 * - A gap is declared (skip to the earliest buffered byte, `onGap` with the skipped count) when a cap is
 *   exceeded, when the peer acknowledges bytes the capture never showed, or when the connection ends.
 *
 * Handler exceptions propagate to the caller. State is updated before each handler call, so the
 * assembler stays consistent; work left undone by the throw (more buffered segments to drain) is
 * picked up by the connection's next packet or its end.
 */
import type { Direction, Timestamp } from '../model/index.js';
import type { Connection } from './connection.js';
import type { HalfStream } from './half-stream.js';
import type { AssemblerStats } from './types.js';

/** An ACK further ahead than this is not believed (it cannot be a real window). */
const MAX_ACK_JUMP = 1 << 30;

/** Per-direction delivery and memory caps for all connections of one assembler (see the module comment). */
export class Sequencer {
  /** Connections holding buffered bytes (to find the largest when the global cap is hit). */
  private readonly buffering = new Set<Connection>();

  constructor(
    private readonly stats: AssemblerStats,
    private readonly maxPerConnection: number,
    private readonly maxTotal: number,
  ) {}

  /**
   * Handles `payload` at sequence `seq` in direction `dir`; `cut` more bytes followed it on the wire but
   * were not captured (they become a gap when reached in order).
   */
  data(c: Connection, dir: Direction, seq: number, payload: Uint8Array, cut: number, ts: Timestamp): void {
    const h = c.halves[dir];
    const rel = h.rel(seq);
    const len = payload.length;
    if (rel > 0) {
      if (len > 0) this.buffer(c, dir, h, seq, payload, ts);
      // In order already only when an earlier handler call threw before draining.
      if (h.hasBuffered() && h.rel(h.segs![0]!.seq) <= 0) this.drain(c, dir);
      return;
    }
    const skip = -rel;
    if (skip < len) {
      const p = skip === 0 ? payload : payload.subarray(skip);
      if (h.segs !== null && h.segs.length > 0) this.stats.overlapConflicts += h.conflictsWith(p);
      h.advance(p.length);
      this.stats.bytesDelivered += p.length;
      c.handler.onData(dir, p, ts);
    }
    if (cut > 0 && skip < len + cut) this.skipTo(c, dir, (seq + len + cut) >>> 0, ts);
    else if (h.segs !== null || h.finSeen) this.drain(c, dir);
  }

  /** Delivers buffered segments that are now in order, then consumes a FIN that is reached. */
  drain(c: Connection, dir: Direction): void {
    const h = c.halves[dir];
    const segs = h.segs;
    while (segs !== null && segs.length > 0) {
      const rel = h.rel(segs[0]!.seq);
      if (rel > 0) break;
      const s = h.shift()!;
      this.released(c, s.data.length);
      const skip = -rel;
      if (skip >= s.data.length) continue;
      const p = skip === 0 ? s.data : s.data.subarray(skip);
      h.advance(p.length);
      this.stats.bytesDelivered += p.length;
      c.handler.onData(dir, p, s.ts);
    }
    if (h.finSeen && !h.finDone && h.nextSeq === h.finSeq) {
      h.finDone = true;
      h.advance(1);
    }
  }

  /**
   * Moves `nextSeq` forward to `target` — but not past the first buffered byte — declaring the skipped
   * bytes a gap, then drains.
   */
  skipTo(c: Connection, dir: Direction, target: number, ts: Timestamp): void {
    const h = c.halves[dir];
    let lost = h.rel(target);
    if (h.segs !== null && h.segs.length > 0) lost = Math.min(lost, h.rel(h.segs[0]!.seq));
    if (lost > 0) {
      h.advance(lost);
      this.stats.gaps++;
      this.stats.bytesLost += lost;
      c.handler.onGap(dir, lost, ts);
    }
    this.drain(c, dir);
  }

  /**
   * The other side acknowledged `ack` in direction `dir`: bytes below it that were never seen are lost
   * (the capture missed them), so declare gaps up to it instead of waiting for them forever.
   */
  acked(c: Connection, dir: Direction, ack: number, ts: Timestamp): void {
    const h = c.halves[dir];
    for (;;) {
      const rel = h.rel(ack);
      if (!h.started || h.finDone || rel <= 0 || rel > MAX_ACK_JUMP) return;
      const target = h.finSeen && h.rel(h.finSeq) < rel ? h.finSeq : ack;
      const before = h.nextSeq;
      this.skipTo(c, dir, target, ts);
      if (h.nextSeq === before) return;
    }
  }

  /**
   * The connection ends: delivers everything buffered in `dir` with a gap before each hole, and declares
   * the bytes between the last delivered one and a FIN seen out of order lost.
   */
  flush(c: Connection, dir: Direction, ts: Timestamp): void {
    const h = c.halves[dir];
    while (h.segs !== null && h.segs.length > 0) this.skipTo(c, dir, h.segs[0]!.seq, ts);
    if (h.finSeen && !h.finDone) this.skipTo(c, dir, h.finSeq, ts);
  }

  /** Forgets the connection's buffered bytes (it ended, possibly with a handler having thrown). */
  release(c: Connection): void {
    const n = c.halves[0].clear() + c.halves[1].clear();
    this.stats.bytesBuffered -= n;
    c.buffered = 0;
    this.buffering.delete(c);
  }

  private buffer(c: Connection, dir: Direction, h: HalfStream, seq: number, payload: Uint8Array, ts: Timestamp): void {
    const before = h.buffered;
    this.stats.overlapConflicts += h.insert(seq, payload, ts);
    const added = h.buffered - before;
    if (added === 0) return;
    c.buffered += added;
    this.stats.bytesBuffered += added;
    this.buffering.add(c);
    this.enforceCaps(c, ts);
  }

  private enforceCaps(c: Connection, ts: Timestamp): void {
    while (c.buffered > this.maxPerConnection) this.forceGap(c, ts);
    while (this.stats.bytesBuffered > this.maxTotal) {
      let largest = c;
      for (const other of this.buffering) if (other.buffered > largest.buffered) largest = other;
      if (largest.buffered === 0) return;
      this.forceGap(largest, ts);
    }
  }

  /** Skips the hole before the earliest buffered segment of the half holding more bytes. */
  private forceGap(c: Connection, ts: Timestamp): void {
    const dir: Direction = c.halves[1].buffered > c.halves[0].buffered ? 1 : 0;
    const h = c.halves[dir];
    if (!h.hasBuffered()) return;
    this.stats.capEvictions++;
    this.skipTo(c, dir, h.segs![0]!.seq, ts);
  }

  private released(c: Connection, n: number): void {
    c.buffered -= n;
    this.stats.bytesBuffered -= n;
    if (c.buffered === 0) this.buffering.delete(c);
  }
}
