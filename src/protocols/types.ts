/**
 * The dissector contract (DESIGN.md "A dissector is data + a session"). A dissector sees only bytes,
 * directions, capture times and the connection's endpoints — never pods, the store or the UI.
 *
 * Lifecycle per connection: the router calls `detect` on each dissector (port-hinted first, then by
 * priority) with the bytes seen so far; the first `match` wins and gets `createSession`, which is then
 * fed every byte of both directions from the start (the bytes used for detection are replayed), then
 * `onEnd` once. Bytes passed in are only valid during the call; sessions copy what they keep.
 * Sessions must give identical messages however the bytes are chunked.
 */
import type {
  Anomaly,
  ConnectionInfo,
  Direction,
  DnsMessageDetail,
  HttpRequestDetail,
  HttpResponseDetail,
  ProtocolName,
  Timestamp,
  Transport,
} from '../model/index.js';

export type Detection = 'match' | 'no-match' | 'need-more';

/** How correlate pairs this protocol's requests and responses. */
export type PairingStrategy = 'fifo' | 'key';

export interface DissectorSpec {
  readonly id: ProtocolName;
  readonly transport: Transport;
  /** Ports that hint at this protocol (detection still confirms by content). */
  readonly ports: readonly number[];
  /** Higher goes first among dissectors without a port hint. */
  readonly priority: number;
  readonly pairing: PairingStrategy;
}

export interface DetectInput {
  readonly conn: ConnectionInfo;
  readonly dir: Direction;
  /** All bytes seen so far in `dir` (for UDP: one datagram). */
  readonly bytes: Uint8Array;
}

interface MessageBase {
  /** Direction the message travelled. */
  readonly dir: Direction;
  /** Pairing key for `key` pairing (e.g. DNS id); null for FIFO. */
  readonly pairKey: string | null;
  /** Capture time of the first and last byte. */
  readonly startTs: Timestamp;
  readonly endTs: Timestamp;
  /** Wire bytes of the whole message. */
  readonly size: number;
  readonly anomalies: readonly Anomaly[];
}

export type HttpRequestMessage = MessageBase & { readonly protocol: 'http'; readonly kind: 'request'; readonly detail: HttpRequestDetail };
export type HttpResponseMessage = MessageBase & { readonly protocol: 'http'; readonly kind: 'response'; readonly detail: HttpResponseDetail };
export type DnsMessage = MessageBase & { readonly protocol: 'dns'; readonly kind: 'request' | 'response'; readonly detail: DnsMessageDetail };

/** A complete protocol message as a session emits it. */
export type ProtocolMessage = HttpRequestMessage | HttpResponseMessage | DnsMessage;

/** Where a session sends what it finds. */
export interface MessageSink {
  message(msg: ProtocolMessage): void;
  /** A connection-level anomaly not tied to one message (e.g. bytes skipped while resynchronising). */
  anomaly(dir: Direction, anomaly: Anomaly, ts: Timestamp): void;
}

export interface DissectorSession {
  onData(dir: Direction, bytes: Uint8Array, ts: Timestamp): void;
  /** Bytes were lost in `dir` (`lost` null when unknown). The session resynchronises on the next message start. */
  onGap(dir: Direction, lost: number | null, ts: Timestamp): void;
  /** No more bytes: flush what is complete or completable (bodies ending at close), report the rest. */
  onEnd(ts: Timestamp): void;
}

export interface Dissector {
  readonly spec: DissectorSpec;
  detect(input: DetectInput): Detection;
  createSession(conn: ConnectionInfo, sink: MessageSink): DissectorSession;
}
