import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dnsTcpDissector, dnsUdpDissector } from '../../../src/protocols/dns/index.js';
import { conn } from '../_framing/harness.js';
import { framed, query, response, withOpcode } from './fixtures.js';

const udp = (b: Buffer) => dnsUdpDissector.detect({ conn: conn({ transport: 'udp' }), dir: 0, bytes: b });
const tcp = (b: Buffer) => dnsTcpDissector.detect({ conn: conn(), dir: 0, bytes: b });

describe('DNS detect', () => {
  it('matches real queries and responses on any port', () => {
    expect(udp(query(1, 'example.com'))).toBe('match');
    expect(udp(query(2, 'example.com', 'HTTPS'))).toBe('no-match'); // dns-packet encodes unknown names as type 0
    expect(udp(response(3, 'example.com', [{ type: 'A', name: 'example.com', data: '1.2.3.4' }]))).toBe('match');
    expect(udp(withOpcode(query(4, 'zone.example', 'SOA'), 4))).toBe('match');
    expect(udp(query(5, 'example.com', 'A', { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096 }] }))).toBe('match');
  });

  it('refuses opcodes, counts and trailing bytes real DNS does not have', () => {
    expect(udp(withOpcode(query(1, 'example.com'), 2))).toBe('no-match');
    expect(udp(Buffer.concat([query(1, 'example.com'), Buffer.from([0])]))).toBe('no-match');
    expect(udp(query(1, 'example.com').subarray(0, 20))).toBe('no-match');
    expect(udp(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))).toBe('no-match');
  });

  it('on a DNS port, also matches messages without questions (mDNS announcements)', () => {
    const announce = response(0, 'printer.local', [{ type: 'A', name: 'printer.local', ttl: 120, data: '192.168.1.9' }], { questions: [], flags: 0x0400 });
    const at = (port: number) => dnsUdpDissector.detect({ conn: conn({ transport: 'udp', a: { ip: '192.168.1.9', port: 5353 }, b: { ip: '224.0.0.251', port } }), dir: 0, bytes: announce });
    expect(at(5353)).toBe('match');
    expect(udp(announce)).toBe('no-match');
  });

  it('over TCP: waits for the whole first message', () => {
    const m = framed(query(7, 'example.com'));
    expect(tcp(m.subarray(0, 1))).toBe('need-more');
    expect(tcp(m.subarray(0, 10))).toBe('need-more');
    expect(tcp(m.subarray(0, 20))).toBe('need-more');
    expect(tcp(m)).toBe('match');
    expect(tcp(Buffer.from([0, 5, 1, 2, 3, 4, 5]))).toBe('no-match');
    expect(tcp(Buffer.from('GET / HTTP/1.1\r\n'))).toBe('no-match');
  });

  it('random datagrams do not match, and detection never throws', () => {
    let matches = 0;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
        if (udp(Buffer.from(b)) === 'match') matches++;
        expect(['match', 'no-match', 'need-more']).toContain(tcp(Buffer.from(b)));
      }),
      { numRuns: 20000 },
    );
    expect(matches).toBe(0);
  });

  it('random bytes behind a plausible header still do not match', () => {
    let matches = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 5, maxLength: 200 }), fc.integer({ min: 1, max: 8 }), (tail, qd) => {
        const header = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, qd, 0, 0, 0, 0, 0, 0]);
        if (udp(Buffer.concat([header, Buffer.from(tail)])) === 'match') matches++;
      }),
      { numRuns: 5000 },
    );
    expect(matches).toBeLessThan(50);
  });
});
