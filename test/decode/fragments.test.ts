import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacketDecoder } from '../../src/decode/index.js';
import type { DecodedPacket } from '../../src/decode/index.js';
import { LinkType } from '../../src/model/index.js';
import { buildEthernet, buildIpTcp, buildIpUdp, buildIpv4, buildIpv6, fragmentIpv4, fragmentIpv6, frameOf } from './builders.js';

const body = Uint8Array.from({ length: 1203 }, (_, i) => (i * 7 + 3) & 0xff);
const v4 = buildIpTcp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1234, dport: 80, seq: 99, payload: body, id: 4242 });
const v6 = buildIpUdp({ src: 'fd00::1', dst: 'fd00::2', sport: 1234, dport: 53, payload: body });
const transportLength = v4.length - 20; // TCP header + body

/** An IPv4 fragment of `packet` (no options) carrying payload bytes [from, to). */
function v4Fragment(packet: Uint8Array, from: number, to: number): Uint8Array {
  const payload = packet.subarray(20);
  return buildIpv4({
    src: '10.0.0.1',
    dst: '10.0.0.2',
    protocol: 6,
    id: 4242,
    payload: payload.slice(from, to),
    fragmentOffset: from,
    moreFragments: to < payload.length,
  });
}

/** An IPv6 fragment of `packet` (no extension headers) carrying payload bytes [from, to). */
function v6Fragment(packet: Uint8Array, from: number, to: number, id = 77): Uint8Array {
  const payload = packet.subarray(40);
  return buildIpv6({
    src: 'fd00::1',
    dst: 'fd00::2',
    nextHeader: 17,
    payload: payload.slice(from, to),
    extensions: [{ type: 44, offset: from, more: to < payload.length, id }],
  });
}

/** Random fragment ranges covering [0, length): a partition in 2+ pieces plus overlapping/duplicate ranges. */
const ranges = (length: number) =>
  fc
    .tuple(
      fc.uniqueArray(fc.integer({ min: 1, max: Math.floor((length - 1) / 8) }), { minLength: 1, maxLength: 20 }),
      fc.array(fc.tuple(fc.nat(Math.floor(length / 8)), fc.nat(Math.floor(length / 8))), { maxLength: 6 }),
    )
    .map(([cuts, extra]) => {
      const points = [0, ...cuts.map((c) => c * 8).sort((a, b) => a - b), length];
      const out: Array<[number, number]> = [];
      for (let i = 0; i + 1 < points.length; i++) out.push([points[i]!, points[i + 1]!]);
      for (const [x, y] of extra) {
        const a = Math.min(x, y) * 8;
        const b = Math.min(length, Math.max(x, y) * 8 + 8);
        if (a < b && !(a === 0 && b === length)) out.push([a, b]); // [0, length) is no fragment
      }
      return out;
    });

function decodeAll(d: PacketDecoder, frames: Uint8Array[], linkType: number = LinkType.RAW): DecodedPacket[] {
  const out: DecodedPacket[] = [];
  frames.forEach((f, i) => {
    const pkt = d.decode(frameOf(f, linkType, i));
    if (pkt) out.push(pkt);
  });
  return out;
}

function shuffle<T>(xs: T[], seed: number): T[] {
  const out = xs.slice();
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('IPv4 defragmentation', () => {
  it('rebuilds a datagram split by the builder', () => {
    const d = new PacketDecoder();
    const pkts = decodeAll(d, fragmentIpv4(v4, 400).map((f) => buildEthernet(f)), LinkType.ETHERNET);
    expect(pkts).toHaveLength(1);
    expect(pkts[0]!.transport).toMatchObject({ kind: 'tcp', srcPort: 1234, dstPort: 80, seq: 99 });
    expect(Array.from(pkts[0]!.transport.payload)).toEqual(Array.from(body));
    expect(d.stats()).toMatchObject({ fragments: 4, reassembled: 1, decoded: 1, fragmentBytesBuffered: 0 });
  });

  it('gives the same datagram for any order, overlap and duplication', () => {
    fc.assert(
      fc.property(ranges(transportLength), fc.integer(), (rs, seed) => {
        const d = new PacketDecoder();
        const frames = shuffle(rs, seed).map(([a, b]) => v4Fragment(v4, a, b));
        const pkts = decodeAll(d, frames);
        expect(pkts.length).toBeGreaterThanOrEqual(1);
        for (const p of pkts) expect(Buffer.from(p.transport.payload).equals(Buffer.from(body))).toBe(true);
        // Duplicates arriving after completion open a new set, which times out.
        d.advanceTo({ sec: 60, nsec: 0 });
        expect(d.stats().fragmentBytesBuffered).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps sets of different ids, addresses and protocols apart', () => {
    const other = buildIpTcp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5, dport: 6, payload: body.slice(0, 500), id: 4243 });
    const a = fragmentIpv4(v4, 256);
    const b = fragmentIpv4(other, 256);
    const frames = a.flatMap((f, i) => (b[i] ? [f, b[i]] : [f]));
    const pkts = decodeAll(new PacketDecoder(), frames);
    expect(pkts.map((p) => p.transport.srcPort).sort()).toEqual([1234, 5]);
  });

  it('drops incomplete sets after 30 s of capture time and counts them', () => {
    const d = new PacketDecoder();
    const [first, ...rest] = fragmentIpv4(v4, 400);
    expect(d.decode(frameOf(first!, LinkType.RAW, 0))).toBeNull();
    expect(d.decode(frameOf(rest[0]!, LinkType.RAW, 29_999))).toBeNull();
    expect(d.stats().fragmentTimeouts).toBe(0);
    d.advanceTo({ sec: 30, nsec: 0 });
    expect(d.stats()).toMatchObject({ fragmentTimeouts: 1, fragmentBytesBuffered: 0 });
    // The rest alone no longer completes the datagram.
    expect(decodeAll(d, rest.slice(1))).toHaveLength(0);
  });

  it('drops the oldest sets beyond the memory cap', () => {
    const d = new PacketDecoder({ maxFragmentBytes: 3000 });
    for (let id = 1; id <= 5; id++) {
      const p = buildIpTcp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, payload: body, id });
      d.decode(frameOf(fragmentIpv4(p, 800)[0]!, LinkType.RAW));
      expect(d.stats().fragmentBytesBuffered).toBeLessThanOrEqual(3000);
    }
    expect(d.stats().fragmentSetsDropped).toBeGreaterThan(0);
  });

  it('drops a set whose fragments disagree on its length, and rejects impossible fragments', () => {
    const d = new PacketDecoder();
    expect(d.decode(frameOf(v4Fragment(v4, 8, transportLength), LinkType.RAW))).toBeNull();
    const lastAt16 = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 6, id: 4242, payload: new Uint8Array(8), fragmentOffset: 8 });
    expect(d.decode(frameOf(lastAt16, LinkType.RAW))).toBeNull();
    expect(d.stats().fragmentSetsDropped).toBe(1);
    const beyond = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 6, id: 9, payload: new Uint8Array(16), fragmentOffset: 65528, moreFragments: true });
    const odd = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 6, id: 9, payload: new Uint8Array(12), moreFragments: true });
    expect(d.decode(frameOf(beyond, LinkType.RAW))).toBeNull();
    expect(d.decode(frameOf(odd, LinkType.RAW))).toBeNull();
    expect(d.stats().malformed).toBe(2);
  });
});

describe('IPv6 defragmentation', () => {
  it('rebuilds a datagram split by the builder', () => {
    const pkts = decodeAll(new PacketDecoder(), fragmentIpv6(v6, 500, 0xdeadbeef));
    expect(pkts).toHaveLength(1);
    expect(pkts[0]!.ip).toMatchObject({ version: 6, protocol: 17 });
    expect(Buffer.from(pkts[0]!.transport.payload).equals(Buffer.from(body))).toBe(true);
  });

  it('gives the same datagram for any order, overlap and duplication', () => {
    fc.assert(
      fc.property(ranges(v6.length - 40), fc.integer(), (rs, seed) => {
        const d = new PacketDecoder();
        const pkts = decodeAll(d, shuffle(rs, seed).map(([a, b]) => v6Fragment(v6, a, b)));
        expect(pkts.length).toBeGreaterThanOrEqual(1);
        expect(Buffer.from(pkts[0]!.transport.payload).equals(Buffer.from(body))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('continues with the extension headers after the fragment header', () => {
    const udp = v6.subarray(40);
    const inner = buildIpv6({ src: 'fd00::1', dst: 'fd00::2', nextHeader: 17, payload: udp, extensions: [{ type: 60 }] });
    const frags = fragmentIpv6(inner, 304, 5);
    const pkts = decodeAll(new PacketDecoder(), frags.reverse());
    expect(pkts).toHaveLength(1);
    expect(pkts[0]!.transport.kind).toBe('udp');
    expect(pkts[0]!.transport.payload.length).toBe(body.length);
  });
});
