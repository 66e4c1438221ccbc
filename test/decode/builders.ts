/**
 * Builders of synthetic frames for tests and synthetic captures: link headers (Ethernet with VLAN tags,
 * Linux SLL/SLL2, BSD NULL/LOOP), IPv4 (options, fragments) and IPv6 (extension headers, fragments),
 * TCP and UDP with valid checksums. Every builder returns a fresh `Uint8Array` the caller owns.
 * Addresses are text (`10.0.0.1`, `fd00::1`); a `*Ip*` builder picks IPv4 or IPv6 from the address form.
 */
import { LinkType, parseIpv4, parseIpv6, tsFromMs } from '../../src/model/index.js';
import type { Frame } from '../../src/model/index.js';

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface TcpSpec {
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  readonly seq?: number;
  readonly ack?: number;
  /** TCP flag bits; default ACK. */
  readonly flags?: number;
  readonly window?: number;
  readonly payload?: Uint8Array | string;
  /** TCP options (padded to 4 bytes). */
  readonly options?: Uint8Array;
  /** IPv4 TTL / IPv6 hop limit; default 64. */
  readonly ttl?: number;
  /** IPv4 identification; default 1. */
  readonly id?: number;
}

export interface UdpSpec {
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  readonly payload?: Uint8Array | string;
  readonly ttl?: number;
  readonly id?: number;
}

export interface Ipv4Spec {
  readonly src: string;
  readonly dst: string;
  readonly protocol: number;
  readonly payload: Uint8Array;
  readonly id?: number;
  readonly ttl?: number;
  readonly dontFragment?: boolean;
  readonly moreFragments?: boolean;
  /** Fragment offset in bytes (a multiple of 8). */
  readonly fragmentOffset?: number;
  /** IP options (padded to 4 bytes). */
  readonly options?: Uint8Array;
}

/** An IPv6 extension header; the builder fills in each "next header" field. */
export type Ipv6Extension =
  | { readonly type: 0 | 43 | 60; readonly body?: Uint8Array }
  | { readonly type: 51; readonly body?: Uint8Array }
  | { readonly type: 44; readonly offset: number; readonly more: boolean; readonly id: number };

export interface Ipv6Spec {
  readonly src: string;
  readonly dst: string;
  /** Protocol after the extension headers (6 TCP, 17 UDP, 59 none). */
  readonly nextHeader: number;
  readonly payload: Uint8Array;
  readonly hopLimit?: number;
  readonly extensions?: readonly Ipv6Extension[];
}

export interface VlanTag {
  /** 0x8100 (default), 0x88a8 or 0x9100. */
  readonly tpid?: number;
  readonly vid: number;
}

export interface EthernetOptions {
  /** Default from the payload's IP version nibble. */
  readonly etherType?: number;
  readonly vlans?: readonly VlanTag[];
  readonly srcMac?: readonly number[];
  readonly dstMac?: readonly number[];
}

export interface SllOptions {
  /** Default from the payload's IP version nibble. */
  readonly protocol?: number;
  readonly packetType?: number;
  readonly hatype?: number;
  readonly interfaceIndex?: number;
}

export interface NullOptions {
  /** Address family; default 2 for IPv4 payloads, 30 for IPv6. */
  readonly family?: number;
  /** NULL only: write the family little-endian (the default) or big-endian. */
  readonly littleEndian?: boolean;
}

const enc = new TextEncoder();

export function bytesOf(p: Uint8Array | string | undefined): Uint8Array {
  if (p === undefined) return new Uint8Array(0);
  return typeof p === 'string' ? enc.encode(p) : p;
}

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function ipBytes(text: string): Uint8Array {
  const v4 = parseIpv4(text);
  if (v4) return Uint8Array.from(v4);
  const v6 = parseIpv6(text);
  if (v6) return Uint8Array.from(v6);
  throw new Error(`not an IP address: ${text}`);
}

function isV6(text: string): boolean {
  return text.includes(':');
}

function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

function pad4(b: Uint8Array | undefined): Uint8Array {
  if (!b || b.length === 0) return new Uint8Array(0);
  const out = new Uint8Array((b.length + 3) & ~3);
  out.set(b);
  return out;
}

/** Internet checksum (RFC 1071) of the concatenation of `parts`. */
export function internetChecksum(...parts: readonly Uint8Array[]): number {
  let sum = 0;
  let odd = -1;
  for (const p of parts) {
    for (const byte of p) {
      if (odd < 0) odd = byte;
      else {
        sum += (odd << 8) | byte;
        odd = -1;
      }
    }
  }
  if (odd >= 0) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function pseudoHeader(src: string, dst: string, protocol: number, length: number): Uint8Array {
  const s = ipBytes(src);
  const d = ipBytes(dst);
  const tail = new Uint8Array(isV6(src) ? 8 : 4);
  if (isV6(src)) {
    put32(tail, 0, length);
    tail[7] = protocol;
  } else {
    tail[1] = protocol;
    put16(tail, 2, length);
  }
  return concat(s, d, tail);
}

/** TCP header + payload with a valid checksum for `spec.src` → `spec.dst`. */
export function buildTcp(spec: TcpSpec): Uint8Array {
  const options = pad4(spec.options);
  const payload = bytesOf(spec.payload);
  const h = new Uint8Array(20 + options.length);
  put16(h, 0, spec.sport);
  put16(h, 2, spec.dport);
  put32(h, 4, spec.seq ?? 0);
  put32(h, 8, spec.ack ?? 0);
  h[12] = (h.length / 4) << 4;
  h[13] = spec.flags ?? TCP_ACK;
  put16(h, 14, spec.window ?? 65535);
  h.set(options, 20);
  const seg = concat(h, payload);
  put16(seg, 16, internetChecksum(pseudoHeader(spec.src, spec.dst, 6, seg.length), seg));
  return seg;
}

/** UDP header + payload with a valid checksum. */
export function buildUdp(spec: UdpSpec): Uint8Array {
  const payload = bytesOf(spec.payload);
  const d = new Uint8Array(8 + payload.length);
  put16(d, 0, spec.sport);
  put16(d, 2, spec.dport);
  put16(d, 4, d.length);
  d.set(payload, 8);
  put16(d, 6, internetChecksum(pseudoHeader(spec.src, spec.dst, 17, d.length), d) || 0xffff);
  return d;
}

/** IPv4 header (with checksum) + payload. */
export function buildIpv4(spec: Ipv4Spec): Uint8Array {
  const options = pad4(spec.options);
  const h = new Uint8Array(20 + options.length);
  h[0] = 0x40 | (h.length / 4);
  put16(h, 2, h.length + spec.payload.length);
  put16(h, 4, spec.id ?? 1);
  const flags = (spec.dontFragment ? 0x4000 : 0) | (spec.moreFragments ? 0x2000 : 0);
  put16(h, 6, flags | ((spec.fragmentOffset ?? 0) >>> 3));
  h[8] = spec.ttl ?? 64;
  h[9] = spec.protocol;
  h.set(ipBytes(spec.src), 12);
  h.set(ipBytes(spec.dst), 16);
  h.set(options, 20);
  put16(h, 10, internetChecksum(h));
  return concat(h, spec.payload);
}

/** IPv6 header + extension headers + payload. */
export function buildIpv6(spec: Ipv6Spec): Uint8Array {
  const exts = spec.extensions ?? [];
  const types = [...exts.map((e) => e.type), spec.nextHeader];
  const parts = exts.map((e, i) => extensionBytes(e, types[i + 1]!));
  const rest = concat(...parts, spec.payload);
  const h = new Uint8Array(40);
  h[0] = 0x60;
  put16(h, 4, rest.length);
  h[6] = types[0]!;
  h[7] = spec.hopLimit ?? 64;
  h.set(ipBytes(spec.src), 8);
  h.set(ipBytes(spec.dst), 24);
  return concat(h, rest);
}

function extensionBytes(e: Ipv6Extension, next: number): Uint8Array {
  if (e.type === 44) {
    const f = new Uint8Array(8);
    f[0] = next;
    put16(f, 2, (e.offset & 0xfff8) | (e.more ? 1 : 0));
    put32(f, 4, e.id);
    return f;
  }
  const body = e.body ?? new Uint8Array(e.type === 51 ? 10 : 6);
  const unit = e.type === 51 ? 4 : 8;
  const total = Math.ceil((body.length + 2) / unit) * unit;
  const x = new Uint8Array(Math.max(total, 8));
  x[0] = next;
  x[1] = e.type === 51 ? x.length / 4 - 2 : x.length / 8 - 1;
  x.set(body, 2);
  return x;
}

/** IPv4 or IPv6 (by address form) packet carrying TCP. */
export function buildIpTcp(spec: TcpSpec): Uint8Array {
  const seg = buildTcp(spec);
  return isV6(spec.src)
    ? buildIpv6({ src: spec.src, dst: spec.dst, nextHeader: 6, payload: seg, hopLimit: spec.ttl })
    : buildIpv4({ src: spec.src, dst: spec.dst, protocol: 6, payload: seg, ttl: spec.ttl, id: spec.id, dontFragment: true });
}

/** IPv4 or IPv6 (by address form) packet carrying UDP. */
export function buildIpUdp(spec: UdpSpec): Uint8Array {
  const d = buildUdp(spec);
  return isV6(spec.src)
    ? buildIpv6({ src: spec.src, dst: spec.dst, nextHeader: 17, payload: d, hopLimit: spec.ttl })
    : buildIpv4({ src: spec.src, dst: spec.dst, protocol: 17, payload: d, ttl: spec.ttl, id: spec.id });
}

function etherTypeOf(ipPacket: Uint8Array): number {
  return (ipPacket[0] ?? 0) >> 4 === 6 ? 0x86dd : 0x0800;
}

/** Ethernet II frame around `payload`, with optional 802.1Q/802.1ad tags (outermost first). */
export function buildEthernet(payload: Uint8Array, opts: EthernetOptions = {}): Uint8Array {
  const vlans = opts.vlans ?? [];
  const h = new Uint8Array(14 + 4 * vlans.length);
  h.set(opts.dstMac ?? [0x02, 0, 0, 0, 0, 0x02], 0);
  h.set(opts.srcMac ?? [0x02, 0, 0, 0, 0, 0x01], 6);
  let o = 12;
  for (const tag of vlans) {
    put16(h, o, tag.tpid ?? 0x8100);
    put16(h, o + 2, tag.vid & 0x0fff);
    o += 4;
  }
  put16(h, o, opts.etherType ?? etherTypeOf(payload));
  return concat(h, payload);
}

/** Linux cooked capture v1 (16-byte header). */
export function buildSll(payload: Uint8Array, opts: SllOptions = {}): Uint8Array {
  const h = new Uint8Array(16);
  put16(h, 0, opts.packetType ?? 0);
  put16(h, 2, opts.hatype ?? 1);
  put16(h, 4, 6);
  h.set([0x02, 0, 0, 0, 0, 0x01], 6);
  put16(h, 14, opts.protocol ?? etherTypeOf(payload));
  return concat(h, payload);
}

/** Linux cooked capture v2 (20-byte header). */
export function buildSll2(payload: Uint8Array, opts: SllOptions = {}): Uint8Array {
  const h = new Uint8Array(20);
  put16(h, 0, opts.protocol ?? etherTypeOf(payload));
  put32(h, 4, opts.interfaceIndex ?? 1);
  put16(h, 8, opts.hatype ?? 1);
  h[10] = opts.packetType ?? 0;
  h[11] = 6;
  h.set([0x02, 0, 0, 0, 0, 0x01], 12);
  return concat(h, payload);
}

/** BSD loopback (LINKTYPE_NULL): family in host byte order, little-endian unless told otherwise. */
export function buildNull(payload: Uint8Array, opts: NullOptions = {}): Uint8Array {
  const family = opts.family ?? (etherTypeOf(payload) === 0x86dd ? 30 : 2);
  const h = new Uint8Array(4);
  if (opts.littleEndian ?? true) h[0] = family;
  else put32(h, 0, family);
  return concat(h, payload);
}

/** OpenBSD loopback (LINKTYPE_LOOP): family in network byte order. */
export function buildLoop(payload: Uint8Array, opts: NullOptions = {}): Uint8Array {
  return buildNull(payload, { family: opts.family ?? (etherTypeOf(payload) === 0x86dd ? 24 : 2), littleEndian: false });
}

export function buildEthernetIpv4Tcp(spec: TcpSpec, eth?: EthernetOptions): Uint8Array {
  return buildEthernet(buildIpTcp(spec), eth);
}
export const buildEthernetIpv6Tcp = buildEthernetIpv4Tcp;
export function buildEthernetIpUdp(spec: UdpSpec, eth?: EthernetOptions): Uint8Array {
  return buildEthernet(buildIpUdp(spec), eth);
}
export const buildEthernetIpv4Udp = buildEthernetIpUdp;
export const buildEthernetIpv6Udp = buildEthernetIpUdp;

/** Splits an unfragmented IPv4 packet into fragments of at most `size` payload bytes (rounded to 8). */
export function fragmentIpv4(packet: Uint8Array, size: number): Uint8Array[] {
  const ihl = (packet[0]! & 15) * 4;
  const payload = packet.subarray(ihl, ((packet[2]! << 8) | packet[3]!));
  const step = Math.max(8, size & ~7);
  const out: Uint8Array[] = [];
  for (let off = 0; off < payload.length; off += step) {
    const chunk = payload.subarray(off, Math.min(payload.length, off + step));
    const h = packet.slice(0, ihl);
    put16(h, 2, ihl + chunk.length);
    put16(h, 6, (off + step < payload.length ? 0x2000 : 0) | (off >>> 3));
    put16(h, 10, 0);
    put16(h, 10, internetChecksum(h));
    out.push(concat(h, chunk));
  }
  return out;
}

/** Splits the upper-layer payload of an IPv6 packet without extension headers into fragments. */
export function fragmentIpv6(packet: Uint8Array, size: number, id: number): Uint8Array[] {
  const src = packet.subarray(8, 24);
  const dst = packet.subarray(24, 40);
  const nextHeader = packet[6]!;
  const payload = packet.subarray(40);
  const step = Math.max(8, size & ~7);
  const out: Uint8Array[] = [];
  for (let off = 0; off < payload.length; off += step) {
    const chunk = payload.subarray(off, Math.min(payload.length, off + step));
    const frag = extensionBytes({ type: 44, offset: off, more: off + step < payload.length, id }, nextHeader);
    const h = packet.slice(0, 40);
    h.set(src, 8);
    h.set(dst, 24);
    h[6] = 44;
    put16(h, 4, frag.length + chunk.length);
    out.push(concat(h, frag, chunk));
  }
  return out;
}

/** A frame of `data` captured at `tsMs` (origLen defaults to the data length). */
export function frameOf(data: Uint8Array, linkType: number = LinkType.ETHERNET, tsMs = 0, origLen = data.length): Frame {
  return { ts: tsFromMs(tsMs), linkType, data, origLen, interfaceId: 0 };
}
