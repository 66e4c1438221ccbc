/** Fuzz: random text never makes the filter language throw anything but FilterError, nor matches() throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFilter, compileFilter, FilterError } from '../../src/query/index.js';
import { ALL } from './fixtures.js';

const TOKENS = [
  'http', 'dns', 'status_code', 'method', 'path', 'src.pod.name', 'request.headers', 'dns_questions', 'anomalies', 'timestamp',
  'now()', 'duration("5m")', 'timestamp("2026-01-01T00:00:00Z")', '"x"', "'y'", '"(a+)+"', 'r"\\d"', '1', '-2.5', '0x10', 'true',
  'null', '[', ']', '(', ')', ',', '.', '==', '!=', '<', '>=', '&&', '||', '!', '-', '+', '*', '/', '%', 'in', 'matches(',
  '.contains(', '.startsWith(', 'size(', '.size()', '["content-type"]', '[0]', ' ', '"\\', '\u{1F600}', '\u0000', '#',
];

function compileOrFilterError(text: string): void {
  try {
    const f = compileFilter(text, { now: () => 0 });
    for (const e of ALL) expect(typeof f.matches(e)).toBe('boolean');
  } catch (err) {
    if (!(err instanceof FilterError)) throw err;
    expect(['E_QUERY_SYNTAX', 'E_QUERY_TYPE', 'E_QUERY_LIMIT']).toContain(err.code);
    expect(err.position).toBeGreaterThanOrEqual(0);
    expect(err.position).toBeLessThanOrEqual(text.length);
    expect(err.message).toMatch(/ at \d+/);
  }
}

describe('fuzz', () => {
  it('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), compileOrFilterError), { numRuns: 3000 });
  });

  it('token soup', () => {
    const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((ts) => ts.join(' '));
    const tight = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((ts) => ts.join(''));
    fc.assert(fc.property(fc.oneof(soup, tight), compileOrFilterError), { numRuns: 5000 });
  });

  it('mutations of valid filters', () => {
    const valid = fc.constantFrom(
      'http && method == "POST" && status_code >= 500',
      'dst.pod.name.startsWith("checkout")',
      'dns && "example.com" in dns_questions',
      'path.matches("^/api/v[12]/")',
      '!(src.pod.namespace in ["kube-system"])',
      'timestamp > now() - duration("5m")',
    );
    const mutated = fc.tuple(valid, fc.nat(), fc.nat({ max: 5 }), fc.string({ maxLength: 4 })).map(([v, at, del, ins]) => {
      const i = at % (v.length + 1);
      return v.slice(0, i) + ins + v.slice(i + del);
    });
    fc.assert(fc.property(mutated, compileOrFilterError), { numRuns: 5000 });
  });

  it('checkFilter never throws and reports positions inside the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (text) => {
        const r = checkFilter(text);
        if (!r.ok) expect(r.error.position).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 2000 },
    );
  });
});
