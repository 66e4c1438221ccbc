import { describe, expect, it } from 'vitest';
import { dnsTcpDissector, dnsUdpDissector } from '../../../src/protocols/dns/index.js';
import type { DnsMessage } from '../../../src/protocols/types.js';
import { conn, data, expectChunkInvariant, feed, gap, tsOf } from '../_framing/harness.js';
import { framed, query, response, withOpcode, withRcode } from './fixtures.js';

const udp = conn({ transport: 'udp', b: { ip: '10.96.0.10', port: 53 } });
const tcp = conn({ b: { ip: '10.96.0.10', port: 53 } });
const A = (ip: string) => ({ type: 'A', name: 'svc.ns.svc.cluster.local', ttl: 30, data: ip });

describe('DNS over UDP', () => {
  it('emits a request and a response paired by id', () => {
    const q = query(0xbeef, 'svc.ns.svc.cluster.local');
    const r = response(0xbeef, 'svc.ns.svc.cluster.local', [A('10.1.2.3')]);
    const f = feed(dnsUdpDissector, [data(0, q), data(1, r)], undefined, udp);
    const [m1, m2] = f.messages as DnsMessage[];
    expect(m1).toMatchObject({ protocol: 'dns', kind: 'request', dir: 0, pairKey: String(0xbeef), size: q.length, startTs: tsOf(0), endTs: tsOf(0), anomalies: [] });
    expect(m1!.detail).toEqual({ id: 0xbeef, opcode: 'QUERY', rcode: 'NOERROR', flags: ['rd'], questions: [{ name: 'svc.ns.svc.cluster.local', type: 'A', class: 'IN' }], answers: [], authorities: [], additionals: [] });
    expect(m2).toMatchObject({ kind: 'response', dir: 1, pairKey: String(0xbeef), size: r.length });
    expect(m2!.detail.flags).toEqual(['qr', 'rd', 'ra']);
    expect(m2!.detail.answers).toEqual([{ name: 'svc.ns.svc.cluster.local', type: 'A', class: 'IN', ttl: 30, data: '10.1.2.3' }]);
  });

  it('names every rcode', () => {
    const names = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE', 'DSOTYPENI', 'RCODE12', 'RCODE13', 'RCODE14', 'RCODE15'];
    names.forEach((name, rcode) => {
      const f = feed(dnsUdpDissector, [data(1, withRcode(response(1, 'x.example', []), rcode))], undefined, udp);
      expect((f.messages[0] as DnsMessage).detail.rcode).toBe(name);
    });
  });

  it('names opcodes and all flags', () => {
    const f = feed(dnsUdpDissector, [data(0, withOpcode(query(2, 'zone.example', 'SOA'), 4)), data(0, withOpcode(query(3, 'zone.example', 'SOA'), 5))], undefined, udp);
    expect((f.messages as DnsMessage[]).map((m) => m.detail.opcode)).toEqual(['NOTIFY', 'UPDATE']);
    const all = response(4, 'a.example', [], { flags: 0x0400 | 0x0200 | 0x0100 | 0x0080 | 0x0020 | 0x0010 });
    const g = feed(dnsUdpDissector, [data(1, all)], undefined, udp);
    expect((g.messages[0] as DnsMessage).detail.flags).toEqual(['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd']);
  });

  it('reports malformed datagrams and trailing bytes, never throwing', () => {
    const q = query(5, 'a.example');
    const f = feed(dnsUdpDissector, [data(0, q.subarray(0, q.length - 3)), data(0, Buffer.from([1, 2, 3])), data(0, Buffer.concat([q, Buffer.from('xx')]))], undefined, udp);
    expect(f.anomalies.map((a) => a.anomaly.detail)).toEqual([expect.stringMatching(/^DNS_MALFORMED/), expect.stringMatching(/^DNS_SHORT/)]);
    expect(f.messages).toHaveLength(1);
    expect(f.messages[0]!.anomalies).toEqual([{ code: 'protocol-violation', detail: '2 bytes after the DNS message' }]);
  });

  it('keeps question classes and the mDNS unicast bit readable', () => {
    const ch = query(6, 'version.bind', 'TXT', { questions: [{ type: 'TXT', name: 'version.bind', class: 'CH' }] });
    const f = feed(dnsUdpDissector, [data(0, ch)], undefined, udp);
    expect((f.messages[0] as DnsMessage).detail.questions).toEqual([{ name: 'version.bind', type: 'TXT', class: 'CH' }]);
    const mdns = Buffer.from(query(0, 'printer.local', 'PTR'));
    mdns[mdns.length - 2] = 0x80; // QU bit on class IN
    const g = feed(dnsUdpDissector, [data(0, mdns)], undefined, udp);
    expect((g.messages[0] as DnsMessage).detail.questions[0]!.class).toBe('IN');
  });
});

describe('DNS over TCP', () => {
  const q1 = framed(query(11, 'a.example', 'AAAA'));
  const q2 = framed(query(12, 'b.example', 'MX'));
  const r1 = framed(response(11, 'a.example', [{ type: 'AAAA', name: 'a.example', data: 'fd00::1' }]));
  const r2 = framed(response(12, 'b.example', [{ type: 'MX', name: 'b.example', data: { preference: 5, exchange: 'mx.b.example' } }]));

  it('frames several messages per chunk and messages across chunks identically', () => {
    const f = expectChunkInvariant(dnsTcpDissector, [data(0, Buffer.concat([q1, q2])), data(1, r2), data(1, r1)], tcp);
    expect((f.messages as DnsMessage[]).map((m) => [m.kind, m.pairKey, m.size])).toEqual([
      ['request', '11', q1.length],
      ['request', '12', q2.length],
      ['response', '12', r2.length],
      ['response', '11', r1.length],
    ]);
    expect(f.anomalies).toEqual([]);
  });

  it('takes a message start time from its length prefix and its end time from its last byte', () => {
    const f = feed(dnsTcpDissector, [data(0, q1.subarray(0, 1)), data(0, q1.subarray(1, 20)), data(0, q1.subarray(20))], undefined, tcp);
    expect([f.messages[0]!.startTs, f.messages[0]!.endTs]).toEqual([tsOf(0), tsOf(2)]);
  });

  it('loses only the message a gap falls into when the gap size is known', () => {
    const both = Buffer.concat([q1, q2]);
    const f = expectChunkInvariant(dnsTcpDissector, [data(0, both.subarray(0, 10)), gap(0, 5), data(0, both.subarray(15))], tcp);
    expect((f.messages as DnsMessage[]).map((m) => m.pairKey)).toEqual(['12']);
    expect(f.anomalies.map((a) => a.anomaly.code)).toEqual(['truncated']);
  });

  it('hunts for the next plausible message after framing is lost', () => {
    const f = expectChunkInvariant(dnsTcpDissector, [data(0, q1.subarray(0, 10)), gap(0, null), data(0, Buffer.concat([q1.subarray(25), q2, q1]))], tcp);
    expect((f.messages as DnsMessage[]).map((m) => m.pairKey)).toEqual(['12', '11']);
    expect(f.anomalies.map((a) => a.anomaly.code)).toEqual(['truncated', 'protocol-violation']);
    expect(f.anomalies[1]!.anomaly.detail).toBe(`skipped ${q1.length - 25} bytes to the next plausible DNS message`);
  });

  it('treats a too-short length as lost framing', () => {
    const f = expectChunkInvariant(dnsTcpDissector, [data(0, Buffer.concat([Buffer.from([0, 3, 1, 2, 3]), q2]))], tcp);
    expect((f.messages as DnsMessage[]).map((m) => m.pairKey)).toEqual(['12']);
    expect(f.anomalies.map((a) => a.anomaly.detail)).toEqual(['skipped 5 bytes to the next plausible DNS message']);
  });

  it('reports an incomplete message at the end', () => {
    const f = feed(dnsTcpDissector, [data(0, q1.subarray(0, 9))], undefined, tcp);
    expect(f.anomalies.map((a) => a.anomaly.detail)).toEqual(['incomplete DNS message (9 bytes) at end']);
  });
});
