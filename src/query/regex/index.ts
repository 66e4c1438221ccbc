/**
 * Regular expressions for `matches()`, with RE2's semantics and linear-time matching (re2js).
 *
 * `compileRegex` parses the pattern (`parse.ts`: a JS-flavoured subset of RE2 syntax, refusing
 * backreferences and lookaround with the offset of the offending part), applies the language's
 * policy (`shape.ts`: no shapes that are exponential in backtracking engines, so a filter stays safe
 * when pasted into one; `size.ts`: bounded expanded size), then matches with re2js on RE2 syntax
 * (`translate.ts`, `re2.ts`). A plain, case-sensitive text runs as a substring search. Only the first
 * `MAX_MATCH_INPUT` code units of a value are searched; `$` still means the real end.
 *
 * Why re2js and not the hand-written Pike VM + `RegExp` fast path this folder had before (commit
 * 5c7f0c4, deleted here): measured with `npm run bench:regex` (node 20, 2 cores, median of 7 runs; the
 * ratio is the hand-written engine's time ÷ re2js's):
 * - adversarial, 64 KiB of input: `x*x*y` 4.8 ms vs 0.6 µs, `x*y` 2.7 ms vs 0.6 µs, `a+$` on
 *   "a…!" 3.4 ms vs 0.4 ms; `(a+)+$` and `(x*)*y` run under 0.5 ms in re2js (the shape rules still
 *   refuse them, as policy, not for speed);
 * - 64 KiB bodies: re2js 2–20x faster wherever the old engine fell back to its VM
 *   (`"status":\s*"fail(ed|ure)"` 773 µs vs 38 µs, `error.*timeout` 476 µs vs 26 µs, an IPv4
 *   pattern 2.0 ms vs 0.47 ms), but `(?i)exception` 6 µs (RegExp) vs 396 µs;
 * - ~50 B values: the old engine's `RegExp`/substring paths were 2.5–15x faster (24 ns vs 350 ns for
 *   `^/api/v[12]/`), its VM 2–5x slower (`v[12]/.*s$` 597 ns vs 126 ns);
 * - compile: 4–430 µs vs 26–270 µs.
 * It did not win clearly (≥1.5x on realistic cases and no worse on adversarial ones), and RE2 brings
 * Unicode classes (`\p{Greek}`) and Unicode case folding. re2 (the C++ addon) was not taken: a
 * 2.5-minute node-gyp build (87 MB), its current releases require Node 22, and each call converts the
 * string to UTF-8 (1.6–2.2 µs on a 50 B value, ~250 µs on a 64 KiB body).
 */
import { MAX_MATCH_INPUT, MAX_REGEX_LENGTH } from '../limits.js';
import { RegexError, type RNode } from './ast.js';
import { parseRegex } from './parse.js';
import { compileRe2 } from './re2.js';
import { checkShape } from './shape.js';
import { checkSize } from './size.js';
import { toRe2Syntax } from './translate.js';

export { RegexError } from './ast.js';

/** A compiled pattern; `test` never throws and runs in time linear in min(input, 64 KiB). */
export interface CompiledRegex {
  readonly source: string;
  /** How it runs: substring search for plain text, else re2js. */
  readonly engine: 'literal' | 're2js';
  readonly test: (input: string) => boolean;
}

/** Compiles `pattern` or throws `RegexError` (`syntax` or `limit`, with the offset into the pattern). */
export function compileRegex(pattern: string): CompiledRegex {
  if (pattern.length > MAX_REGEX_LENGTH) throw new RegexError('limit', `regex is longer than ${MAX_REGEX_LENGTH} characters`, MAX_REGEX_LENGTH);
  const { root, flags } = parseRegex(pattern);
  checkShape(root, flags);
  checkSize(root);
  const literal = flags.ignoreCase ? null : literalText(root);
  if (literal !== null) return { source: pattern, engine: 'literal', test: (s) => (s.length > MAX_MATCH_INPUT ? s.slice(0, MAX_MATCH_INPUT) : s).includes(literal) };
  return { source: pattern, engine: 're2js', test: compileRe2(toRe2Syntax(pattern), pattern) };
}

/** The text of a pattern that is a plain, non-empty sequence of BMP characters, else null. */
function literalText(root: RNode): string | null {
  const items = root.k === 'cat' ? root.items : [root];
  if (!items.length || !items.every((n) => n.k === 'char' && (n.c < 0xd800 || n.c > 0xdfff))) return null;
  return String.fromCharCode(...items.map((n) => (n as RNode & { k: 'char' }).c));
}
