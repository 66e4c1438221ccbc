/**
 * An HTTP/1 connection: one parser per direction plus what ties them together. Contract:
 * - Which direction carries requests is learnt from content (the first request line), not ports.
 * - Responses are framed with the method of the request they answer (FIFO of pending requests):
 *   HEAD gets no body, CONNECT 2xx and 101 switch the connection out of HTTP (both directions).
 * - Interim (1xx) responses are attached to the next final response.
 * - A response that completes before its request (an early reply to an upload) is held until the
 *   request is emitted, so messages leave in request/response order for FIFO pairing.
 * - A request that may switch protocols (CONNECT, `Upgrade:`) pauses its direction until the response.
 */
import type { Anomaly, ConnectionInfo, Direction, Timestamp } from '../../model/index.js';
import type { DissectorSession, HttpRequestMessage, HttpResponseMessage, MessageSink } from '../types.js';
import { DirectionParser, type DirectionHost } from './direction.js';
import type { Head } from './head.js';
import { MAX_INTERIM, MAX_PENDING } from './limits.js';
import type { Interim } from './message.js';
import type { StartRole } from './start-line.js';

const NO_INTERIM: readonly Interim[] = Object.freeze([]);

interface Pending {
  readonly method: string;
  readonly index: number;
}

/** One HTTP/1 connection (both directions); see the module comment. */
export class Http1Session implements DissectorSession, DirectionHost {
  private readonly parsers: readonly [DirectionParser, DirectionParser];
  private requestDir: Direction | null = null;
  private pending: Pending[] = [];
  private nextIndex = 0;
  /** Requests with a sequence number below this were emitted. */
  private requestsDone = 0;
  private held: { msg: HttpResponseMessage; index: number }[] = [];
  private interimList: Interim[] = [];

  constructor(
    conn: ConnectionInfo,
    private readonly sink: MessageSink,
  ) {
    const midStream = !conn.initiatorKnown;
    this.parsers = [new DirectionParser(0, this, midStream), new DirectionParser(1, this, midStream)];
  }

  /** Bytes seen after a protocol switch, per direction. */
  get tunnelBytes(): readonly [number, number] {
    return [this.parsers[0].tunnelBytes, this.parsers[1].tunnelBytes];
  }

  /** Bytes held for incomplete tokens and paused requests (bounded; for tests and metrics). */
  get bufferedBytes(): number {
    return this.parsers[0].bufferedBytes + this.parsers[1].bufferedBytes;
  }

  onData(dir: Direction, bytes: Uint8Array, ts: Timestamp): void {
    this.parsers[dir].feed(asBuffer(bytes), ts);
  }

  onGap(dir: Direction, lost: number | null, ts: Timestamp): void {
    this.parsers[dir].gap(lost, ts);
  }

  onEnd(ts: Timestamp): void {
    const first = this.requestDir ?? 0;
    this.parsers[first].end(ts);
    this.parsers[first === 0 ? 1 : 0].end(ts);
    this.flushHeld(Infinity);
  }

  // ---- DirectionHost -------------------------------------------------------------------------

  role(dir: Direction): StartRole {
    if (this.requestDir === null) return 'any';
    return dir === this.requestDir ? 'request' : 'response';
  }

  requestHead(dir: Direction, head: Head): number {
    this.requestDir ??= dir;
    const index = this.nextIndex++;
    this.pending.push({ method: head.method, index });
    if (this.pending.length > MAX_PENDING) this.pending.shift();
    return index;
  }

  responseHead(dir: Direction, head: Head): { method: string | null; index: number } {
    const answered = this.pending.shift();
    const method = answered?.method ?? null;
    const index = answered?.index ?? -1;
    const switches = head.status === 101 || (method === 'CONNECT' && head.status >= 200 && head.status < 300);
    const requester = this.parsers[dir === 0 ? 1 : 0];
    if (!switches && requester.isPaused && index >= requester.pauseIndex) requester.unpause();
    return { method, index };
  }

  interim(_dir: Direction, head: Head): void {
    if (this.interimList.length < MAX_INTERIM) this.interimList.push({ status: head.status, reason: head.reason, headers: head.headers });
  }

  takeInterim(): readonly Interim[] {
    if (this.interimList.length === 0) return NO_INTERIM;
    const list = this.interimList;
    this.interimList = [];
    return list;
  }

  requestDone(msg: HttpRequestMessage, index: number): void {
    this.sink.message(msg);
    this.requestsDone = Math.max(this.requestsDone, index + 1);
    if (this.held.length > 0) this.flushHeld(this.requestsDone);
  }

  responseDone(msg: HttpResponseMessage, index: number): void {
    if (index >= this.requestsDone) this.held.push({ msg, index });
    else this.sink.message(msg);
  }

  upgrade(dir: Direction): void {
    this.parsers[dir === 0 ? 1 : 0].enterTunnel();
  }

  anomaly(dir: Direction, anomaly: Anomaly, ts: Timestamp): void {
    this.sink.anomaly(dir, anomaly, ts);
  }

  private flushHeld(limit: number): void {
    while (this.held.length > 0 && this.held[0]!.index < limit) this.sink.message(this.held.shift()!.msg);
  }
}

/** A Buffer view of `bytes` without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
