import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dnsTcpDissector, dnsUdpDissector, type DnsTcpSession } from '../../../src/protocols/dns/index.js';
import { anomalyList, atCuts, conn, data, feed, gap, plain, whole, type Step } from '../_framing/harness.js';
import { framed, query, response } from './fixtures.js';

const name = fc.array(fc.string({ unit: fc.constantFrom(...'abcxyz019-'.split('')), minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
const message = fc.tuple(fc.nat({ max: 0xffff }), name, fc.boolean(), fc.constantFrom('1.2.3.4', '10.0.0.1')).map(([id, n, isQuery, ip]) =>
  isQuery ? query(id, n) : response(id, n, [{ type: 'A', name: n, ttl: 60, data: ip }]),
);

describe('DNS fuzz', () => {
  it('UDP: random datagrams and mutated messages never throw', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)), fc.tuple(message, fc.nat(), fc.nat({ max: 255 })).map(([m, at, v]) => {
        const b = Buffer.from(m);
        b[at % b.length] = v;
        return b;
      })), { maxLength: 20 }), (datagrams) => {
        const f = feed(dnsUdpDissector, datagrams.map((d, i) => data((i % 2) as 0 | 1, d)), whole, conn({ transport: 'udp' }));
        expect(f.messages.length + f.anomalies.length).toBeLessThanOrEqual(datagrams.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('TCP: chunk-invariant and bounded on scripts of messages, garbage and gaps', () => {
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom<0 | 1>(0, 1), fc.array(message, { minLength: 1, maxLength: 3 })).map(([d, ms]) => data(d, Buffer.concat(ms.map(framed)))) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom<0 | 1>(0, 1), fc.uint8Array({ minLength: 1, maxLength: 200 })).map(([d, b]) => data(d, Buffer.from(b))) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom<0 | 1>(0, 1), fc.option(fc.nat({ max: 100 }), { nil: null })).map(([d, lost]) => gap(d, lost)) },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), fc.array(fc.array(fc.nat(), { maxLength: 6 }), { maxLength: 12 }), (steps, cuts) => {
        const base = feed(dnsTcpDissector, steps, whole);
        const split = feed(dnsTcpDissector, steps, atCuts(cuts));
        expect(plain(split)).toEqual(plain(base));
        expect(anomalyList(split)).toEqual(anomalyList(base));
      }),
      { numRuns: 500 },
    );
  });

  it('TCP: holds at most one message per direction', () => {
    const f = feed(dnsTcpDissector, [], whole, conn(), false);
    const s = f.session as DnsTcpSession;
    for (let i = 0; i < 200; i++) {
      s.onData(0, Buffer.from([0xff, 0xff, ...Array.from({ length: 1000 }, (_, j) => (i * 7 + j) & 0xff)]), { sec: i, nsec: 0 });
      s.onData(1, Buffer.alloc(3000, i & 0xff), { sec: i, nsec: 0 });
      expect(s.bufferedBytes).toBeLessThanOrEqual(2 * (0xffff + 2));
    }
    s.onEnd({ sec: 201, nsec: 0 });
  });
});
