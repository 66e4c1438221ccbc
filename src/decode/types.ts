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
}

export interface UdpDatagram {
  readonly kind: 'udp';
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Uint8Array;
}

/** A decoded packet with a TCP or UDP transport. Packets of other transports are counted, not yielded. */
export interface DecodedPacket {
  readonly ts: Timestamp;
  readonly ip: IpHeader;
  readonly transport: TcpSegment | UdpDatagram;
  /** Wire length of the frame. */
  readonly frameLength: number;
}
