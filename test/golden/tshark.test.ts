/**
 * Cross-check against Wireshark: for every fixture, the multisets of HTTP requests (method, target),
 * HTTP statuses (interim and final) and DNS messages (id, name, rcode) that tshark dissects from the same
 * file must be the ones podsniff reports. Skipped, saying so, when tshark is not installed.
 */
import { describe, expect, it } from 'vitest';
import { hasTshark, tsharkFields } from '../fixtures/record/tshark.js';
import { bare, dnsEntries, fixtures, httpEntries, read, bytesOf } from './support.js';

const TSHARK = hasTshark();
if (!TSHARK) console.warn('tshark.test.ts: skipped: tshark is not installed (apt-get install tshark)');

const RCODES: Record<string, string> = { '0': 'NOERROR', '1': 'FORMERR', '2': 'SERVFAIL', '3': 'NXDOMAIN', '4': 'NOTIMP', '5': 'REFUSED' };

/**
 * Statuses tshark cannot see, per fixture: in http-lost-segment it cannot reassemble the /large
 * response across the missing segment, while podsniff reports it with an anomaly.
 */
const TSHARK_MISSES: Record<string, string[]> = { 'http-lost-segment': ['200'] };

function sorted(xs: string[]): string[] {
  return [...xs].sort();
}

describe.skipIf(!TSHARK).each(fixtures())('$file against tshark', (f) => {
  const decode = f.name === 'http-odd-ports' ? ['-d', 'tcp.port==5432,http'] : [];
  const ours = read([bytesOf(f)]);

  it('has the same HTTP requests', () => {
    const theirs = tsharkFields(f.path, 'http.request', ['http.request.method', 'http.request.uri'], decode).map((r) => r.join(' '));
    const mine = httpEntries(ours).flatMap((e) => (e.request ? [`${e.request.method} ${e.request.target}`] : []));
    expect(sorted(mine)).toEqual(sorted(theirs));
  });

  it('has the same HTTP statuses, interim responses included', () => {
    const theirs = tsharkFields(f.path, 'http.response', ['http.response.code'], decode).map((r) => r[0]!);
    const mine = httpEntries(ours).flatMap((e) => (e.response ? [...e.response.interim.map((i) => String(i.status)), String(e.response.status)] : []));
    expect(sorted(mine)).toEqual(sorted([...theirs, ...(TSHARK_MISSES[f.name] ?? [])]));
  });

  it('has the same DNS queries and responses', () => {
    const rows = tsharkFields(f.path, 'dns', ['dns.id', 'dns.flags.response', 'dns.qry.name', 'dns.flags.rcode']);
    const theirs = rows.map(([id, response, name, rcode]) => {
      const isResponse = response === '1' || response === 'True';
      return isResponse ? `R ${Number(id)} ${name} ${RCODES[rcode!] ?? rcode}` : `Q ${Number(id)} ${name}`;
    });
    const mine = dnsEntries(ours).flatMap((e) => {
      const out: string[] = [];
      if (e.request) out.push(`Q ${e.request.id} ${bare(e.request.questions[0]?.name ?? '')}`);
      if (e.response) out.push(`R ${e.response.id} ${bare(e.response.questions[0]?.name ?? '')} ${e.response.rcode}`);
      return out;
    });
    expect(sorted(mine)).toEqual(sorted(theirs));
  });
});
