/**
 * Length-prefixed framing (a big-endian 2- or 4-byte length, then that many bytes), as DNS over TCP
 * and several binary protocols use. Contract: the same frames come out however the bytes are chunked;
 * a frame entirely inside one chunk is passed as a view (valid during the callback), others are
 * assembled once. After lost framing (a gap, or a length outside [minFrame, maxFrame]) the framer
 * hunts byte by byte for an offset the caller's `plausible` predicate accepts. No recursion: memory
 * and stack stay bounded whatever the input.
 */
import type { Timestamp } from '../../model/index.js';
import { ByteAccumulator } from './accumulator.js';

export interface FramerOptions {
  readonly prefixBytes: 2 | 4;
  /** Payload bytes a frame has at least and at most. */
  readonly minFrame: number;
  readonly maxFrame: number;
  /** Payload bytes `plausible` looks at (besides the prefix). */
  readonly probeBytes: number;
  /** Whether a frame of `length` whose payload starts with `probe` looks like a real frame start. */
  plausible(length: number, probe: Buffer): boolean;
  /** A complete frame: `payload` is valid during the call; `wireBytes` counts the prefix. */
  frame(payload: Buffer, wireBytes: number, startTs: Timestamp, endTs: Timestamp): void;
  /** A hunt ended at a plausible frame start after skipping `skipped` bytes (once per episode). */
  resynced?(skipped: number, ts: Timestamp): void;
}

/** What a gap did to the framing: nothing, one frame lost (framing kept), or framing lost (hunting). */
export type GapEffect = 'none' | 'frame-damaged' | 'framing-lost';

/** Frames of one direction of a stream; see the module comment. */
export class LengthPrefixedFramer {
  private readonly acc = new ByteAccumulator();
  /** Payload length of the frame being assembled, or -1 while its prefix is incomplete. */
  private want = -1;
  /** Bytes still to discard of a frame damaged by a gap. */
  private discard = 0;
  private hunting = false;
  /** Bytes discarded in the current hunt. */
  private skippedBytes = 0;

  constructor(private readonly opt: FramerOptions) {}

  /** True while looking for a frame start after lost framing. */
  get isHunting(): boolean {
    return this.hunting;
  }

  /** Bytes held for an incomplete frame or hunt. */
  get pending(): number {
    return this.acc.length;
  }

  /** Bytes a hunt still in progress has skipped or holds (what is lost if the stream ends now). */
  get huntedBytes(): number {
    return this.hunting ? this.skippedBytes + this.acc.length : 0;
  }

  feed(view: Buffer, ts: Timestamp): void {
    let buf = view;
    let pos = 0;
    while (pos < buf.length) {
      if (this.discard > 0) {
        const n = Math.min(this.discard, buf.length - pos);
        this.discard -= n;
        pos += n;
      } else if (this.hunting) {
        const rest = this.hunt(buf, pos, ts);
        buf = rest ?? buf;
        pos = rest ? 0 : buf.length;
      } else pos = this.acc.length > 0 ? this.resume(buf, pos, ts) : this.fast(buf, pos, ts);
    }
  }

  /** `lost` bytes (null: unknown) are missing before the next `feed`. */
  gap(lost: number | null): GapEffect {
    if (this.hunting) {
      this.skippedBytes += this.acc.length;
      this.acc.clear();
      return 'framing-lost';
    }
    if (this.discard > 0) {
      if (lost !== null && lost <= this.discard) {
        this.discard -= lost;
        return 'none';
      }
      return this.loseFraming();
    }
    if (this.want >= 0) {
      const left = this.want - (this.acc.length - this.opt.prefixBytes);
      if (lost === null || lost > left) return this.loseFraming();
      this.acc.clear();
      this.want = -1;
      this.discard = left - lost;
      return 'frame-damaged';
    }
    if (this.acc.length === 0 && lost === 0) return 'none';
    return this.loseFraming();
  }

  private loseFraming(): GapEffect {
    this.acc.clear();
    this.want = -1;
    this.discard = 0;
    this.hunting = true;
    return 'framing-lost';
  }

  private okLength(len: number): boolean {
    return len >= this.opt.minFrame && len <= this.opt.maxFrame;
  }

  /** No partial frame held: frames wholly inside `view` go out as views. */
  private fast(view: Buffer, pos: number, ts: Timestamp): number {
    const p = this.opt.prefixBytes;
    while (view.length - pos >= p) {
      const len = this.readLength(view, pos);
      if (!this.okLength(len)) {
        this.hunting = true;
        return pos;
      }
      if (view.length - pos - p < len) break;
      this.opt.frame(view.subarray(pos + p, pos + p + len), p + len, ts, ts);
      pos += p + len;
    }
    this.acc.append(view, pos, view.length, ts);
    this.want = this.acc.length >= p ? this.readLength(this.acc.raw(), 0) : -1;
    return view.length;
  }

  /** A partial frame is held: complete its prefix, then its payload. */
  private resume(view: Buffer, pos: number, ts: Timestamp): number {
    const p = this.opt.prefixBytes;
    if (this.want < 0) {
      const n = Math.min(p - this.acc.length, view.length - pos);
      this.acc.append(view, pos, pos + n, ts);
      pos += n;
      if (this.acc.length < p) return pos;
      this.want = this.readLength(this.acc.raw(), 0);
      if (!this.okLength(this.want)) {
        // The held prefix stays in `acc`; hunting starts at its first byte.
        this.want = -1;
        this.hunting = true;
        return pos;
      }
    }
    const need = p + this.want - this.acc.length;
    const n = Math.min(need, view.length - pos);
    this.acc.append(view, pos, pos + n, ts);
    if (n === need) {
      const startTs = this.acc.startTs ?? ts;
      const frame = this.acc.takeFrom(p);
      this.want = -1;
      this.opt.frame(frame, p + frame.length, startTs, ts);
    }
    return pos + n;
  }

  /**
   * Scans held bytes plus `view[pos..]` for a plausible frame start. Found: returns the bytes from
   * there (a copy) for `feed` to continue with. Not found: keeps the last few bytes, returns null.
   */
  private hunt(view: Buffer, pos: number, ts: Timestamp): Buffer | null {
    const need = this.opt.prefixBytes + this.opt.probeBytes;
    this.acc.append(view, pos, view.length, ts);
    const buf = this.acc.raw();
    const n = this.acc.length;
    let at = 0;
    for (; n - at >= need; at++) {
      const len = this.readLength(buf, at);
      if (this.okLength(len) && this.opt.plausible(len, buf.subarray(at + this.opt.prefixBytes, at + need))) {
        this.hunting = false;
        const skipped = this.skippedBytes + at;
        this.skippedBytes = 0;
        this.opt.resynced?.(skipped, ts);
        return this.acc.takeFrom(at);
      }
    }
    this.skippedBytes += at;
    this.acc.dropFront(at);
    return null;
  }

  private readLength(buf: Uint8Array, at: number): number {
    return this.opt.prefixBytes === 2
      ? (buf[at]! << 8) | buf[at + 1]!
      : buf[at]! * 0x1000000 + ((buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!);
  }
}
