import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { http1Dissector } from '../../../src/protocols/http1/index.js';
import type { Http1Session } from '../../../src/protocols/http1/index.js';
import { anomalyList, atCuts, conn, data, feed, gap, plain, whole, type Step } from '../_framing/harness.js';
import { exchange, responseBodyless, wire } from './generators.js';

/** Bytes one session may hold at most: a head (64 KiB) per direction, plus a line carry and paused bytes. */
const BOUND = 2 * (64 * 1024 + 8 * 1024 + 64 * 1024 + 1024);

const garbage = fc.uint8Array({ minLength: 1, maxLength: 400 }).map((b) => Buffer.from(b));
const textGarbage = fc.string({ unit: fc.constantFrom('G', 'E', 'T', ' ', '/', 'H', 'P', '1', '.', '\r', '\n', ':', 'x', '0', 'a', ';'), minLength: 1, maxLength: 200 }).map((s) => Buffer.from(s, 'latin1'));

/** Fragments that drive the rarer states: switches, interims, HEAD, bad chunks, long lines. */
const special = fc.constantFrom<[0 | 1, string]>(
  [0, 'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'],
  [1, 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'],
  [0, 'CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n'],
  [1, 'HTTP/1.1 200 Connection established\r\n\r\n'],
  [1, 'HTTP/1.1 100 Continue\r\n\r\n'],
  [1, 'HTTP/1.1 103 Early Hints\r\nLink: <x>\r\n\r\n'],
  [0, 'HEAD / HTTP/1.1\r\n\r\n'],
  [0, 'PUT /p HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n'],
  [1, 'HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n'],
  [1, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab'],
  [1, 'zz\r\n'],
  [1, 'HTTP/1.0 200 OK\r\n\r\nclose-delimited'],
  [0, 'POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n'],
  [0, 'GET /' + 'l'.repeat(9000)],
  [1, 'HTTP/1.1 204 No Content\r\n\r\n'],
);

/** A random script: valid exchanges, mutated copies, garbage and gaps, in both directions. */
const script: fc.Arbitrary<Step[]> = fc
  .array(
    fc.oneof(
      exchange.map((e): Step[] => [data(0, wire(e.request)), data(1, wire(e.response, responseBodyless(e)))]),
      fc.tuple(exchange, fc.nat(), fc.nat({ max: 255 })).map(([e, at, byte]): Step[] => {
        const b = Buffer.from(wire(e.request));
        b[at % b.length] = byte;
        return [data(0, b)];
      }),
      fc.tuple(fc.constantFrom<0 | 1>(0, 1), fc.oneof(garbage, textGarbage)).map(([dir, b]): Step[] => [data(dir, b)]),
      special.map(([dir, text]): Step[] => [data(dir, text)]),
      special.map(([dir, text]): Step[] => [data(dir, text)]),
      fc.tuple(fc.constantFrom<0 | 1>(0, 1), fc.option(fc.nat({ max: 3000 }), { nil: null })).map(([dir, lost]): Step[] => [gap(dir, lost)]),
    ),
    { maxLength: 12 },
  )
  .map((groups) => groups.flat());

describe('HTTP/1 fuzz', () => {
  it('never throws, stays chunk-invariant and bounded on arbitrary scripts', () => {
    fc.assert(
      fc.property(script, fc.boolean(), fc.array(fc.array(fc.nat(), { maxLength: 5 }), { maxLength: 40 }), (steps, known, cuts) => {
        const c = conn({ initiatorKnown: known });
        const base = feed(http1Dissector, steps, whole, c);
        const split = feed(http1Dissector, steps, atCuts(cuts), c);
        expect(plain(split)).toEqual(plain(base));
        expect(anomalyList(split)).toEqual(anomalyList(base));
      }),
      { numRuns: 400 },
    );
  });

  it('holds bounded memory on endless unterminated input in both directions', () => {
    const f = feed(http1Dissector, [], whole, conn(), false);
    const s = f.session as Http1Session;
    const junk = [Buffer.alloc(10_000, 0x41), Buffer.from('GET /' + 'a'.repeat(9_990)), Buffer.from('HTTP/1.1 200 OK\r\nX: ' + 'b'.repeat(9_979))];
    for (let i = 0; i < 300; i++) {
      s.onData((i % 2) as 0 | 1, junk[i % 3]!, { sec: i, nsec: 0 });
      expect(s.bufferedBytes).toBeLessThanOrEqual(BOUND);
    }
    s.onEnd({ sec: 301, nsec: 0 });
  });

  it('holds bounded memory inside endless bodies and chunk streams', () => {
    const f = feed(http1Dissector, [data(0, 'GET / HTTP/1.1\r\n\r\nPOST /u HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n'), data(1, 'HTTP/1.1 200 OK\r\n\r\n')], whole, conn(), false);
    const s = f.session as Http1Session;
    const chunk = Buffer.from(`${(4000).toString(16)}\r\n${'c'.repeat(4000)}\r\n`);
    for (let i = 0; i < 500; i++) {
      s.onData(0, chunk, { sec: i, nsec: 0 });
      s.onData(1, Buffer.alloc(4096, 0x62), { sec: i, nsec: 0 });
      expect(s.bufferedBytes).toBeLessThanOrEqual(BOUND);
    }
    s.onEnd({ sec: 501, nsec: 0 });
    const res = f.messages.find((m) => m.kind === 'response');
    expect(res).toMatchObject({ kind: 'response', detail: { body: { size: 500 * 4096, truncated: true } } });
  });

  it('survives random bytes in sessions of every flavour', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom<0 | 1>(0, 1), garbage), { maxLength: 20 }), fc.boolean(), (events, known) => {
        feed(http1Dissector, events.map(([d, b]) => data(d, b)), whole, conn({ initiatorKnown: known }));
      }),
      { numRuns: 300 },
    );
  });
});
