/**
 * Resynchronisation: after a violation, a gap or a mid-stream join, skip bytes up to the next start
 * line for this direction's role. A start line may begin a line or follow other bytes on it (the next
 * message usually follows a body directly): for every LF, the last MAX_LINE_BYTES bytes before it are
 * searched for a strict status line, or a strict request line whose method is the longest known method
 * ending just before its target. Contract: chunk-invariant (the same window is judged however bytes
 * arrive; at most MAX_LINE_BYTES are held), counts skipped bytes, and with `skipLine` ignores the line
 * where scanning begins (the line that just failed).
 */
import type { Timestamp } from '../../model/index.js';
import { ByteAccumulator, latin1 } from '../_framing/index.js';
import { MAX_LINE_BYTES } from './limits.js';
import { KNOWN_METHODS, isStrictStartLine, type StartRole } from './start-line.js';

/** A start line that began in held bytes: its bytes through LF, and the time of its first byte. */
export interface HeldStart {
  readonly bytes: Buffer;
  readonly ts: Timestamp;
}

const HTTP1 = Buffer.from('HTTP/1.', 'latin1');

/** Skips to the next start line in one direction; see the module comment. */
export class ResyncScanner {
  private readonly carry = new ByteAccumulator();
  /** Where in `carry` the bytes of each chunk begin, with that chunk's time (a start's `startTs`). */
  private segs: { at: number; ts: Timestamp }[] = [];
  private skipLine = false;
  /** Bytes skipped in this episode. */
  skipped = 0;

  /** Bytes held (the tail of the current line). */
  get held(): number {
    return this.carry.length;
  }

  /** Starts an episode; `skipLine` ignores candidates on the line where scanning begins. */
  begin(skipLine: boolean): void {
    this.clearCarry();
    this.skipLine = skipLine;
    this.skipped = 0;
  }

  /**
   * Scans `view[pos..]`. Returns -1 when every byte was consumed without finding a start line, else the
   * index where the message continues: the start line's first byte, or — when the line began in held
   * bytes (`out.held` is then set) — the index just past its LF.
   */
  scan(view: Buffer, pos: number, role: StartRole, ts: Timestamp, out: { held: HeldStart | null }): number {
    while (pos < view.length) {
      const lf = view.indexOf(0x0a, pos);
      if (lf < 0) return this.hold(view, pos, ts);
      if (this.carry.length > 0) {
        const found = this.lineWithCarry(view, pos, lf, role, ts, out);
        if (found >= 0) return found;
      } else if (!this.skipLine) {
        const from = Math.max(pos, lf - MAX_LINE_BYTES);
        const at = findStart(view, from, lf, role);
        if (at >= 0) {
          this.skipped += at - pos;
          return at;
        }
        this.skipped += lf + 1 - pos;
      } else this.skipped += lf + 1 - pos;
      this.skipLine = false;
      pos = lf + 1;
    }
    return -1;
  }

  /** Bytes were lost: the held line tail is dropped; the next byte may start a message. */
  gap(): void {
    this.skipped += this.carry.length;
    this.clearCarry();
    this.skipLine = false;
  }

  /** Ends the episode (connection end): returns the bytes skipped, including held bytes. */
  finish(): number {
    this.skipped += this.carry.length;
    this.clearCarry();
    return this.skipped;
  }

  /** The line ending at `view[lf]` began in held bytes: judge its window, then forget it. */
  private lineWithCarry(view: Buffer, pos: number, lf: number, role: StartRole, ts: Timestamp, out: { held: HeldStart | null }): number {
    const heldLen = this.carry.length;
    this.append(view, pos, lf + 1, ts);
    const line = this.carry.view();
    const lineLf = line.length - 1;
    const at = this.skipLine ? -1 : findStart(line, Math.max(0, lineLf - MAX_LINE_BYTES), lineLf, role);
    this.skipped += at < 0 ? line.length : at;
    if (at >= 0 && at < heldLen) out.held = { bytes: Buffer.from(line.subarray(at)), ts: this.tsAt(at) };
    this.clearCarry();
    if (at < 0) return -1;
    return at >= heldLen ? pos + (at - heldLen) : lf + 1;
  }

  /** No LF in `view[pos..]`: keep the last MAX_LINE_BYTES of the line (older bytes are skipped). */
  private hold(view: Buffer, pos: number, ts: Timestamp): number {
    if (this.skipLine) {
      this.skipped += view.length - pos;
      return -1;
    }
    const from = Math.max(pos, view.length - MAX_LINE_BYTES);
    this.skipped += from - pos;
    this.append(view, from, view.length, ts);
    if (this.carry.length > MAX_LINE_BYTES) this.dropFront(this.carry.length - MAX_LINE_BYTES);
    return -1;
  }

  private append(view: Buffer, from: number, to: number, ts: Timestamp): void {
    if (to <= from) return;
    const last = this.segs[this.segs.length - 1];
    if (!last || last.ts !== ts) this.segs.push({ at: this.carry.length, ts });
    this.carry.append(view, from, to, ts);
  }

  private dropFront(n: number): void {
    this.skipped += n;
    this.carry.dropFront(n);
    let keep = 0;
    while (keep + 1 < this.segs.length && this.segs[keep + 1]!.at <= n) keep++;
    this.segs = this.segs.slice(keep).map((s) => ({ at: Math.max(0, s.at - n), ts: s.ts }));
  }

  private clearCarry(): void {
    this.carry.clear();
    this.segs = [];
  }

  /** Time of the chunk that supplied held byte `at`. */
  private tsAt(at: number): Timestamp {
    let ts = this.segs[0]!.ts;
    for (const s of this.segs) {
      if (s.at > at) break;
      ts = s.ts;
    }
    return ts;
  }
}

/**
 * The first position in `buf[from, lf)` (`buf[lf]` is LF) where a strict start line for `role` begins
 * and runs to `lf`, or -1.
 */
export function findStart(buf: Buffer, from: number, lf: number, role: StartRole): number {
  if (lf - from < 14 || buf[lf - 1] !== 0x0d) return -1;
  const first = buf.subarray(from, lf).indexOf(HTTP1);
  if (first < 0) return -1;
  const status = role === 'request' ? -1 : statusAt(buf, from + first, lf);
  const request = role === 'response' ? -1 : requestAt(buf, from, lf);
  if (status < 0) return request;
  return request < 0 ? status : Math.min(status, request);
}

/** First `HTTP/1.` at or after `p` that begins a strict status line ending at `lf`. */
function statusAt(buf: Buffer, p: number, lf: number): number {
  for (let at = p; at >= 0 && at < lf; at = buf.indexOf(HTTP1, at + 1)) {
    if (at + 7 > lf) return -1;
    if (isStrictStartLine(latin1(buf, at, lf - 1), 'response')) return at;
  }
  return -1;
}

/** Start of a strict request line ending at `lf`: `<longest known method> SP target SP HTTP/1.x`. */
function requestAt(buf: Buffer, from: number, lf: number): number {
  const tail = lf - 10; // " HTTP/1.x\r"
  if (tail <= from || buf[tail] !== 0x20) return -1;
  let sp = tail - 1;
  while (sp >= from && buf[sp]! > 0x20 && buf[sp]! < 0x7f) sp--;
  if (sp < from || buf[sp] !== 0x20 || sp === tail - 1) return -1;
  let run = sp;
  while (run > from && isMethodChar(buf[run - 1]!)) run--;
  for (let at = run; at < sp; at++) {
    if (KNOWN_METHODS.has(latin1(buf, at, sp)) && isStrictStartLine(latin1(buf, at, lf - 1), 'request')) return at;
  }
  return -1;
}

function isMethodChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || c === 0x2d;
}
