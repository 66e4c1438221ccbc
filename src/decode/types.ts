/**
 * Packet views produced by `decode`. A view's `payload` is a subarray of the frame's `data` (no copy):
 * it stays valid as long as the frame does, which is for as long as the caller keeps it — frames own
 * their bytes. Consumers that keep payload beyond the call must copy.
 */
import type { Timestamp } from '../model/index.js';

/** TCP flag bits as in the header's low byte (plus NS unused). */
export const TcpFlag = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20 } as const;

export interface IpHeader {
  readonly version: 4 | 6;
  /** Canonical text address (same form as the socket table uses). */
  readonly src: string;
  readonly dst: string;
  /** IP protocol number of the transport (6 TCP, 17 UDP, ...). */
  readonly protocol: number;
  readonly ttl: number;
}

export interface TcpSegment {
  readonly kind: 'tcp';
  readonly srcPort: number;
  readonly dstPort: number;
  /** Unsigned 32-bit sequence number. */
  readonly seq: number;
  /** Unsigned 32-bit acknowledgement number. */
  readonly ack: number;
  /** TcpFlag bits. */
  readonly flags: number;
  readonly window: number;
  readonly payload: Uint8Array;
  /**
   * Payload bytes that were on the wire after `payload` but cut by the capture's snap length (0 or
   * absent when the payload is complete). Reassembly turns them into a gap of that many bytes.
   */
  readonly payloadTruncatedBy?: number;
}

export interface UdpDatagram {
  readonly kind: 'udp';
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Uint8Array;
  /** Payload bytes cut by the snap length (0 or absent when complete). */
  readonly payloadTruncatedBy?: number;
}

/** A decoded packet with a TCP or UDP transport. Packets of other transports are counted, not yielded. */
export interface DecodedPacket {
  readonly ts: Timestamp;
  readonly ip: IpHeader;
  readonly transport: TcpSegment | UdpDatagram;
  /** Wire length of the frame. */
  readonly frameLength: number;
}

/**
 * Counters of a `PacketDecoder` since it was created. Every frame counts in `frames` and in exactly one
 * of `decoded`, `nonIp`, `otherTransport`, `malformed`, `truncatedByCaplen` and `unsupportedLink` — except
 * a fragment held for reassembly, which counts only in `fragments`. (Every fragment counts in
 * `fragments`; the one completing a datagram also in `reassembled` and in the outcome of the datagram.)
 */
export interface DecodeStats {
  /** Frames given to `decode`. */
  frames: number;
  /** Packets returned (TCP or UDP). */
  decoded: number;
  /** Link-layer payloads that are not IPv4/IPv6 (ARP, LLDP, ...). */
  nonIp: number;
  /** IP packets whose transport is neither TCP nor UDP (ICMP, ESP, no-next-header, ...). */
  otherTransport: number;
  /** Bytes that violate a header's rules (bad lengths, versions, offsets). */
  malformed: number;
  /** Headers cut by the capture's snap length (the packet could not be decoded). */
  truncatedByCaplen: number;
  /** Decoded packets whose payload was cut by the snap length (see `payloadTruncatedBy`). */
  payloadTruncated: number;
  /** IPv4/IPv6 fragments received (each one frame). */
  fragments: number;
  /** Datagrams rebuilt from fragments. */
  reassembled: number;
  /** Fragment sets dropped incomplete after the fragment timeout (anomaly `ip.fragment-incomplete`). */
  fragmentTimeouts: number;
  /** Fragment sets dropped because a memory cap was reached or their fragments disagreed. */
  fragmentSetsDropped: number;
  /** Bytes currently held by incomplete fragment sets. */
  fragmentBytesBuffered: number;
  /** Frames of a link type the decoder does not know. */
  unsupportedLink: number;
}

/** Options of a `PacketDecoder`; every field has a default. */
export interface DecoderOptions {
  /** Incomplete fragment sets are dropped this long (capture time) after their first fragment. Default 30 s. */
  readonly fragmentTimeoutMs?: number;
  /** Bytes held across all incomplete fragment sets; the oldest sets are dropped beyond it. Default 8 MiB. */
  readonly maxFragmentBytes?: number;
  /** Incomplete fragment sets at most; the oldest is dropped beyond it. Default 4096. */
  readonly maxFragmentSets?: number;
}
