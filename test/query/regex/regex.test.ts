/**
 * `matches()` regexes: semantics (RE2's, through re2js), refusals with offsets, the 64 KiB cap,
 * the JS→RE2 spelling, and agreement with JS `RegExp` where the two define the same thing. Property
 * tests run from a fixed seed (`FC_SEED` overrides it); fast-check prints the seed and path of a
 * failure, and the seed is repeated in the failure label. Speed is measured in `npm run bench:regex`.
 */
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { MAX_MATCH_INPUT } from '../../../src/query/limits.js';
import { compileRegex, RegexError } from '../../../src/query/regex/index.js';
import { parseRegex } from '../../../src/query/regex/parse.js';
import { checkShape } from '../../../src/query/regex/shape.js';
import { checkSize } from '../../../src/query/regex/size.js';
import { toRe2Syntax } from '../../../src/query/regex/translate.js';

const SEED = Number(process.env.FC_SEED ?? 20261127);
const t = (pattern: string, input: string) => compileRegex(pattern).test(input);

function refusal(pattern: string): RegexError {
  try {
    compileRegex(pattern);
  } catch (e) {
    if (e instanceof RegexError) return e;
    throw e;
  }
  throw new Error(`${pattern} was accepted`);
}

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
    ['[^]', '\n', true],
    ['a{', 'a{', true],
    ['x{,3}', 'x{,3}', true],
    ['', '', true],
    ['$', 'abc', true],
    ['^$', '', true],
    ['^$', 'a', false],
    ['a$', 'a\n', false],
    ['^b', 'a\nb', false],
    ['\\d{1,3}(\\.\\d{1,3}){3}', 'ip 10.0.0.1', true],
    ['(?<v>v\\d)', 'api/v2', true],
    ['(?P<v>v\\d)', 'api/v2', true],
    ['(?:ab)+c', 'ababc', true],
    ['a+?b', 'aab', true],
    ['\\x41\\u00e9', 'Aé', true],
    ['\\ud83d\\ude00', 'x😀', true],
    ['\\0', '\0', true],
    ['[\\b]', '\b', true],
    ['\\é', 'é', true],
    ['[[:alpha:]]', 'b]', false],
    ['[[:alpha:]]', ':]', true],
    ['\\.', 'a', false],
    ['[\\]]', ']', true],
    ['a|b|c', 'zzc', true],
    ['needle', 'haystack with needle', true],
    // RE2 semantics where JS RegExp differs.
    ['(?i)s', 'ſ', true],
    ['(?i)k', '\u212a', true],
    ['(?i)ß', 'ẞ', true],
    ['\\s', '\u00a0', false],
    ['\\s', '\v', false],
    ['\\s', '\t\n\f\r ', true],
    ['^.$', '😀', true],
    ['^..$', '😀', false],
    ['\\p{Greek}', 'λόγος', true],
    ['^\\pL+$', 'Ünïcödé', true],
    ['^\\PL+$', 'abc', false],
    ['^[\\p{Lu}\\d]+$', 'ÉA1', true],
    ['\\w', 'é', false],
    ['\\bé', ' é', false],
  ])('%s on %j → %s', (pattern, input, expected) => {
    expect(t(pattern, input)).toBe(expected);
  });

  it.each([
    ['(', 'syntax'], ['a)', 'syntax'], ['[a', 'syntax'], ['*a', 'syntax'], ['a**', 'syntax'], ['a{2}{3}', 'syntax'],
    ['\\', 'syntax'], ['\\q', 'syntax'], ['\\p', 'syntax'], ['\\p{', 'syntax'], ['\\p{Bogus}', 'syntax'], ['[z-a]', 'syntax'],
    ['a{3,2}', 'syntax'], ['(?x)a', 'syntax'], ['(?m)^a', 'syntax'], ['a(?i)b', 'syntax'], ['^*', 'syntax'], ['\\z', 'syntax'],
    ['\\1', 'limit'], ['(?<n>a)\\k<n>', 'limit'], ['(?=a)', 'limit'], ['(?<!a)b', 'limit'],
    ['a{1001}', 'limit'], ['(a+)+', 'limit'], ['(a*)*', 'limit'], ['(a?)+', 'limit'], ['(a|a)+', 'limit'], ['(\\w|\\d)+', 'limit'],
    ['(?i)(a|A)+', 'limit'], ['(a|)+', 'limit'], ['(.*a){2}', 'limit'], ['(a+){2}', 'limit'], ['(ab?)+', 'limit'], ['(\\pL|x)+', 'limit'],
    ['(a{1,3}){1,100}', 'limit'], ['(a{1,3}){5}', 'limit'], ['(a{1,3}){2,3}', 'limit'], ['(a{1000}){1000}', 'limit'], ['(a{40}){100}', 'limit'],
    [`(${'a'.repeat(100)}){50}`, 'limit'], ['a'.repeat(513), 'limit'], [`${'('.repeat(70)}a${')'.repeat(70)}`, 'limit'],
  ])('refuses %s (%s)', (pattern, kind) => {
    expect(refusal(pattern).kind).toBe(kind);
  });

  it.each<[string, number]>([
    ['ab(cd', 5], ['ab[cd', 2], ['x\\1', 1], ['x(?=a)', 1], ['(a+)+$', 4], ['a{1001}', 1], ['(a{1000}){1000}', 1],
    ['ab\\p{Bogus}', 2], ['[a\\p{Nope}]', 2], ['x(a{1000}){5}', 2], ['(a{40}){100}', 7],
  ])('reports %s at offset %i', (pattern, offset) => {
    expect(refusal(pattern).offset).toBe(offset);
  });

  it('names an unknown Unicode class', () => {
    expect(refusal('x\\p{Bogus}').message).toBe('regex unknown Unicode class "\\p{Bogus}"');
  });

  it('allows bounded-in-bounded repetition and disjoint repeated alternation', () => {
    for (const p of ['(\\d{1,3}\\.){3}\\d{1,3}', '(GET|POST|PUT)+', '(a|b)*c', '(ab|cd){2,5}', '(a+)?', '\\d+\\d+x', '.*a.*b', '(a{2}){10}', '(?i)(get|post)+', '(a{40}){25}', '(ab|cd){500}']) {
      expect(() => compileRegex(p), p).not.toThrow();
    }
  });

  it('searches plain text as a substring and everything else with re2js', () => {
    expect(compileRegex('needle').engine).toBe('literal');
    expect(compileRegex('(?i)needle').engine).toBe('re2js');
    expect(compileRegex('^/api/v[12]/').engine).toBe('re2js');
    expect(compileRegex('\\ud83d\\ude00').engine).toBe('re2js');
  });

  it('answers on inputs that make backtracking engines explode', () => {
    const input = 'x'.repeat(1 << 20);
    for (const p of ['x*y', '.*a.*b', 'x*x*x*y', '[a-z]+[a-z]+y', '(?i)X+Y', '^(x|y|z)*w$', '\\w+@\\w+']) expect(t(p, input), p).toBe(false);
    expect(t('x*x*x*$', input)).toBe(false);
    expect(t('^x+', input)).toBe(true);
  });
});

describe('the 64 KiB cap', () => {
  const cut = (tail: string) => `${'x'.repeat(MAX_MATCH_INPUT - 3)}${tail}`;

  it('searches only the first MAX_MATCH_INPUT code units, with $ at the real end', () => {
    expect(t('foo', cut('foo'))).toBe(true);
    expect(t('foo$', cut('foo'))).toBe(true);
    expect(t('(?i)FOO$', cut('foo'))).toBe(true);
    expect(t('foo', cut('fo!o'))).toBe(false);
    expect(t('o!', cut('foo!'))).toBe(false);
    expect(t('foo$', cut('foo!'))).toBe(false);
    expect(t('(?i)FOO$', cut('foo!'))).toBe(false);
    expect(t('(?i)xFOO', cut('foo!'))).toBe(true);
  });

  it('lets \\b see the character after the cut', () => {
    expect(t('foo\\b', cut('foo bar'))).toBe(true);
    expect(t('foo\\b', cut('foobar'))).toBe(false);
    expect(t('foo\\B', cut('foobar'))).toBe(true);
  });
});

describe('RE2 spelling (toRe2Syntax)', () => {
  it.each([
    ['\\u00e9', '\\x{e9}'], ['\\ud83d\\ude00', '\\x{1f600}'], ['\\0', '\\x00'], ['[]', '[^\\x00-\\x{10FFFF}]'], ['[^]', '[\\x00-\\x{10FFFF}]'],
    ['[\\b]', '[\\x08]'], ['[[:alpha:]]', '[\\[:alpha:]]'], ['\\é', 'é'], ['\\bx\\B', '\\bx\\B'], ['[\\p{L}\\d]\\pN', '[\\p{L}\\d]\\pN'],
    ['(?i)(?<n>a|b)\\.', '(?i)(?<n>a|b)\\.'],
  ])('%s → %s', (pattern, re2) => {
    expect(toRe2Syntax(pattern)).toBe(re2);
  });

  it('gives RE2 a valid pattern for every pattern the policy accepts (property)', () => {
    const unit = fc.constantFrom(...'ab()[]{}|*+?.^$\\-,:=!<>1dwsbBkpxu09iPé'.split(''), '{L}', 'u00e9', 'x41');
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 24 }).map((us) => us.join('')), (pattern) => {
        try {
          const { root, flags } = parseRegex(pattern);
          checkShape(root, flags);
          checkSize(root);
        } catch (e) {
          if (e instanceof RegexError) return;
          throw e;
        }
        accepted++;
        if (/\\[pP]/.test(pattern)) return; // class names are RE2's to check
        expect(() => RE2JS.compile(toRe2Syntax(pattern)), `${pattern} (seed ${SEED})`).not.toThrow();
      }),
      { seed: SEED, numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(300);
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

/** Inputs on which RE2 and JS agree: no `ſ` or Kelvin sign (RE2 folds them onto s and k), no `\v`/NBSP. */
const input = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '1', ' ', '_', 'A', 'ß', 'S', 's', 'k', 'K', 'é', 'É', '\n'), maxLength: 12 });

describe('agreement with JS RegExp (property)', () => {
  it('gives the same answer as RegExp for every pattern it accepts, on inputs where RE2 and JS agree', () => {
    let compared = 0;
    fc.assert(
      fc.property(regex, input, fc.boolean(), (pattern, value, ignoreCase) => {
        const full = ignoreCase ? `(?i)${pattern}` : pattern;
        let re;
        try {
          re = compileRegex(full);
        } catch (e) {
          if (e instanceof RegexError) return;
          throw e;
        }
        compared++;
        const expected = new RegExp(pattern, ignoreCase ? 'i' : '').test(value);
        expect(re.test(value), `${full} on ${JSON.stringify(value)} (seed ${SEED})`).toBe(expected);
      }),
      { seed: SEED, numRuns: 5000 },
    );
    expect(compared).toBeGreaterThan(1500);
  });
});

describe('regex fuzz', () => {
  it('random patterns either compile or fail with RegexError, and never throw when matching', () => {
    const unit = fc.constantFrom(...'ab()[]{}|*+?.^$\\-,:=!<>1dwsbBkpxu09iP'.split(''));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), fc.string({ maxLength: 20 }), (pattern, value) => {
        let re;
        try {
          re = compileRegex(pattern);
        } catch (e) {
          expect(e, `${pattern} (seed ${SEED})`).toBeInstanceOf(RegexError);
          expect((e as RegexError).offset).toBeGreaterThanOrEqual(0);
          expect((e as RegexError).offset).toBeLessThanOrEqual(pattern.length);
          return;
        }
        expect(typeof re.test(value)).toBe('boolean');
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });
});
