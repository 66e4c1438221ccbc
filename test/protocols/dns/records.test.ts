import { describe, expect, it } from 'vitest';
import { dnsUdpDissector } from '../../../src/protocols/dns/index.js';
import type { DnsMessage } from '../../../src/protocols/types.js';
import { conn, data, feed } from '../_framing/harness.js';
import { response, type AnyRecord } from './fixtures.js';

const udp = conn({ transport: 'udp', b: { ip: '10.96.0.10', port: 53 } });

function answer(rec: AnyRecord): { type: string; class: string; ttl: number; data: string } {
  const f = feed(dnsUdpDissector, [data(1, response(7, rec.name, [rec]))], undefined, udp);
  expect(f.anomalies).toEqual([]);
  const [a] = (f.messages[0] as DnsMessage).detail.answers;
  return { type: a!.type, class: a!.class, ttl: a!.ttl, data: a!.data };
}

const key = Buffer.from('AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF', 'base64');

describe('DNS records in presentation form', () => {
  const cases: [string, AnyRecord, string][] = [
    ['A', { type: 'A', name: 'example.com', ttl: 300, data: '93.184.216.34' }, '93.184.216.34'],
    ['AAAA', { type: 'AAAA', name: 'example.com', data: '2001:db8::1' }, '2001:db8::1'],
    ['CNAME', { type: 'CNAME', name: 'www.example.com', data: 'example.com' }, 'example.com.'],
    ['NS', { type: 'NS', name: 'example.com', data: 'ns1.example.com' }, 'ns1.example.com.'],
    ['PTR', { type: 'PTR', name: '34.216.184.93.in-addr.arpa', data: 'example.com' }, 'example.com.'],
    ['DNAME', { type: 'DNAME', name: 'old.example', data: 'new.example' }, 'new.example.'],
    ['MX', { type: 'MX', name: 'example.com', data: { preference: 10, exchange: 'mail.example' } }, '10 mail.example.'],
    ['TXT', { type: 'TXT', name: 'example.com', data: ['v=spf1 -all', 'say "hi" \\ ok', Buffer.from([7, 0x41])] }, '"v=spf1 -all" "say \\"hi\\" \\\\ ok" "\\007A"'],
    ['SRV', { type: 'SRV', name: '_http._tcp.svc.cluster.local', data: { priority: 0, weight: 100, port: 8080, target: 'pod.svc.cluster.local' } }, '0 100 8080 pod.svc.cluster.local.'],
    [
      'SOA',
      { type: 'SOA', name: 'cluster.local', data: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 1700000000, refresh: 7200, retry: 1800, expire: 86400, minimum: 30 } },
      'ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 30',
    ],
    ['CAA', { type: 'CAA', name: 'example.com', data: { flags: 128, tag: 'issue', value: 'letsencrypt.org' } }, '128 issue "letsencrypt.org"'],
    ['HINFO', { type: 'HINFO', name: 'h.example', data: { cpu: 'x86_64', os: 'Linux' } }, '"x86_64" "Linux"'],
    ['RP', { type: 'RP', name: 'example.com', data: { mbox: 'admin.example.com', txt: 'txt.example.com' } }, 'admin.example.com. txt.example.com.'],
    [
      'NAPTR',
      { type: 'NAPTR', name: 'example.com', data: { order: 100, preference: 10, flags: 'S', services: 'SIP+D2U', regexp: '', replacement: '_sip._udp.example.com' } },
      '100 10 "S" "SIP+D2U" "" _sip._udp.example.com.',
    ],
    ['DS', { type: 'DS', name: 'example.com', data: { keyTag: 31589, algorithm: 8, digestType: 2, digest: Buffer.from('cde0d742', 'hex') } }, '31589 8 2 CDE0D742'],
    ['DNSKEY', { type: 'DNSKEY', name: 'example.com', data: { flags: 257, algorithm: 8, key } }, `257 3 8 ${key.toString('base64')}`],
    [
      'RRSIG',
      {
        type: 'RRSIG',
        name: 'example.com',
        data: { typeCovered: 'A', algorithm: 13, labels: 2, originalTTL: 300, expiration: 1700000000, inception: 1699000000, keyTag: 12345, signersName: 'example.com', signature: Buffer.from('sig') },
      },
      'A 13 2 300 20231114221320 20231103082640 12345 example.com. c2ln',
    ],
    ['NSEC', { type: 'NSEC', name: 'a.example.com', data: { nextDomain: 'b.example.com', rrtypes: ['A', 'RRSIG', 'NSEC'] } }, 'b.example.com. A RRSIG NSEC'],
    [
      'NSEC3',
      { type: 'NSEC3', name: 'h.example.com', data: { algorithm: 1, flags: 0, iterations: 10, salt: Buffer.from('aabb', 'hex'), nextDomain: Buffer.from('0123456789', 'hex'), rrtypes: ['A', 'AAAA'] } },
      '1 0 10 AABB 04HKAPS9 A AAAA',
    ],
    ['SSHFP', { type: 'SSHFP', name: 'h.example', data: { algorithm: 4, hash: 2, fingerprint: 'ab'.repeat(32) } }, `4 2 ${'AB'.repeat(32)}`],
    ['TLSA', { type: 'TLSA', name: '_443._tcp.example.com', data: { usage: 3, selector: 1, matchingType: 1, certificate: Buffer.from('c0ffee', 'hex') } }, '3 1 1 C0FFEE'],
    ['HTTPS (unknown to dns-packet)', { type: 'UNKNOWN_65', name: 'example.com', data: Buffer.from('0001000001000302683200', 'hex') }, '\\# 11 0001000001000302683200'],
    ['NULL', { type: 'NULL', name: 'n.example', data: Buffer.alloc(0) }, '\\# 0'],
    ['TYPE4660', { type: 'UNKNOWN_4660', name: 'x.example', data: Buffer.from([1, 2]) }, '\\# 2 0102'],
  ];
  for (const [name, rec, expected] of cases) {
    it(name, () => {
      const a = answer(rec);
      expect(a.data).toBe(expected);
      expect(a.class).toBe('IN');
    });
  }

  it('names types dns-packet does not know as TYPE<n> or by their mnemonic', () => {
    expect(answer({ type: 'UNKNOWN_65', name: 'e.x', data: Buffer.alloc(1) }).type).toBe('HTTPS');
    expect(answer({ type: 'UNKNOWN_4660', name: 'e.x', data: Buffer.alloc(1) }).type).toBe('TYPE4660');
  });

  it('presents EDNS OPT in additionals and folds its extended rcode', () => {
    const msg = response(9, 'example.com', [{ type: 'A', name: 'example.com', data: '1.2.3.4' }], {
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 1, ednsVersion: 0, flags: 0x8000, options: [{ code: 10, data: Buffer.from('0011223344556677', 'hex') }, { code: 12, data: Buffer.alloc(0) }] }],
    });
    const f = feed(dnsUdpDissector, [data(1, msg)], undefined, udp);
    const d = (f.messages[0] as DnsMessage).detail;
    expect(d.additionals).toEqual([{ name: '.', type: 'OPT', class: 'CLASS1232', ttl: 0x01008000, data: 'udp=1232 version=0 flags=do ext-rcode=1 options=COOKIE:0011223344556677,PADDING' }]);
    expect(d.rcode).toBe('BADVERS');
  });

  it('falls back to the generic form when a record does not decode', () => {
    const msg = response(3, 'example.com', [{ type: 'MX', name: 'example.com', data: { preference: 1, exchange: 'm.example' } }]);
    // Point the exchange name's label length past the end of the record data.
    const b = Buffer.from(msg);
    b[b.length - 11] = 60;
    const f = feed(dnsUdpDissector, [data(1, b)], undefined, udp);
    expect((f.messages[0] as DnsMessage).detail.answers[0]!.data).toMatch(/^\\# \d+ [0-9A-F]+$/);
  });
});
