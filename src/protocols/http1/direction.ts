/**
 * One direction of an HTTP/1 connection: an incremental, chunk-invariant state machine from bytes to
 * messages. THE HOT PATH. Contract:
 * - Bytes are parsed straight from the caller's chunk; only an incomplete token (a head, a chunk-size
 *   or trailer line) is copied into the accumulator, and the search for its end resumes where it
 *   stopped (no quadratic rescans). Body bytes are copied at most once, and only the kept prefix.
 * - A message's `startTs` is the time of the chunk holding its first byte, `endTs` of its last byte.
 * - Violations are reported once per episode and followed by resynchronisation; memory stays bounded
 *   (MAX_HEAD_BYTES for a head, MAX_LINE_BYTES for a line or a resync carry, MAX_PAUSED_BYTES paused).
 */
import type { Anomaly, Direction, Timestamp } from '../../model/index.js';
import { ByteAccumulator, delimiterEndAcross, latin1 } from '../_framing/index.js';
import type { HttpRequestMessage, HttpResponseMessage } from '../types.js';
import { parseChunkSize } from './chunked.js';
import { Http1Error } from './errors.js';
import { Head, parseField, parseHead } from './head.js';
import { MAX_FIELDS, MAX_HEAD_BYTES, MAX_LINE_BYTES, MAX_PAUSED_BYTES } from './limits.js';
import { InFlight, requestMessage, responseMessage, type Interim } from './message.js';
import { ResyncScanner, type HeldStart } from './resync.js';
import { readStartLine, type StartRole } from './start-line.js';

/** What a direction parser asks of its session. */
export interface DirectionHost {
  /** Which start lines `dir` may resynchronise on. */
  role(dir: Direction): StartRole;
  /** A request head was read; returns the request's sequence number. */
  requestHead(dir: Direction, head: Head): number;
  /** A final response head was read; returns the method and sequence number of the request it answers. */
  responseHead(dir: Direction, head: Head): { method: string | null; index: number };
  /** An interim (1xx other than 101) response was read. */
  interim(dir: Direction, head: Head): void;
  /** The interim responses collected for the next final response. */
  takeInterim(): readonly Interim[];
  requestDone(msg: HttpRequestMessage, index: number): void;
  responseDone(msg: HttpResponseMessage, index: number): void;
  /** `dir` switched protocols: the other direction leaves HTTP too. */
  upgrade(dir: Direction): void;
  anomaly(dir: Direction, anomaly: Anomaly, ts: Timestamp): void;
}

const S_HEAD = 0;
const S_BODY = 1;
const S_CHUNK_SIZE = 2;
const S_CHUNK_DATA = 3;
const S_CHUNK_END = 4;
const S_TRAILERS = 5;
const S_UNTIL_CLOSE = 6;
const S_PAUSED = 7;
const S_TUNNEL = 8;
const S_RESYNC = 9;

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
/**
 * Bytes decoded (latin1) at a message start to find the head's end with a string search; a head that
 * is longer is found with a byte search. Header strings are slices of this text, so it stays small.
 */
const HEAD_WINDOW = 1024;

/** The parser of one direction; see the module comment for its contract. */
export class DirectionParser {
  private state = S_HEAD;
  private readonly acc = new ByteAccumulator();
  private readonly scanner = new ResyncScanner();
  private readonly found: { held: HeldStart | null } = { held: null };
  private cur: InFlight | null = null;
  /** Body or chunk bytes still to read. */
  private remaining = 0;
  private firstLineChecked = false;
  private lastTs: Timestamp | null = null;
  private resyncCause: Anomaly | null = null;
  private resyncAlways = false;
  private resyncTs: Timestamp | null = null;
  private paused: { bytes: Buffer; ts: Timestamp }[] = [];
  private pausedBytes = 0;
  /** Sequence number of the request whose response decides whether the connection upgrades. */
  pauseIndex = -1;
  /** Bytes after a protocol switch (not parsed). */
  tunnelBytes = 0;

  constructor(
    private readonly dir: Direction,
    private readonly host: DirectionHost,
    midStream: boolean,
  ) {
    // Joined mid-stream: silently skip to the first start line.
    if (midStream) this.startResync(null, true, false, null);
  }

  /** Bytes held: an incomplete token, a resync carry, paused bytes. */
  get bufferedBytes(): number {
    return this.acc.length + this.scanner.held + this.pausedBytes;
  }

  get isPaused(): boolean {
    return this.state === S_PAUSED;
  }

  feed(view: Buffer, ts: Timestamp): void {
    this.lastTs = ts;
    this.process(view, ts);
  }

  private process(view: Buffer, ts: Timestamp): void {
    let pos = 0;
    while (pos < view.length) pos = this.acc.length > 0 ? this.resume(view, pos, ts) : this.step(view, pos, ts);
  }

  private step(view: Buffer, pos: number, ts: Timestamp): number {
    switch (this.state) {
      case S_HEAD:
        return this.headStep(view, pos, ts);
      case S_BODY:
        return this.bodyStep(view, pos, ts);
      case S_CHUNK_DATA:
        return this.chunkDataStep(view, pos);
      case S_CHUNK_SIZE:
      case S_CHUNK_END:
      case S_TRAILERS:
        return this.lineStep(view, pos, ts);
      case S_UNTIL_CLOSE:
        return this.untilCloseStep(view, pos);
      case S_PAUSED:
        return this.pauseStep(view, pos, ts);
      case S_TUNNEL:
        this.tunnelBytes += view.length - pos;
        return view.length;
      default:
        return this.resyncStep(view, pos, ts);
    }
  }

  /** A token (head or line) is held: complete it from `view`, then parse it from the accumulator. */
  private resume(view: Buffer, pos: number, ts: Timestamp): number {
    const isHead = this.state === S_HEAD;
    const e = isHead ? delimiterEndAcross(this.acc.raw(), this.acc.length, view, pos, CRLFCRLF) : lineEnd(view, pos);
    if (e < 0) return isHead ? this.holdHead(view, pos, ts) : this.holdLine(view, pos, ts);
    this.acc.append(view, pos, e, ts);
    const len = this.acc.length;
    const buf = this.acc.raw();
    const next = isHead ? this.onHead(buf, 0, len, this.acc.startTs ?? ts, ts) : this.onLine(buf, 0, len, ts);
    // A violation resynchronises from inside the held token: scan the rest of it first.
    if (next < len) this.process(this.acc.takeFrom(next), ts);
    else this.acc.clear();
    return e;
  }

  // ---- heads ---------------------------------------------------------------------------------

  private headStep(view: Buffer, pos: number, ts: Timestamp): number {
    const n = view.length;
    // Empty lines between messages are tolerated (RFC 9112 §2.2).
    while (pos < n && (view[pos] === 0x0d || view[pos] === 0x0a)) pos++;
    if (pos === n) return n;
    const lim = Math.min(n, pos + HEAD_WINDOW);
    const text = latin1(view, pos, lim);
    const i = text.indexOf('\r\n\r\n');
    if (i >= 0) return this.onHeadText(text, i, i + 4, pos + i + 4, ts, ts);
    if (lim < n) {
      const j = view.indexOf(CRLFCRLF, lim - 3);
      if (j >= 0) return this.onHead(view, pos, j + 4, ts, ts);
    }
    this.firstLineChecked = false;
    return this.holdHead(view, pos, ts);
  }

  /** No head end yet: hold the bytes, unless the head is already too large or its start line is bad. */
  private holdHead(view: Buffer, pos: number, ts: Timestamp): number {
    if (this.acc.length + view.length - pos >= MAX_HEAD_BYTES) {
      const first = this.firstLineChecked ? null : firstBytes(this.acc.view(), view, pos);
      return this.heldViolation(startLineError(first) ?? headTooLarge(), pos, false, ts);
    }
    this.acc.append(view, pos, view.length, ts);
    if (!this.firstLineChecked) {
      const held = this.acc.view();
      this.firstLineChecked = held.indexOf(0x0a) >= 0;
      const err = startLineError(held);
      if (err) return this.heldViolation(err, view.length, false, ts);
    }
    return view.length;
  }

  /** A complete head `buf[s, e)` (e after CRLFCRLF). Returns where parsing continues. */
  private onHead(buf: Buffer, s: number, e: number, startTs: Timestamp, ts: Timestamp): number {
    if (e - s > MAX_HEAD_BYTES) return this.violation(startLineError(buf.subarray(s, e)) ?? headTooLarge(), s, false, ts);
    return this.onHeadText(latin1(buf, s, e - 4), e - 4 - s, e - s, e, ts, startTs);
  }

  /**
   * A complete head as text: `text[0, end)` without CRLFCRLF, `size` wire bytes, continuing at `next`.
   * On a violation, resynchronisation starts at the head's first byte (`next - size`).
   */
  private onHeadText(text: string, end: number, size: number, next: number, ts: Timestamp, startTs: Timestamp): number {
    let head: Head;
    try {
      head = parseHead(text, end);
    } catch (err) {
      if (err instanceof Http1Error) return this.violation(err, next - size, false, ts);
      throw err;
    }
    const f = new InFlight(head, startTs, size);
    return head.isRequest ? this.onRequestHead(f, next, ts) : this.onResponseHead(f, next, ts);
  }

  private onRequestHead(f: InFlight, e: number, ts: Timestamp): number {
    const h = f.head;
    f.index = this.host.requestHead(this.dir, h);
    this.cur = f;
    if (h.chunked) return this.expect(S_CHUNK_SIZE, 0, e);
    if (h.otherCoding) {
      return this.violation(new Http1Error('H1_BAD_TRANSFER_ENCODING', 'request with a transfer coding other than chunked'), e, true, ts);
    }
    if (h.contentLength > 0) return this.expect(S_BODY, h.contentLength, e);
    this.complete(ts);
    return e;
  }

  private onResponseHead(f: InFlight, e: number, ts: Timestamp): number {
    const h = f.head;
    if (h.status < 200 && h.status !== 101) {
      this.host.interim(this.dir, h);
      return e;
    }
    const answered = this.host.responseHead(this.dir, h);
    f.index = answered.index;
    this.cur = f;
    if (h.status === 101 || (answered.method === 'CONNECT' && h.status < 300)) {
      f.upgraded = true;
      this.complete(ts);
      this.state = S_TUNNEL;
      this.host.upgrade(this.dir);
      return e;
    }
    if (answered.method === 'HEAD' || h.status === 204 || h.status === 304) {
      this.complete(ts);
      return e;
    }
    if (h.chunked) return this.expect(S_CHUNK_SIZE, 0, e);
    if (h.contentLength > 0 && !h.otherCoding) return this.expect(S_BODY, h.contentLength, e);
    if (h.contentLength === 0 && !h.otherCoding) {
      this.complete(ts);
      return e;
    }
    return this.expect(S_UNTIL_CLOSE, 0, e);
  }

  private expect(state: number, remaining: number, e: number): number {
    this.cur!.expectBody();
    this.state = state;
    this.remaining = remaining;
    return e;
  }

  // ---- bodies --------------------------------------------------------------------------------

  private bodyStep(view: Buffer, pos: number, ts: Timestamp): number {
    const f = this.cur!;
    const avail = view.length - pos;
    if (avail < this.remaining) {
      f.body!.add(view, pos, view.length);
      f.size += avail;
      this.remaining -= avail;
      return view.length;
    }
    const e = pos + this.remaining;
    f.body!.addLast(view, pos, e);
    f.size += this.remaining;
    this.remaining = 0;
    this.complete(ts);
    return e;
  }

  private chunkDataStep(view: Buffer, pos: number): number {
    const f = this.cur!;
    const take = Math.min(this.remaining, view.length - pos);
    f.body!.add(view, pos, pos + take);
    f.size += take;
    this.remaining -= take;
    if (this.remaining === 0) this.state = S_CHUNK_END;
    return pos + take;
  }

  private untilCloseStep(view: Buffer, pos: number): number {
    const f = this.cur!;
    f.body!.add(view, pos, view.length);
    f.size += view.length - pos;
    return view.length;
  }

  // ---- chunk lines and trailers --------------------------------------------------------------

  private lineStep(view: Buffer, pos: number, ts: Timestamp): number {
    if (this.state === S_CHUNK_END && view.length - pos >= 2 && view[pos] === 0x0d && view[pos + 1] === 0x0a) {
      this.cur!.size += 2;
      this.state = S_CHUNK_SIZE;
      return pos + 2;
    }
    const e = lineEnd(view, pos);
    return e >= 0 ? this.onLine(view, pos, e, ts) : this.holdLine(view, pos, ts);
  }

  private holdLine(view: Buffer, pos: number, ts: Timestamp): number {
    if (this.acc.length + view.length - pos >= MAX_LINE_BYTES) {
      return this.heldViolation(new Http1Error('H1_LINE_TOO_LONG', `chunk or trailer line exceeds ${MAX_LINE_BYTES} bytes`), pos, true, ts);
    }
    this.acc.append(view, pos, view.length, ts);
    return view.length;
  }

  /** A complete line `buf[s, e)` (e after LF) in a chunked body. */
  private onLine(buf: Buffer, s: number, e: number, ts: Timestamp): number {
    if (e - s > MAX_LINE_BYTES) {
      return this.violation(new Http1Error('H1_LINE_TOO_LONG', `chunk or trailer line exceeds ${MAX_LINE_BYTES} bytes`), s, true, ts);
    }
    const f = this.cur!;
    const stop = e - 2 >= s && buf[e - 2] === 0x0d ? e - 2 : e - 1;
    if (this.state === S_CHUNK_SIZE) {
      const size = parseChunkSize(buf, s, stop);
      if (size < 0) return this.violation(new Http1Error('H1_BAD_CHUNK_SIZE', `bad chunk size line ${quote(buf, s, stop)}`), s, true, ts);
      f.size += e - s;
      this.state = size === 0 ? S_TRAILERS : S_CHUNK_DATA;
      this.remaining = size;
      return e;
    }
    if (this.state === S_CHUNK_END) {
      if (stop !== s) return this.violation(new Http1Error('H1_BAD_CHUNK_END', 'chunk data not followed by CRLF'), s, true, ts);
      f.size += e - s;
      this.state = S_CHUNK_SIZE;
      return e;
    }
    if (stop === s) {
      f.size += e - s;
      this.complete(ts);
      return e;
    }
    const fields = (f.trailers ??= []);
    try {
      if (fields.length >= MAX_FIELDS) throw new Http1Error('H1_TOO_MANY_FIELDS', `more than ${MAX_FIELDS} trailer fields`);
      parseField(buf.toString('latin1', s, stop), 0, stop - s, fields, null);
    } catch (err) {
      if (err instanceof Http1Error) return this.violation(err, s, true, ts);
      throw err;
    }
    f.size += e - s;
    return e;
  }

  // ---- completion, upgrade, pause ------------------------------------------------------------

  private complete(endTs: Timestamp): void {
    const f = this.cur!;
    this.cur = null;
    this.state = S_HEAD;
    if (!f.head.isRequest) {
      this.host.responseDone(responseMessage(this.dir, f, endTs, this.host.takeInterim()), f.index);
      return;
    }
    if (f.head.upgrade || f.head.method === 'CONNECT') {
      // Hold what follows until the response says whether the connection leaves HTTP.
      this.state = S_PAUSED;
      this.pauseIndex = f.index;
    }
    this.host.requestDone(requestMessage(this.dir, f, endTs), f.index);
  }

  private pauseStep(view: Buffer, pos: number, ts: Timestamp): number {
    this.paused.push({ bytes: Buffer.from(view.subarray(pos)), ts });
    this.pausedBytes += view.length - pos;
    if (this.pausedBytes > MAX_PAUSED_BYTES) this.unpause();
    return view.length;
  }

  /** The response did not switch protocols: parse what was held. */
  unpause(): void {
    if (this.state !== S_PAUSED) return;
    this.state = S_HEAD;
    const held = this.paused;
    this.paused = [];
    this.pausedBytes = 0;
    for (const p of held) this.process(p.bytes, p.ts);
  }

  /** The other direction switched protocols: stop parsing, count bytes from now on. */
  enterTunnel(): void {
    if (this.state === S_TUNNEL) return;
    if (this.cur) {
      this.cur.cut('connection switched protocols');
      this.complete(this.lastTs!);
    }
    if (this.state === S_RESYNC) this.reportResync(this.scanner.finish());
    this.tunnelBytes += this.acc.length + this.pausedBytes;
    this.acc.clear();
    this.paused = [];
    this.pausedBytes = 0;
    this.state = S_TUNNEL;
  }

  // ---- violations, gaps, resynchronisation ---------------------------------------------------

  /** Reports `err` (on the message being read, which is emitted cut), then resynchronises at `at`. */
  private violation(err: Http1Error, at: number, atLineStart: boolean, ts: Timestamp): number {
    const anomaly: Anomaly = { code: 'protocol-violation', detail: err.detail };
    if (this.cur) {
      this.cur.addAnomaly(anomaly);
      this.cur.cut('message framing broken');
      this.complete(ts);
    }
    this.startResync(anomaly, atLineStart, true, ts);
    return at;
  }

  /** A violation inside a held token: scan the held bytes, then continue at `pos` of the chunk. */
  private heldViolation(err: Http1Error, pos: number, atLineStart: boolean, ts: Timestamp): number {
    const held = this.acc.takeFrom(0);
    this.violation(err, 0, atLineStart, ts);
    this.process(held, ts);
    return pos;
  }

  private startResync(cause: Anomaly | null, atLineStart: boolean, always: boolean, ts: Timestamp | null): void {
    this.state = S_RESYNC;
    this.scanner.begin(!atLineStart);
    this.resyncCause = cause;
    this.resyncAlways = always;
    this.resyncTs = ts;
  }

  private resyncStep(view: Buffer, pos: number, ts: Timestamp): number {
    const at = this.scanner.scan(view, pos, this.host.role(this.dir), ts, this.found);
    if (at < 0) return view.length;
    this.reportResync(this.scanner.skipped);
    this.state = S_HEAD;
    const held = this.found.held;
    if (held) {
      this.found.held = null;
      this.acc.append(held.bytes, 0, held.bytes.length, held.ts);
      this.firstLineChecked = true;
    }
    return at;
  }

  private reportResync(skipped: number): void {
    const cause = this.resyncCause;
    this.resyncCause = null;
    if (cause && (this.resyncAlways || skipped > 0)) {
      this.host.anomaly(this.dir, { code: cause.code, detail: `${cause.detail}; skipped ${skipped} bytes` }, this.resyncTs ?? this.lastTs!);
    }
  }

  /** `lost` bytes (null: unknown) are missing before the next `feed`. */
  gap(lost: number | null, ts: Timestamp): void {
    const f = this.cur;
    switch (this.state) {
      case S_BODY:
      case S_CHUNK_DATA:
        if (lost !== null && lost <= this.remaining) return this.skipBody(f!, lost, ts);
        break;
      case S_UNTIL_CLOSE:
        return this.skipBody(f!, lost ?? 0, ts);
      case S_TUNNEL:
        this.tunnelBytes += lost ?? 0;
        return;
      case S_RESYNC:
        this.scanner.gap();
        return;
      case S_PAUSED:
        this.paused = [];
        this.pausedBytes = 0;
        break;
      case S_HEAD:
        if (this.acc.length === 0 && lost === 0) return;
        break;
    }
    const hadPartialHead = this.acc.length > 0 && this.state === S_HEAD;
    this.acc.clear();
    if (f) {
      f.cut('message cut by a gap');
      this.complete(this.lastTs ?? ts);
    }
    const detail = hadPartialHead ? 'incomplete message head lost in a gap' : 'bytes lost in a gap';
    this.startResync({ code: 'truncated', detail }, true, hadPartialHead, ts);
  }

  /** A gap inside a body of known extent: count the lost bytes, keep the framing. */
  private skipBody(f: InFlight, lost: number, ts: Timestamp): void {
    f.body!.skip(lost);
    f.size += lost;
    f.cut(`${lost} body bytes lost in a gap`);
    if (this.state === S_UNTIL_CLOSE) return;
    this.remaining -= lost;
    if (this.remaining > 0) return;
    if (this.state === S_BODY) this.complete(ts);
    else this.state = S_CHUNK_END;
  }

  /** No more bytes: bodies ending at close complete, other partial messages are cut or dropped. */
  end(ts: Timestamp): void {
    if (this.state === S_PAUSED) this.unpause();
    const endTs = this.lastTs ?? ts;
    switch (this.state) {
      case S_UNTIL_CLOSE:
        this.complete(endTs);
        return;
      case S_BODY:
      case S_CHUNK_SIZE:
      case S_CHUNK_DATA:
      case S_CHUNK_END:
      case S_TRAILERS:
        this.acc.clear();
        this.cur!.cut('connection ended before the message was complete');
        this.complete(endTs);
        return;
      case S_HEAD:
        if (this.acc.length > 0) {
          this.host.anomaly(this.dir, { code: 'truncated', detail: `incomplete message head (${this.acc.length} bytes) dropped at end` }, endTs);
          this.acc.clear();
        }
        return;
      case S_RESYNC:
        this.reportResync(this.scanner.finish());
        return;
    }
  }
}

/**
 * The verdict `parseHead` gives on the start line, from the first bytes of a message (null: fine, or
 * not complete yet). Used when a head is held or too large, so the reported violation does not depend
 * on how the bytes were chunked.
 */
function startLineError(first: Buffer | null): Http1Error | null {
  if (first === null) return null;
  const bad = new Http1Error('H1_BAD_START_LINE', 'bad start line');
  const lf = first.indexOf(0x0a);
  if (lf < 0) return first.length > MAX_LINE_BYTES ? bad : null;
  if (lf > MAX_LINE_BYTES || first[lf - 1] !== 0x0d) return bad;
  try {
    readStartLine(latin1(first, 0, lf - 1), new Head());
    return null;
  } catch (err) {
    if (err instanceof Http1Error) return err;
    throw err;
  }
}

function headTooLarge(): Http1Error {
  return new Http1Error('H1_HEAD_TOO_LARGE', `head exceeds ${MAX_HEAD_BYTES} bytes`);
}

/** The first MAX_LINE_BYTES + 1 bytes of `held ++ view[pos..]`. */
function firstBytes(held: Buffer, view: Buffer, pos: number): Buffer {
  const want = MAX_LINE_BYTES + 1;
  if (held.length >= want) return held;
  return Buffer.concat([held, view.subarray(pos, pos + want - held.length)]);
}

/** Index just past the next LF in `view` from `pos`, or -1. */
function lineEnd(view: Buffer, pos: number): number {
  const lf = view.indexOf(0x0a, pos);
  return lf < 0 ? -1 : lf + 1;
}

function quote(buf: Buffer, s: number, e: number): string {
  return JSON.stringify(buf.toString('latin1', s, Math.min(e, s + 32)));
}
