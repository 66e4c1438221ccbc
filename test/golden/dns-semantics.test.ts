/**
 * What the recorded DNS fixture must say: every dig query paired with its dnsmasq answer, the answers'
 * data as configured (test/fixtures/record/scenarios/dns.ts), NXDOMAIN and REFUSED, UDP and TCP.
 */
import { describe, expect, it } from 'vitest';
import type { DnsEntry } from '../../src/model/index.js';
import { DNS_RECORDS as R } from '../fixtures/record/scenarios/dns.js';
import { bare, dnsEntries, readFixture } from './support.js';

const r = readFixture('dns');
const dns = dnsEntries(r);

function entry(name: string, type: string, transport = 'udp'): DnsEntry {
  const e = dns.find((x) => x.transport === transport && bare(x.request?.questions[0]?.name ?? '') === name && x.request?.questions[0]?.type === type);
  if (e === undefined) throw new Error(`no ${transport} entry for ${name} ${type}`);
  return e;
}

/** Answer data of `e` with trailing dots removed from names. */
function answers(e: DnsEntry): string[] {
  return (e.response?.answers ?? []).map((a) => a.data.replace(/\.$/, '').replace(/\.(\s)/g, '$1'));
}

describe('dns', () => {
  it('pairs every query with its answer: 9 over UDP, 2 on one TCP connection', () => {
    expect(dns).toHaveLength(11);
    expect(r.summary.byProtocol).toEqual({ dns: 11 });
    for (const e of dns) {
      expect(e.request?.id).toBe(e.response?.id);
      expect(e.dst.port).toBe(53);
      expect(e.src.port).not.toBe(53);
      expect(e.elapsedMs).toBeGreaterThanOrEqual(0);
      expect(e.anomalies).toEqual([]);
    }
    const tcp = dns.filter((e) => e.transport === 'tcp');
    expect(tcp).toHaveLength(2);
    expect(new Set(tcp.map((e) => e.connectionId)).size).toBe(1);
  });

  it('gives the answers dnsmasq was configured with', () => {
    expect(answers(entry('web.podsniff.test', 'A'))).toEqual([R.webA]);
    expect(answers(entry('api.podsniff.test', 'AAAA'))).toEqual([R.apiAAAA]);
    expect(answers(entry('podsniff.test', 'MX'))).toEqual([`${R.mx.preference} ${R.mx.exchange}`]);
    expect(answers(entry('_http._tcp.podsniff.test', 'SRV'))).toEqual([`${R.srv.priority} ${R.srv.weight} ${R.srv.port} ${R.srv.target}`]);
    expect(answers(entry(R.cname.alias, 'CNAME'))).toEqual([R.cname.target]);
    expect(answers(entry('99.5.250.10.in-addr.arpa', 'PTR'))).toEqual([R.ptr.name]);
    const txt = answers(entry('podsniff.test', 'TXT')).join(' ');
    for (const s of R.txt) expect(txt).toContain(s);
  });

  it('carries the response codes and the one-line summary', () => {
    const web = entry('web.podsniff.test', 'A');
    expect(web.response?.rcode).toBe('NOERROR');
    expect(web.summary).toMatchObject({ method: 'QUERY', status: 'NOERROR', statusCode: null });
    expect(web.summary.target).toMatch(/^web\.podsniff\.test\.? A$/);
    expect(entry('nope.podsniff.test', 'A').response?.rcode).toBe('NXDOMAIN');
    expect(entry('nope.podsniff.test', 'A').summary.status).toBe('NXDOMAIN');
    expect(entry('outside.example', 'A').response?.rcode).toBe('REFUSED');
  });

  it('reads IPv6 and TCP transports', () => {
    const v6 = entry('api.podsniff.test', 'AAAA');
    expect([v6.src.ip, v6.dst.ip]).toEqual(['fd00:250::5:1', 'fd00:250::5:2']);
    expect(answers(entry('api.podsniff.test', 'A', 'tcp'))).toEqual([R.apiA]);
    expect(answers(entry('podsniff.test', 'MX', 'tcp'))).toEqual([`${R.mx.preference} ${R.mx.exchange}`]);
  });
});
