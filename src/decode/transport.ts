/**
 * TCP and UDP headers → packet views. The returned payload is a subarray of `b` (no copy), or a shared
 * empty array when there is none. Failures are returned as `Fail` codes, never thrown.
 */
import type { Frame } from '../model/index.js';
import type { DecodedPacket, IpHeader, TcpSegment, UdpDatagram } from './types.js';

/** Why a packet did not decode. */
export const Fail = { OTHER_TRANSPORT: 1, MALFORMED: 2, SHORT: 3 } as const;
export type FailCode = (typeof Fail)[keyof typeof Fail];

const EMPTY = new Uint8Array(0);

/**
 * Decodes the transport in `b[off, end)`, the IP payload as captured; `cut` bytes of it were on the wire
 * after `end` but cut by the snap length.
 */
export function decodeTransport(frame: Frame, ip: IpHeader, b: Uint8Array, off: number, end: number, cut: number): DecodedPacket | FailCode {
  const p = ip.protocol;
  if (p === 6) return tcp(frame, ip, b, off, end, cut);
  if (p === 17) return udp(frame, ip, b, off, end, cut);
  return Fail.OTHER_TRANSPORT;
}

function tcp(frame: Frame, ip: IpHeader, b: Uint8Array, off: number, end: number, cut: number): DecodedPacket | FailCode {
  const wire = end + cut - off;
  const have = end - off;
  if (wire < 20) return Fail.MALFORMED;
  if (have < 20) return Fail.SHORT;
  const hl = (b[off + 12]! >> 4) << 2;
  if (hl < 20 || hl > wire) return Fail.MALFORMED;
  if (hl > have) return Fail.SHORT;
  const segment: TcpSegment = {
    kind: 'tcp',
    srcPort: (b[off]! << 8) | b[off + 1]!,
    dstPort: (b[off + 2]! << 8) | b[off + 3]!,
    seq: ((b[off + 4]! << 24) | (b[off + 5]! << 16) | (b[off + 6]! << 8) | b[off + 7]!) >>> 0,
    ack: ((b[off + 8]! << 24) | (b[off + 9]! << 16) | (b[off + 10]! << 8) | b[off + 11]!) >>> 0,
    flags: b[off + 13]!,
    window: (b[off + 14]! << 8) | b[off + 15]!,
    payload: hl === have ? EMPTY : b.subarray(off + hl, end),
    payloadTruncatedBy: cut,
  };
  return { ts: frame.ts, ip, transport: segment, frameLength: frame.origLen };
}

function udp(frame: Frame, ip: IpHeader, b: Uint8Array, off: number, end: number, cut: number): DecodedPacket | FailCode {
  const wire = end + cut - off;
  const have = end - off;
  if (wire < 8) return Fail.MALFORMED;
  if (have < 8) return Fail.SHORT;
  let len = (b[off + 4]! << 8) | b[off + 5]!;
  if (len === 0 && wire > 0xffff) len = wire; // IPv6 jumbogram
  if (len < 8 || len > wire) return Fail.MALFORMED;
  const stop = Math.min(off + len, end);
  const datagram: UdpDatagram = {
    kind: 'udp',
    srcPort: (b[off]! << 8) | b[off + 1]!,
    dstPort: (b[off + 2]! << 8) | b[off + 3]!,
    payload: stop === off + 8 ? EMPTY : b.subarray(off + 8, stop),
    payloadTruncatedBy: off + len - stop,
  };
  return { ts: frame.ts, ip, transport: datagram, frameLength: frame.origLen };
}
