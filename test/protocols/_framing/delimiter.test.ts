import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { delimiterEndAcross } from '../../../src/protocols/_framing/index.js';

describe('delimiterEndAcross', () => {
  it('finds the first delimiter across the boundary exactly like a search of the concatenation', () => {
    const bytes = fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b.map((x) => [13, 10, 65][x % 3]!)));
    fc.assert(
      fc.property(bytes, bytes, fc.constantFrom('\r\n\r\n', '\n', '\r\n'), (held, view, d) => {
        const delim = Buffer.from(d);
        if (held.indexOf(delim) >= 0) return; // precondition: held has no complete delimiter
        const whole = Buffer.concat([held, view]);
        const at = whole.indexOf(delim);
        const expected = at < 0 ? -1 : at + delim.length - held.length;
        expect(delimiterEndAcross(held, held.length, view, 0, delim)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
