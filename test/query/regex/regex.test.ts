/** The linear-time regex engine: semantics, agreement with JS RegExp, and bounded time. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRegex, RegexError } from '../../../src/query/regex/index.js';

const t = (pattern: string, input: string) => compileRegex(pattern).test(input);

describe('compileRegex semantics', () => {
  it.each<[string, string, boolean]>([
    ['^/api/v[12]/', '/api/v1/users', true],
    ['^/api/v[12]/', '/api/v3/users', false],
    ['^/api/v[12]/', 'x/api/v1/', false],
    ['a.*b', 'xxaxxbxx', true],
    ['a.*b', 'xxbxxaxx', false],
    ['a.b', 'a\nb', false],
    ['(?s)a.b', 'a\nb', true],
    ['(?i)hello', 'say HeLLo', true],
    ['(?i)[a-c]+x', 'ABCX', true],
    ['(?i)straße', 'STRAßE', true],
    ['colou?r$', 'the color', true],
    ['colou?r$', 'colors', false],
    ['\\bfoo\\b', 'a foo b', true],
    ['\\bfoo\\b', 'afoob', false],
    ['\\Boo\\B', 'afoob', true],
    ['(GET|POST)+', 'xPOSTGET', true],
    ['x{3}', 'xx', false],
    ['x{3}', 'axxx', true],
    ['x{2,}y', 'axxxy', true],
    ['^x{1,2}$', 'xxx', false],
    ['[^a-z]', 'abc', false],
    ['[^a-z]', 'abC', true],
    ['[\\d.-]+$', '10.0-1', true],
    ['[]', 'abc', false],
    ['a{', 'a{', true],
    ['', '', true],
    ['$', 'abc', true],
    ['^$', '', true],
    ['^$', 'a', false],
    ['\\d{1,3}(\\.\\d{1,3}){3}', 'ip 10.0.0.1', true],
    ['(?<v>v\\d)', 'api/v2', true],
    ['(?:ab)+c', 'ababc', true],
    ['\\x41\\u00e9', 'Aé', true],
    ['\\.', 'a', false],
    ['[\\]]', ']', true],
    ['a|b|c', 'zzc', true],
    ['needle', 'haystack with needle', true],
  ])('%s on %j → %s', (pattern, input, expected) => {
    expect(t(pattern, input)).toBe(expected);
  });

  it.each([
    ['(', 'syntax'], ['a)', 'syntax'], ['[a', 'syntax'], ['*a', 'syntax'], ['a**', 'syntax'], ['a{2}{3}', 'syntax'],
    ['\\', 'syntax'], ['\\q', 'syntax'], ['\\p{L}', 'syntax'], ['[z-a]', 'syntax'], ['a{3,2}', 'syntax'], ['(?x)a', 'syntax'],
    ['a(?i)b', 'syntax'], ['^*', 'syntax'], ['\\1', 'limit'], ['(?<n>a)\\k<n>', 'limit'], ['(?=a)', 'limit'], ['(?<!a)b', 'limit'],
    ['a{1001}', 'limit'], ['(a+)+', 'limit'], ['(a*)*', 'limit'], ['(a?)+', 'limit'], ['(a|a)+', 'limit'], ['(\\w|\\d)+', 'limit'],
    ['(?i)(a|A)+', 'limit'], ['(a|)+', 'limit'], ['(.*a){2}', 'limit'], ['(a+){2}', 'limit'], ['(ab?)+', 'limit'],
    ['(a{1,3}){1,100}', 'limit'], ['(a{1,3}){5}', 'limit'], ['(a{1,3}){2,3}', 'limit'],
    [`(${'a'.repeat(100)}){50}`, 'limit'], ['a'.repeat(513), 'limit'], [`${'('.repeat(70)}a${')'.repeat(70)}`, 'limit'],
  ])('refuses %s (%s)', (pattern, kind) => {
    let err: unknown;
    try {
      compileRegex(pattern);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RegexError);
    expect((err as RegexError).kind).toBe(kind);
  });

  it('allows bounded-in-bounded repetition and disjoint repeated alternation', () => {
    for (const p of ['(\\d{1,3}\\.){3}\\d{1,3}', '(GET|POST|PUT)+', '(a|b)*c', '(ab|cd){2,5}', '(a+)?', '\\d+\\d+x', '.*a.*b', '(a{2}){10}', '(?i)(get|post)+']) {
      expect(() => compileRegex(p), p).not.toThrow();
    }
  });

  it('picks the cheapest safe engine', () => {
    expect(compileRegex('needle').engine).toBe('literal');
    expect(compileRegex('^/api/v[12]/').engine).toBe('native');
    expect(compileRegex('^/api/.*$').engine).toBe('native');
    expect(compileRegex('(GET|POST)/v\\d').engine).toBe('native');
    expect(compileRegex('a.*b').engine).toBe('vm');
    expect(compileRegex('x+y').engine).toBe('vm');
    expect(compileRegex('^a+b+').engine).toBe('vm');
    expect(compileRegex('(a|ab)c').engine).toBe('vm');
  });

  it('runs in linear time on inputs that make backtracking engines explode', () => {
    const input = 'x'.repeat(1 << 20);
    for (const p of ['x*y', '.*a.*b', 'x*x*x*y', '[a-z]+[a-z]+y', '(?i)X+Y', '^(x|y|z)*w$', '\\w+@\\w+']) {
      const re = compileRegex(p);
      expect(re.test(input)).toBe(false);
    }
  });
});

// ---- differential test against JS RegExp --------------------------------------------------------

const regexAtom = fc.constantFrom('a', 'b', 'c', 's', 'k', 'é', '.', '[ab]', '[^a]', '[^s]', '[a-z]', '\\d', '\\w', '\\s', '1', ' ', '^', '$', '\\b');
const regex: fc.Arbitrary<string> = fc.letrec<{ r: string }>((tie) => ({
  r: fc.oneof(
    { depthSize: 'small' },
    regexAtom,
    fc.tuple(tie('r'), tie('r')).map(([x, y]) => x + y),
    fc.tuple(tie('r'), tie('r')).map(([x, y]) => `(${x}|${y})`),
    fc.tuple(tie('r'), fc.constantFrom('*', '+', '?', '{2}', '{1,3}', '{2,}', '*?')).map(([x, q]) => `(?:${x})${q}`),
  ),
})).r;

describe('agreement with JS RegExp (property)', () => {
  it('gives the same answer as RegExp for every pattern it accepts', () => {
    let compared = 0;
    fc.assert(
      fc.property(regex, fc.string({ unit: fc.constantFrom('a', 'b', 'c', '1', ' ', '_', 'A', 'ß', 'ſ', 'S', 's', '\u212a', 'k', 'é', 'É'), maxLength: 12 }), fc.boolean(), (pattern, input, ignoreCase) => {
        let re;
        try {
          re = compileRegex(ignoreCase ? `(?i)${pattern}` : pattern);
        } catch (e) {
          if (e instanceof RegexError) return;
          throw e;
        }
        compared++;
        const full = ignoreCase ? `(?i)${pattern}` : pattern;
        const expected = new RegExp(pattern, ignoreCase ? 'i' : '').test(input);
        const label = `${full} on ${JSON.stringify(input)}`;
        expect(re.test(input), label).toBe(expected);
        expect(compileRegex(full, 'vm').test(input), `vm: ${label}`).toBe(expected);
        expect(compileRegex(full, 'native').test(input), `native: ${label}`).toBe(expected);
      }),
      { numRuns: 5000 },
    );
    expect(compared).toBeGreaterThan(1500);
  });
});

describe('regex fuzz', () => {
  it('random patterns either compile or fail with RegexError, and never throw when matching', () => {
    const unit = fc.constantFrom(...'ab()[]{}|*+?.^$\\-,:=!<>1dwsbBkpxu09iP'.split(''));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), fc.string({ maxLength: 20 }), (pattern, input) => {
        let re;
        try {
          re = compileRegex(pattern);
        } catch (e) {
          expect(e).toBeInstanceOf(RegexError);
          expect((e as RegexError).offset).toBeGreaterThanOrEqual(0);
          expect((e as RegexError).offset).toBeLessThanOrEqual(pattern.length);
          return;
        }
        expect(typeof re.test(input)).toBe('boolean');
      }),
      { numRuns: 5000 },
    );
  });
});
