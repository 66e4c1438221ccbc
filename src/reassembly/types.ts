/**
 * Contract between reassembly and its consumer. The assembler calls one `StreamHandler` per TCP
 * connection, in capture order, with contiguous in-order bytes per direction. Byte arrays passed to
 * `onData` are only valid during the call (they may be views into frames or internal buffers): a
 * handler that keeps bytes must copy them. Time is always capture time.
 */
import type { ConnectionInfo, Direction, Timestamp } from '../model/index.js';

/** Why a connection ended. */
export type EndReason = 'fin' | 'rst' | 'idle' | 'flush' | 'evicted';

export interface StreamHandler {
  /** In-order bytes of one direction. Never empty. */
  onData(dir: Direction, bytes: Uint8Array, ts: Timestamp): void;
  /**
   * Bytes of one direction were lost before the next `onData` of that direction. `lost` is the
   * number of missing bytes when known from sequence numbers, else null.
   */
  onGap(dir: Direction, lost: number | null, ts: Timestamp): void;
  /** The connection is over; no more calls follow. Called exactly once per handler. */
  onEnd(reason: EndReason, ts: Timestamp): void;
}

/** Creates the handler of a new connection. Called when the connection's first packet is seen. */
export type StreamHandlerFactory = (conn: ConnectionInfo, firstTs: Timestamp) => StreamHandler;

export interface AssemblerOptions {
  readonly createHandler: StreamHandlerFactory;
  /** Out-of-order bytes buffered per connection (both directions) before gaps are declared. Default 4 MiB. */
  readonly maxBufferedPerConnection?: number;
  /** Out-of-order bytes buffered across all connections. Default 256 MiB. */
  readonly maxBufferedTotal?: number;
  /** A connection with no packet for this long (capture time) ends with `idle`. Default 120 s. */
  readonly idleTimeoutMs?: number;
  /** After FIN in both directions or RST, end the connection this long later. Default 2 s. */
  readonly closeTimeoutMs?: number;
  /** Live connections at most; the least recently active is evicted beyond it. Default 100,000. */
  readonly maxConnections?: number;
  /** Prefix of connection ids (`${prefix}c${n}`), to keep them unique across runs sharing a store. Default ''. */
  readonly idPrefix?: string;
}

/** Counters of an assembler since it was created (`connectionsLive`, `bytesBuffered`: current values). */
export interface AssemblerStats {
  connectionsLive: number;
  connectionsTotal: number;
  /** Out-of-order bytes held now, across all connections. */
  bytesBuffered: number;
  /** Bytes passed to `onData`. */
  bytesDelivered: number;
  /** `onGap` calls. */
  gaps: number;
  /** Sum of the `lost` counts of all gaps. */
  bytesLost: number;
  /** Overlapping copies of the same sequence range whose bytes differed (checked against buffered data only). */
  overlapConflicts: number;
  /** Gaps forced by `maxBufferedPerConnection` or `maxBufferedTotal`. */
  capEvictions: number;
  /** Connections ended with `evicted` because `maxConnections` was reached. */
  connectionsEvicted: number;
  /** TCP packets that carried nothing for a connection not seen before (no SYN, no payload). */
  packetsIgnored: number;
}
