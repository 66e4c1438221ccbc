import { describe, expect, it } from 'vitest';
import { PacketDecoder } from '../../src/decode/index.js';
import type { TcpSegment } from '../../src/decode/index.js';
import { LinkType } from '../../src/model/index.js';
import {
  buildEthernet,
  buildIpTcp,
  buildLoop,
  buildNull,
  buildSll,
  buildSll2,
  frameOf,
  TCP_ACK,
  TCP_PSH,
} from './builders.js';

const v4 = buildIpTcp({ src: '10.1.2.3', dst: '10.9.8.7', sport: 40000, dport: 80, seq: 7, ack: 9, flags: TCP_ACK | TCP_PSH, payload: 'GET / HTTP/1.1\r\n' });
const v6 = buildIpTcp({ src: 'fd00::1', dst: 'fd00::2', sport: 40000, dport: 443, seq: 1, payload: 'hello' });

function decodeOne(data: Uint8Array, linkType: number): { ip: string; payload: string } | null {
  const pkt = new PacketDecoder().decode(frameOf(data, linkType));
  if (!pkt) return null;
  return { ip: `${pkt.ip.src}>${pkt.ip.dst}`, payload: Buffer.from(pkt.transport.payload).toString() };
}

describe('link layers', () => {
  const cases: Array<[string, number, Uint8Array, Uint8Array]> = [
    ['Ethernet', LinkType.ETHERNET, buildEthernet(v4), buildEthernet(v6)],
    ['Ethernet 802.1Q', LinkType.ETHERNET, buildEthernet(v4, { vlans: [{ vid: 7 }] }), buildEthernet(v6, { vlans: [{ vid: 7 }] })],
    [
      'Ethernet QinQ 0x88a8',
      LinkType.ETHERNET,
      buildEthernet(v4, { vlans: [{ tpid: 0x88a8, vid: 100 }, { vid: 7 }] }),
      buildEthernet(v6, { vlans: [{ tpid: 0x88a8, vid: 100 }, { vid: 7 }] }),
    ],
    [
      'Ethernet QinQ 0x9100',
      LinkType.ETHERNET,
      buildEthernet(v4, { vlans: [{ tpid: 0x9100, vid: 100 }, { vid: 7 }] }),
      buildEthernet(v6, { vlans: [{ tpid: 0x9100, vid: 100 }] }),
    ],
    ['Linux SLL', LinkType.LINUX_SLL, buildSll(v4), buildSll(v6)],
    ['Linux SLL with VLAN tag', LinkType.LINUX_SLL, buildSll(concat4(0x0007, 0x0800, v4), { protocol: 0x8100 }), buildSll(v6)],
    ['Linux SLL2', LinkType.LINUX_SLL2, buildSll2(v4), buildSll2(v6)],
    ['Linux SLL2 with VLAN tag', LinkType.LINUX_SLL2, buildSll2(concat4(0x0007, 0x0800, v4), { protocol: 0x8100 }), buildSll2(v6)],
    ['RAW', LinkType.RAW, v4, v6],
    ['IPV4 / IPV6', LinkType.IPV4, v4, v6],
    ['DLT_RAW 12', 12, v4, v6],
    ['NULL little-endian', LinkType.NULL, buildNull(v4), buildNull(v6)],
    ['NULL big-endian', LinkType.NULL, buildNull(v4, { littleEndian: false }), buildNull(v6, { littleEndian: false, family: 24 })],
    ['NULL AF_INET6 28', LinkType.NULL, buildNull(v4), buildNull(v6, { family: 28 })],
    ['LOOP', LinkType.LOOP, buildLoop(v4), buildLoop(v6)],
  ];

  it.each(cases)('%s carries IPv4 and IPv6', (_name, linkType, withV4, withV6) => {
    expect(decodeOne(withV4, linkType)).toEqual({ ip: '10.1.2.3>10.9.8.7', payload: 'GET / HTTP/1.1\r\n' });
    const lt = linkType === LinkType.IPV4 ? LinkType.IPV6 : linkType;
    expect(decodeOne(withV6, lt)).toEqual({ ip: 'fd00::1>fd00::2', payload: 'hello' });
  });

  it('counts non-IP link payloads and unknown link types', () => {
    const d = new PacketDecoder();
    expect(d.decode(frameOf(buildEthernet(new Uint8Array(28), { etherType: 0x0806 })))).toBeNull(); // ARP
    expect(d.decode(frameOf(buildEthernet(new Uint8Array(46), { etherType: 0x0030 })))).toBeNull(); // 802.3 length
    expect(d.decode(frameOf(buildSll(new Uint8Array(30), { protocol: 0x0004 }), LinkType.LINUX_SLL))).toBeNull();
    expect(d.decode(frameOf(buildNull(v4, { family: 7 }), LinkType.NULL))).toBeNull();
    expect(d.decode(frameOf(buildLoop(v4, { family: 77 }), LinkType.LOOP))).toBeNull();
    expect(d.decode(frameOf(v4, 147))).toBeNull();
    expect(d.stats()).toMatchObject({ frames: 6, nonIp: 5, unsupportedLink: 1, decoded: 0 });
  });

  it('decodes TCP header fields', () => {
    const pkt = new PacketDecoder().decode(frameOf(buildEthernet(v4), LinkType.ETHERNET, 1234.5));
    const tcp = pkt!.transport as TcpSegment;
    expect(pkt!.ip).toEqual({ version: 4, src: '10.1.2.3', dst: '10.9.8.7', protocol: 6, ttl: 64 });
    expect(tcp).toMatchObject({ kind: 'tcp', srcPort: 40000, dstPort: 80, seq: 7, ack: 9, flags: TCP_ACK | TCP_PSH, window: 65535, payloadTruncatedBy: 0 });
    expect(pkt!.ts).toEqual({ sec: 1, nsec: 234_500_000 });
    expect(pkt!.frameLength).toBe(14 + v4.length);
  });
});

/** A VLAN tag (TCI, inner ethertype) followed by `rest`. */
function concat4(tci: number, inner: number, rest: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + rest.length);
  out.set([tci >> 8, tci & 0xff, inner >> 8, inner & 0xff]);
  out.set(rest, 4);
  return out;
}
