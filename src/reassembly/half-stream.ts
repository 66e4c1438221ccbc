/**
 * One direction of a TCP connection: the next expected sequence number, SYN/FIN bookkeeping and the
 * out-of-order buffer. Sequence numbers are unsigned 32-bit; every comparison is made relative to
 * `nextSeq` with `(x - nextSeq) | 0`, which is correct across wrap-around while the window spans less
 * than 2^31 bytes.
 *
 * Buffer ownership: `insert` copies the bytes it keeps (the caller's payload is only valid during the
 * call). Buffered segments are kept sorted and disjoint: a new segment is trimmed against what is
 * already buffered (first arrival wins) and differing overlapping bytes are counted as conflicts.
 */
import type { Timestamp } from '../model/index.js';

/** A buffered out-of-order piece of one direction. */
export interface BufferedSegment {
  /** Sequence number of `data[0]`. */
  readonly seq: number;
  /** Owned copy. */
  readonly data: Uint8Array;
  /** Capture time of the packet that brought it. */
  readonly ts: Timestamp;
}

/** Sequencing state of one direction (see the module comment for ordering and buffer ownership). */
export class HalfStream {
  /** Whether `nextSeq` is known (a SYN or a first segment was seen). */
  started = false;
  /** Next sequence number to deliver (unsigned 32-bit). */
  nextSeq = 0;
  synSeen = false;
  /** Sequence number of the SYN when `synSeen`. */
  isn = 0;
  finSeen = false;
  /** Sequence number the FIN occupies when `finSeen`. */
  finSeq = 0;
  /** The FIN was reached in order (its sequence number consumed). */
  finDone = false;
  /** Out-of-order segments, sorted by sequence; null until the first one. */
  segs: BufferedSegment[] | null = null;
  /** Bytes held in `segs`. */
  buffered = 0;

  /** Offset of `seq` from `nextSeq` (negative: already passed). */
  rel(seq: number): number {
    return (seq - this.nextSeq) | 0;
  }

  /** Advances `nextSeq` by `n` bytes. */
  advance(n: number): void {
    this.nextSeq = (this.nextSeq + n) >>> 0;
  }

  /** True when segments are buffered. */
  hasBuffered(): boolean {
    return this.segs !== null && this.segs.length > 0;
  }

  /**
   * Buffers a copy of the parts of `data` (at `seq`) not buffered yet. Returns the number of buffered
   * segments whose overlapping bytes differed from `data`'s.
   */
  insert(seq: number, data: Uint8Array, ts: Timestamp): number {
    const segs = (this.segs ??= []);
    const start = this.rel(seq);
    const end = start + data.length;
    const last = segs[segs.length - 1];
    if (last === undefined || this.rel(last.seq) + last.data.length <= start) {
      this.put(segs.length, seq, data.slice(), ts);
      return 0;
    }
    let conflicts = 0;
    let cur = start;
    let i = 0;
    while (i < segs.length && cur < end) {
      const s = segs[i]!;
      const a = this.rel(s.seq);
      const e = a + s.data.length;
      if (e <= cur) {
        i++;
        continue;
      }
      if (a >= end) break;
      if (a > cur) {
        this.put(i, (seq + (cur - start)) >>> 0, data.slice(cur - start, a - start), ts);
        i++;
      }
      const from = Math.max(cur, a);
      if (!sameBytes(data, from - start, s.data, from - a, Math.min(end, e) - from)) conflicts++;
      cur = e;
      i++;
    }
    if (cur < end) this.put(i, (seq + (cur - start)) >>> 0, data.slice(cur - start), ts);
    return conflicts;
  }

  /**
   * Counts buffered segments that overlap `p` (about to be delivered at `nextSeq`) with different bytes.
   * The buffered copies of those bytes are dropped later when they are drained.
   */
  conflictsWith(p: Uint8Array): number {
    const segs = this.segs;
    if (segs === null) return 0;
    let conflicts = 0;
    for (const s of segs) {
      const a = this.rel(s.seq);
      if (a >= p.length) break;
      const from = Math.max(0, a);
      const to = Math.min(p.length, a + s.data.length);
      if (to > from && !sameBytes(p, from, s.data, from - a, to - from)) conflicts++;
    }
    return conflicts;
  }

  /** Removes and returns the first buffered segment. */
  shift(): BufferedSegment | undefined {
    const s = this.segs?.shift();
    if (s !== undefined) this.buffered -= s.data.length;
    return s;
  }

  /** Drops every buffered segment; returns the bytes released. */
  clear(): number {
    const n = this.buffered;
    this.segs = null;
    this.buffered = 0;
    return n;
  }

  private put(i: number, seq: number, data: Uint8Array, ts: Timestamp): void {
    this.segs!.splice(i, 0, { seq, data, ts });
    this.buffered += data.length;
  }
}

function sameBytes(x: Uint8Array, xo: number, y: Uint8Array, yo: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (x[xo + k] !== y[yo + k]) return false;
  return true;
}
