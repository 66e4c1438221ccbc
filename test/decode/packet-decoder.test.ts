import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacketDecoder } from '../../src/decode/index.js';
import type { DecodeStats, TcpSegment, UdpDatagram } from '../../src/decode/index.js';
import { canonicalIp, LinkType } from '../../src/model/index.js';
import {
  buildEthernet,
  buildEthernetIpUdp,
  buildEthernetIpv4Tcp,
  buildIpTcp,
  buildIpv4,
  buildIpv6,
  buildSll2,
  buildTcp,
  buildUdp,
  frameOf,
  TCP_SYN,
} from './builders.js';

const text = (b: Uint8Array): string => Buffer.from(b).toString();

function outcomes(s: DecodeStats): number {
  return s.decoded + s.nonIp + s.otherTransport + s.malformed + s.truncatedByCaplen + s.unsupportedLink;
}

describe('IPv4', () => {
  it('skips IP options and trims Ethernet padding', () => {
    const seg = buildTcp({ src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 2, payload: 'ab' });
    const ip = buildIpv4({ src: '1.1.1.1', dst: '2.2.2.2', protocol: 6, payload: seg, options: Uint8Array.of(1, 1, 1, 0, 7, 3, 4) });
    const padded = new Uint8Array(ip.length + 10);
    padded.set(ip);
    const pkt = new PacketDecoder().decode(frameOf(buildEthernet(padded)));
    expect(text(pkt!.transport.payload)).toBe('ab');
  });

  it('takes a zero total length (segmentation offload) as the captured length', () => {
    const ip = buildIpTcp({ src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 2, payload: 'offloaded' });
    ip[2] = 0;
    ip[3] = 0;
    const pkt = new PacketDecoder().decode(frameOf(ip, LinkType.RAW));
    expect(text(pkt!.transport.payload)).toBe('offloaded');
  });

  it('decodes UDP', () => {
    const pkt = new PacketDecoder().decode(frameOf(buildEthernetIpUdp({ src: '10.0.0.1', dst: '10.0.0.53', sport: 5353, dport: 53, payload: 'q' })));
    const udp = pkt!.transport as UdpDatagram;
    expect(udp).toMatchObject({ kind: 'udp', srcPort: 5353, dstPort: 53, payloadTruncatedBy: 0 });
    expect(text(udp.payload)).toBe('q');
    expect(pkt!.ip.protocol).toBe(17);
  });

  it('counts other transports, bad headers and lengths', () => {
    const d = new PacketDecoder();
    const icmp = buildIpv4({ src: '1.1.1.1', dst: '2.2.2.2', protocol: 1, payload: new Uint8Array(8) });
    expect(d.decode(frameOf(icmp, LinkType.RAW))).toBeNull();
    const badIhl = buildIpTcp({ src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 2 });
    badIhl[0] = 0x44;
    expect(d.decode(frameOf(badIhl, LinkType.RAW))).toBeNull();
    const tooLong = buildIpTcp({ src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 2 });
    tooLong[3]! += 1;
    expect(d.decode(frameOf(tooLong, LinkType.RAW))).toBeNull();
    const badOffset = buildIpTcp({ src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 2 });
    badOffset[20 + 12] = 0x40;
    expect(d.decode(frameOf(badOffset, LinkType.RAW))).toBeNull();
    const badUdp = buildIpv4({ src: '1.1.1.1', dst: '2.2.2.2', protocol: 17, payload: Uint8Array.of(0, 1, 0, 2, 0, 3, 0, 0) });
    expect(d.decode(frameOf(badUdp, LinkType.RAW))).toBeNull();
    const version5 = buildIpTcp({ src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 2 });
    version5[0] = 0x55;
    expect(d.decode(frameOf(version5, LinkType.RAW))).toBeNull();
    expect(d.stats()).toMatchObject({ frames: 6, otherTransport: 1, malformed: 5, decoded: 0 });
  });
});

describe('IPv6', () => {
  const udp = buildUdp({ src: 'fd00::1', dst: 'fd00::2', sport: 9, dport: 53, payload: 'dns' });

  it('walks hop-by-hop, routing, destination options and AH headers', () => {
    const ip = buildIpv6({
      src: 'fd00::1',
      dst: 'fd00::2',
      nextHeader: 17,
      payload: udp,
      extensions: [{ type: 0 }, { type: 43, body: new Uint8Array(22) }, { type: 60 }, { type: 51 }, { type: 44, offset: 0, more: false, id: 5 }],
    });
    const pkt = new PacketDecoder().decode(frameOf(buildEthernet(ip)));
    expect(pkt!.ip).toEqual({ version: 6, src: 'fd00::1', dst: 'fd00::2', protocol: 17, ttl: 64 });
    expect(text(pkt!.transport.payload)).toBe('dns');
  });

  it('stops at no-next-header and counts it as another transport', () => {
    const d = new PacketDecoder();
    expect(d.decode(frameOf(buildIpv6({ src: '::1', dst: '::1', nextHeader: 59, payload: new Uint8Array(0) }), LinkType.RAW))).toBeNull();
    expect(d.stats().otherTransport).toBe(1);
  });

  it('formats addresses like src/model/ip.ts, IPv4-mapped included', () => {
    for (const [src, dst] of [
      ['::ffff:10.0.0.1', '2001:db8:0:0:1:0:0:1'],
      ['FE80::1', '0:0:0:0:0:0:0:0'],
    ] as const) {
      const pkt = new PacketDecoder().decode(frameOf(buildIpTcp({ src, dst, sport: 1, dport: 2 }), LinkType.RAW));
      expect(pkt!.ip.src).toBe(canonicalIp(src));
      expect(pkt!.ip.dst).toBe(canonicalIp(dst));
    }
  });

  it('gives the same text as the model for random addresses (cache included)', () => {
    const d = new PacketDecoder();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), (a6, a4) => {
        const v6 = buildIpv6({ src: '::', dst: '::', nextHeader: 17, payload: buildUdp({ src: '::', dst: '::', sport: 1, dport: 2 }) });
        v6.set(a6, 8);
        expect(d.decode(frameOf(v6, LinkType.RAW))!.ip.src).toBe(canonicalIp(formatHex(a6)));
        const v4 = buildIpTcp({ src: '0.0.0.0', dst: '0.0.0.0', sport: 1, dport: 2 });
        v4.set(a4, 12);
        expect(d.decode(frameOf(v4, LinkType.RAW))!.ip.src).toBe(Array.from(a4).join('.'));
      }),
      { numRuns: 500 },
    );
  });
});

describe('snap length', () => {
  const full = buildEthernetIpv4Tcp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1000, dport: 80, flags: TCP_SYN, payload: 'x'.repeat(100) });

  it('decodes a payload cut by the snap length and says how much is missing', () => {
    const d = new PacketDecoder();
    const pkt = d.decode(frameOf(full.slice(0, 14 + 20 + 20 + 30), LinkType.ETHERNET, 0, full.length));
    const tcp = pkt!.transport as TcpSegment;
    expect(tcp.payload.length).toBe(30);
    expect(tcp.payloadTruncatedBy).toBe(70);
    expect(d.stats()).toMatchObject({ decoded: 1, payloadTruncated: 1 });
  });

  it('never throws and accounts for every frame cut at every length, on every link type', () => {
    const ip6 = buildIpv6({
      src: 'fd00::1',
      dst: 'fd00::2',
      nextHeader: 6,
      payload: buildTcp({ src: 'fd00::1', dst: 'fd00::2', sport: 1, dport: 2, payload: 'hello world' }),
      extensions: [{ type: 0 }, { type: 60 }],
    });
    const frames: Array<[Uint8Array, number, number]> = [
      [full, LinkType.ETHERNET, 100],
      [buildEthernet(ip6, { vlans: [{ vid: 3 }] }), LinkType.ETHERNET, 11],
      [buildSll2(ip6), LinkType.LINUX_SLL2, 11],
      [buildEthernetIpUdp({ src: '1.2.3.4', dst: '5.6.7.8', sport: 1, dport: 2, payload: 'abc' }), LinkType.ETHERNET, 3],
    ];
    for (const [data, linkType, payloadLength] of frames) {
      const d = new PacketDecoder();
      for (let n = 0; n <= data.length; n++) {
        const pkt = d.decode(frameOf(data.slice(0, n), linkType, 0, data.length));
        if (pkt) expect(pkt.transport.payload.length + (pkt.transport.payloadTruncatedBy ?? 0)).toBe(payloadLength);
      }
      const s = d.stats();
      expect(outcomes(s)).toBe(data.length + 1);
      expect(s.malformed).toBe(0);
      expect(s.decoded).toBeGreaterThan(0);
      expect(s.truncatedByCaplen).toBeGreaterThan(0);
    }
  });

  it('calls a frame longer than its IP total length padding, shorter malformed when not cut', () => {
    const d = new PacketDecoder();
    expect(d.decode(frameOf(full.slice(0, 40)))).toBeNull();
    expect(d.stats()).toMatchObject({ malformed: 1, truncatedByCaplen: 0 });
  });
});

describe('robustness', () => {
  const linkTypes = [0, 1, 12, 101, 108, 113, 228, 229, 276, 999];

  it('never throws on random bytes and counts every frame', () => {
    const d = new PacketDecoder({ maxFragmentBytes: 64 * 1024 });
    let frames = 0;
    fc.assert(
      fc.property(fc.constantFrom(...linkTypes), fc.uint8Array({ maxLength: 200 }), fc.nat(300), (linkType, data, extra) => {
        frames++;
        d.decode(frameOf(data, linkType, frames, data.length + (extra % 3 === 0 ? extra : 0)));
      }),
      { numRuns: 5000 },
    );
    expect(d.stats().frames).toBe(frames);
  });

  it('never throws on mutated valid frames', () => {
    const base = [
      buildEthernetIpv4Tcp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, payload: 'data' }),
      buildEthernet(buildIpv6({ src: '::1', dst: '::2', nextHeader: 17, payload: buildUdp({ src: '::1', dst: '::2', sport: 1, dport: 2 }), extensions: [{ type: 0 }, { type: 44, offset: 8, more: true, id: 1 }] })),
    ];
    const d = new PacketDecoder();
    fc.assert(
      fc.property(fc.constantFrom(...base), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), (frame, edits) => {
        const data = frame.slice();
        for (const [i, v] of edits) data[i % data.length] = v;
        d.decode(frameOf(data));
      }),
      { numRuns: 3000 },
    );
  });
});

function formatHex(bytes: Uint8Array): string {
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return words.join(':');
}
