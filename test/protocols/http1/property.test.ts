import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { http1Dissector } from '../../../src/protocols/http1/index.js';
import { atCuts, data, feed, plain, whole } from '../_framing/harness.js';
import { requests, responses } from './fixtures.js';
import { exchange, responseBodyless, wire } from './generators.js';
import { keptBase64 } from '../../helpers/body.js';

describe('HTTP/1 parser on generated exchanges', () => {
  it('reports exactly the generated messages, however the pipelined bytes are split', () => {
    fc.assert(
      fc.property(fc.array(exchange, { minLength: 1, maxLength: 5 }), fc.array(fc.array(fc.nat(), { maxLength: 10 }), { minLength: 2, maxLength: 2 }), (exs, cuts) => {
        const reqBytes = Buffer.concat(exs.map((e) => wire(e.request)));
        const resBytes = Buffer.concat(exs.map((e) => wire(e.response, responseBodyless(e))));
        const steps = [data(0, reqBytes), data(1, resBytes)];
        const f = feed(http1Dissector, steps, whole);
        expect(f.anomalies).toEqual([]);
        const reqs = requests(f.messages);
        const ress = responses(f.messages);
        expect(reqs.length).toBe(exs.length);
        expect(ress.length).toBe(exs.length);
        exs.forEach((e, i) => {
          const q = reqs[i]!;
          expect(`${q.detail.method} ${q.detail.target} ${q.detail.version}`).toBe(e.request.start);
          expect(q.detail.headers).toEqual(e.request.headers);
          expect(q.detail.trailers).toEqual(e.request.trailers);
          expect(q.size).toBe(wire(e.request).length);
          expect(keptBase64(q.detail.body)).toBe(e.request.body.toString('base64'));
          const r = ress[i]!;
          expect(r.detail.status).toBe(e.status);
          expect(r.detail.headers).toEqual(e.response.headers);
          expect(r.size).toBe(wire(e.response, responseBodyless(e)).length);
          expect(keptBase64(r.detail.body)).toBe(responseBodyless(e) ? '' : e.response.body.toString('base64'));
          expect(r.anomalies).toEqual([]);
        });
        expect(plain(feed(http1Dissector, steps, atCuts(cuts)))).toEqual(plain(f));
      }),
      { numRuns: 300 },
    );
  });
});
