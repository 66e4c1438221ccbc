/**
 * A growable byte buffer for partial tokens (an incomplete message head, a length-prefixed frame).
 * Contract: it owns copies of what is appended (callers' bytes are only valid during a call), grows by
 * doubling so appends are amortised O(n), and remembers the capture time of its first byte.
 */
import type { Timestamp } from '../../model/index.js';

const EMPTY = Buffer.alloc(0);

/** Held bytes of one partial token; see the module comment. */
export class ByteAccumulator {
  private buf: Buffer = EMPTY;
  /** Bytes held. */
  length = 0;
  /** Capture time of the chunk that supplied the first held byte (null when empty). */
  startTs: Timestamp | null = null;

  /** Copies `src[start, end)` onto the end. */
  append(src: Uint8Array, start: number, end: number, ts: Timestamp): void {
    const n = end - start;
    if (n <= 0) return;
    if (this.length === 0) this.startTs = ts;
    this.reserve(this.length + n);
    this.buf.set(src.subarray(start, end), this.length);
    this.length += n;
  }

  /** The held bytes as a view; valid until the next mutation. */
  view(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  /** The backing buffer (bytes `[0, length)` are valid); valid until the next mutation. */
  raw(): Buffer {
    return this.buf;
  }

  /** A copy of the held bytes from `from`, then empties the accumulator. */
  takeFrom(from: number): Buffer {
    const out = Buffer.from(this.buf.subarray(from, this.length));
    this.clear();
    return out;
  }

  /** Drops the first `n` held bytes. */
  dropFront(n: number): void {
    if (n >= this.length) return this.clear();
    this.buf.copyWithin(0, n, this.length);
    this.length -= n;
  }

  /** Empties the accumulator; a large backing buffer is released. */
  clear(): void {
    this.length = 0;
    this.startTs = null;
    if (this.buf.length > 256 * 1024) this.buf = EMPTY;
  }

  private reserve(size: number): void {
    if (size <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(size, this.buf.length * 2, 256));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}
