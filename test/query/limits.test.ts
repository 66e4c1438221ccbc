/** Bounds against malicious input: every one is an E_QUERY_LIMIT with a position, never a crash. */
import { describe, expect, it } from 'vitest';
import { checkFilter, compileFilter, MAX_DEPTH, MAX_FILTER_LENGTH, MAX_LIST_ELEMENTS, MAX_MATCH_INPUT, MAX_REGEX_LENGTH } from '../../src/query/index.js';
import { parse } from '../../src/query/parser.js';
import { LARGE_ALLOWED_REGEX, httpPost500 } from './fixtures.js';
import { expectFilterError } from './helpers.js';

const limit = (text: string, position?: number) => expectFilterError(() => compileFilter(text), 'E_QUERY_LIMIT', position);

describe('text length', () => {
  it('accepts up to the maximum and rejects beyond it at the cut', () => {
    const longest = `http${' && http'.repeat((MAX_FILTER_LENGTH - 4) / 8)}`;
    expect(longest.length).toBeLessThanOrEqual(MAX_FILTER_LENGTH);
    expect(compileFilter(longest).matches(httpPost500)).toBe(true);
    limit(`${longest}${' '.repeat(MAX_FILTER_LENGTH)}`, MAX_FILTER_LENGTH);
  });

  it('rejects 100k "(" or "!" by length through checkFilter, without throwing', () => {
    for (const text of ['('.repeat(100_000), '!'.repeat(100_000), `${'['.repeat(50_000)}${']'.repeat(50_000)}`]) {
      const r = checkFilter(text);
      expect(r).toMatchObject({ ok: false, error: { code: 'E_QUERY_LIMIT', position: MAX_FILTER_LENGTH } });
    }
  });
});

describe('nesting depth', () => {
  it('accepts nesting up to the limit', () => {
    const ok = `${'('.repeat(MAX_DEPTH - 1)}http${')'.repeat(MAX_DEPTH - 1)}`;
    expect(compileFilter(ok).matches(httpPost500)).toBe(true);
    expect(compileFilter(`${'!'.repeat(MAX_DEPTH - 2)}http`).matches(httpPost500)).toBe(true);
  });

  it('rejects deeper parentheses, unary chains, lists and calls at the position where the limit is hit', () => {
    limit(`${'('.repeat(MAX_DEPTH + 1)}http${')'.repeat(MAX_DEPTH + 1)}`, MAX_DEPTH);
    limit(`${'!'.repeat(MAX_DEPTH + 1)}http`);
    limit(`${'-'.repeat(200)}1 == 1`);
    limit(`${'['.repeat(100)}${']'.repeat(100)}`);
    limit(`${'size('.repeat(100)}path${')'.repeat(100)} > 0`);
  });

  it('rejects long left-leaning operator chains (deep trees) but not flat && / || chains', () => {
    limit(`status_code${' + 1'.repeat(100)} > 0`);
    expect(compileFilter(`status_code == 1${' || status_code == 1'.repeat(150)}`).exact).toBe(false);
  });

  it('does not overflow the stack in the parser even without the length guard', () => {
    for (const text of ['('.repeat(100_000), '!'.repeat(100_000), '-'.repeat(100_000), `${'a['.repeat(100_000)}`, 'f('.repeat(100_000)]) {
      expectFilterError(() => parse(text), 'E_QUERY_LIMIT');
    }
    expectFilterError(() => parse(`a${' + a'.repeat(100_000)}`), 'E_QUERY_LIMIT');
  });
});

describe('lists and strings', () => {
  it('rejects lists over the element limit at the first extra element', () => {
    const items = Array.from({ length: MAX_LIST_ELEMENTS }, (_, i) => i % 10);
    expect(compileFilter(`status_code in [${items.join(',')}]`).matches(httpPost500)).toBe(false);
    const text = `status_code in [${[...items, 1].join(',')}]`;
    limit(text, text.lastIndexOf('1'));
  });

  it('rejects over-long string literals at the literal', () => {
    limit(`path == "${'a'.repeat(2000)}"`, 8);
  });
});

describe('regexes', () => {
  it('rejects over-long patterns', () => {
    limit(`path.matches("${'a'.repeat(MAX_REGEX_LENGTH + 1)}")`, 14 + MAX_REGEX_LENGTH);
  });

  it('rejects catastrophic shapes at the quantifier, with the position in the filter text', () => {
    const err = limit('path.matches("(a+)+$")', 18);
    expect(err.message).toMatch(/nested quantifier/);
    limit('path.matches("(a|a)*")', 19);
    limit('path.matches("(a|ab)*c")', 20);
    limit('path.matches("(.*a){20}")', 19);
    limit(String.raw`path.matches(r"(\w+\s?)*$")`, 23);
    limit(String.raw`path.matches(r"(a)\1")`, 18);
    limit('path.matches("(?<=a)b")', 14);
    limit('path.matches("x(?!a)")', 15);
    limit('path.matches("(a{1000}){1000}")', 15);
  });

  it('matches a large allowed regex against a long value (how fast: bench:api)', () => {
    const f = compileFilter(`request.body.matches(r"${LARGE_ALLOWED_REGEX}")`);
    const e = { ...httpPost500, request: { ...httpPost500.request!, body: { ...httpPost500.request!.body!, decoded: 'a'.repeat(4 * MAX_MATCH_INPUT) } } };
    expect(f.matches(e)).toBe(false);
  });

  it('searches only the first 64 KiB of a value', () => {
    const body = `${'x'.repeat(MAX_MATCH_INPUT)}needle`;
    const e = { ...httpPost500, request: { ...httpPost500.request!, body: { ...httpPost500.request!.body!, decoded: body } } };
    expect(compileFilter('request.body.matches("needle")').matches(e)).toBe(false);
    expect(compileFilter('request.body.matches("x+needle")').matches(e)).toBe(false);
    expect(compileFilter('request.body.contains("needle")').matches(e)).toBe(true);
    const near = `${'x'.repeat(MAX_MATCH_INPUT - 6)}needle`;
    const e2 = { ...e, request: { ...e.request, body: { ...e.request.body, decoded: near } } };
    expect(compileFilter('request.body.matches("x+needle$")').matches(e2)).toBe(true);
  });
});
