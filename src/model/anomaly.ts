/**
 * Anomaly codes: named, stable labels for what went wrong on the wire or in a dissector. They travel on
 * entries (so users can filter on them) and in summaries and metrics. Add, never rename.
 */
export type AnomalyCode =
  /** Reassembly: bytes were lost in this direction (capture drop or missed segment). */
  | 'tcp.gap'
  /** Reassembly: the connection's start (SYN) was not seen; joined mid-stream. */
  | 'tcp.mid-stream'
  /** Reassembly: retransmitted bytes differed from the bytes already delivered. */
  | 'tcp.overlap-conflict'
  /** Reassembly: a memory cap forced buffered out-of-order data to be skipped. */
  | 'tcp.memory-cap'
  /** Reassembly: the connection was reset. */
  | 'tcp.reset'
  /** Decode: an IPv4 fragment set never completed. */
  | 'ip.fragment-incomplete'
  /** A request got no response before its connection ended or timed out. */
  | 'no-response'
  /** A response arrived with no request to pair it with. */
  | 'unpaired-response'
  /** A message's body or payload was cut short (close, gap or end of capture). */
  | 'truncated'
  /** The dissector met bytes that violate its protocol and resynchronised or gave up. */
  | 'protocol-violation'
  /** A body's content-encoding could not be decoded; the raw bytes are kept. */
  | 'decode-failed'
  /** A body was larger than the kept-bytes limit; the rest was counted, not kept. */
  | 'body-capped';

export interface Anomaly {
  readonly code: AnomalyCode;
  /** Human-readable detail (stable enough for tests; not for machine parsing). */
  readonly detail: string;
}
