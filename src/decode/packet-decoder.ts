/**
 * `PacketDecoder`: frames → TCP/UDP packet views, with IPv4/IPv6 defragmentation. Sans-IO and
 * deterministic: the only time it uses is the frames' capture time (fragment timeouts).
 *
 * Contract: `decode` never throws on traffic. A frame that is not a TCP/UDP packet, is cut by the snap
 * length inside a header, or is malformed returns `null` and is counted by reason in `stats()`.
 * Payloads are views into `frame.data` (see types.ts), except for reassembled datagrams, whose payload
 * is a fresh array. Headers may be cut inside the payload by the snap length: the packet is decoded
 * and `payloadTruncatedBy` says how many payload bytes are missing. IP and transport checksums are not
 * verified (captures of offloading hosts carry wrong ones).
 */
import { tsToMs } from '../model/index.js';
import type { Frame, Timestamp } from '../model/index.js';
import { Ipv4TextCache, Ipv6TextCache } from './addr-cache.js';
import { FragmentTable } from './fragments.js';
import { LINK_NON_IP, LINK_SHORT, LINK_UNSUPPORTED, ipOffset } from './link.js';
import { decodeTransport, Fail } from './transport.js';
import type { FailCode } from './transport.js';
import type { DecodeStats, DecodedPacket, DecoderOptions, IpHeader } from './types.js';

const NH_HOP_BY_HOP = 0;
const NH_ROUTING = 43;
const NH_FRAGMENT = 44;
const NH_AH = 51;
const NH_DEST_OPTS = 60;

/** Decodes the frames of one capture (one fragment table per decoder); not thread-safe, cheap to create. */
export class PacketDecoder {
  private readonly v4 = new Ipv4TextCache();
  private readonly v6 = new Ipv6TextCache();
  private readonly frags: FragmentTable;
  private readonly counts: Omit<DecodeStats, 'fragmentTimeouts' | 'fragmentSetsDropped' | 'fragmentBytesBuffered'> = {
    frames: 0,
    decoded: 0,
    nonIp: 0,
    otherTransport: 0,
    malformed: 0,
    truncatedByCaplen: 0,
    payloadTruncated: 0,
    fragments: 0,
    reassembled: 0,
    unsupportedLink: 0,
  };

  constructor(options: DecoderOptions = {}) {
    this.frags = new FragmentTable(
      options.fragmentTimeoutMs ?? 30_000,
      options.maxFragmentBytes ?? 8 * 1024 * 1024,
      options.maxFragmentSets ?? 4096,
    );
  }

  /** Decodes one frame; `null` when it is not a complete-enough TCP/UDP packet (counted in stats). */
  decode(frame: Frame): DecodedPacket | null {
    this.counts.frames++;
    if (this.frags.size > 0) this.frags.expire(tsToMs(frame.ts));
    const b = frame.data;
    const off = ipOffset(frame.linkType, b);
    if (off < 0) return this.linkFailure(frame, off);
    if (b.length - off < 1) return this.fail(frame, Fail.SHORT);
    const version = b[off]! >> 4;
    if (version === 4) return this.ipv4(frame, b, off);
    if (version === 6) return this.ipv6(frame, b, off);
    this.counts.malformed++;
    return null;
  }

  /** Drops fragment sets that timed out by capture time `ts` (decode also does it on every frame). */
  advanceTo(ts: Timestamp): void {
    if (this.frags.size > 0) this.frags.expire(tsToMs(ts));
  }

  /** A snapshot of the counters. */
  stats(): DecodeStats {
    return {
      ...this.counts,
      fragmentTimeouts: this.frags.timeouts,
      fragmentSetsDropped: this.frags.dropped,
      fragmentBytesBuffered: this.frags.bytes,
    };
  }

  private ipv4(frame: Frame, b: Uint8Array, off: number): DecodedPacket | null {
    const have = b.length - off;
    if (have < 20) return this.fail(frame, Fail.SHORT);
    const ihl = (b[off]! & 15) << 2;
    if (ihl < 20) return this.fail(frame, Fail.MALFORMED);
    if (have < ihl) return this.fail(frame, Fail.SHORT);
    let total = (b[off + 2]! << 8) | b[off + 3]!;
    if (total === 0) total = have; // segmentation offload: the length is not filled in
    if (total < ihl) return this.fail(frame, Fail.MALFORMED);
    let end = off + total;
    let cut = 0;
    if (end > b.length) {
      if (b.length >= frame.origLen) return this.fail(frame, Fail.MALFORMED);
      cut = end - b.length;
      end = b.length;
    }
    const ip: IpHeader = {
      version: 4,
      src: this.v4.text(b, off + 12),
      dst: this.v4.text(b, off + 16),
      protocol: b[off + 9]!,
      ttl: b[off + 8]!,
    };
    const frag = ((b[off + 6]! << 8) | b[off + 7]!) & 0x3fff;
    if (frag !== 0) return this.ipv4Fragment(frame, ip, b, off, ihl, end, cut, frag);
    return this.finish(frame, decodeTransport(frame, ip, b, off + ihl, end, cut));
  }

  private ipv4Fragment(frame: Frame, ip: IpHeader, b: Uint8Array, off: number, ihl: number, end: number, cut: number, frag: number): DecodedPacket | null {
    this.counts.fragments++;
    if (cut > 0) return this.fail(frame, Fail.SHORT);
    const id = (b[off + 4]! << 8) | b[off + 5]!;
    const key = `4 ${ip.src} ${ip.dst} ${ip.protocol} ${id}`;
    const done = this.frags.add(key, (frag & 0x1fff) << 3, (frag & 0x2000) !== 0, b.subarray(off + ihl, end), 0, tsToMs(frame.ts));
    if (done === 'bad') return this.fail(frame, Fail.MALFORMED);
    if (done === null) return null;
    this.counts.reassembled++;
    return this.finish(frame, decodeTransport(frame, ip, done.payload, 0, done.payload.length, 0));
  }

  private ipv6(frame: Frame, b: Uint8Array, off: number): DecodedPacket | null {
    const have = b.length - off;
    if (have < 40) return this.fail(frame, Fail.SHORT);
    const payloadLength = (b[off + 4]! << 8) | b[off + 5]!;
    let end = off + 40 + (payloadLength === 0 && b[off + 6] === NH_HOP_BY_HOP ? have - 40 : payloadLength);
    let cut = 0;
    if (end > b.length) {
      if (b.length >= frame.origLen) return this.fail(frame, Fail.MALFORMED);
      cut = end - b.length;
      end = b.length;
    }
    const ip = {
      version: 6 as const,
      src: this.v6.text(b, off + 8),
      dst: this.v6.text(b, off + 24),
      protocol: b[off + 6]!,
      ttl: b[off + 7]!,
    };
    return this.ipv6Headers(frame, ip, b, off + 40, end, cut, false);
  }

  /**
   * Walks IPv6 extension headers from `off` (the header named by `ip.protocol`) to the transport,
   * defragmenting on the way. `reassembled` is true when `b` is an already rebuilt payload.
   */
  private ipv6Headers(frame: Frame, ip: { -readonly [K in keyof IpHeader]: IpHeader[K] }, b: Uint8Array, off: number, end: number, cut: number, reassembled: boolean): DecodedPacket | null {
    for (;;) {
      const nh = ip.protocol;
      if (nh !== NH_HOP_BY_HOP && nh !== NH_ROUTING && nh !== NH_DEST_OPTS && nh !== NH_AH && nh !== NH_FRAGMENT) break;
      if (end - off < 8) return this.fail(frame, cut > 0 ? Fail.SHORT : Fail.MALFORMED);
      if (nh === NH_FRAGMENT) {
        const fo = (b[off + 2]! << 8) | b[off + 3]!;
        ip.protocol = b[off]!;
        off += 8;
        if ((fo & 0xfff9) === 0) continue; // atomic fragment: offset 0, no more fragments
        if (reassembled) return this.fail(frame, Fail.MALFORMED);
        return this.ipv6Fragment(frame, ip, b, off, end, cut, fo, readU32(b, off - 4));
      }
      const len = nh === NH_AH ? (b[off + 1]! + 2) << 2 : (b[off + 1]! + 1) << 3;
      ip.protocol = b[off]!;
      off += len;
      if (off > end) return this.fail(frame, cut > 0 ? Fail.SHORT : Fail.MALFORMED);
    }
    return this.finish(frame, decodeTransport(frame, ip, b, off, end, cut));
  }

  private ipv6Fragment(frame: Frame, ip: { -readonly [K in keyof IpHeader]: IpHeader[K] }, b: Uint8Array, off: number, end: number, cut: number, fo: number, id: number): DecodedPacket | null {
    this.counts.fragments++;
    if (cut > 0) return this.fail(frame, Fail.SHORT);
    const key = `6 ${ip.src} ${ip.dst} ${id}`;
    const done = this.frags.add(key, fo & 0xfff8, (fo & 1) !== 0, b.subarray(off, end), ip.protocol, tsToMs(frame.ts));
    if (done === 'bad') return this.fail(frame, Fail.MALFORMED);
    if (done === null) return null;
    this.counts.reassembled++;
    ip.protocol = done.firstInfo;
    return this.ipv6Headers(frame, ip, done.payload, 0, done.payload.length, 0, true);
  }

  private finish(frame: Frame, r: DecodedPacket | FailCode): DecodedPacket | null {
    if (typeof r === 'number') return this.fail(frame, r);
    this.counts.decoded++;
    if (r.transport.payloadTruncatedBy) this.counts.payloadTruncated++;
    return r;
  }

  private fail(frame: Frame, code: FailCode): null {
    if (code === Fail.OTHER_TRANSPORT) this.counts.otherTransport++;
    else if (code === Fail.SHORT && frame.data.length < frame.origLen) this.counts.truncatedByCaplen++;
    else this.counts.malformed++;
    return null;
  }

  private linkFailure(frame: Frame, code: number): null {
    if (code === LINK_NON_IP) this.counts.nonIp++;
    else if (code === LINK_UNSUPPORTED) this.counts.unsupportedLink++;
    else if (code === LINK_SHORT) this.fail(frame, Fail.SHORT);
    return null;
  }
}

function readU32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}
