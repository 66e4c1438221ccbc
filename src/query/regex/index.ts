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
 * Why re2js rather than the hand-written engine this folder had (a Pike VM, plus JS `RegExp` for
 * shapes where backtracking is provably linear and a substring search for plain text; last at commit
 * d4233f4, figures from this bench run there): `RE2_MODULE=<re2 build> ROUNDS=7 npm run bench:regex`,
 * node 20 on 2 cores, medians, one process; hand-written vs re2js (vs the re2 addon):
 * - adversarial, 64 KiB: `x*x*y` 3.7 ms vs 0.6 µs (re2 97 µs), `x*y` 2.4 ms vs 0.6 µs, `a+$` on
 *   "a…a!" 3.0 ms vs 0.37 ms (re2 0.1 µs); `(a+)+$` and `(x*)*y` are refused by the policy (re2js
 *   0.36 ms and 0.6 µs);
 * - 64 KiB bodies where the old engine used its VM: re2js 2–17x faster (`"status":\s*"fail(ed|ure)"`
 *   577 vs 35 µs, `error.*timeout` 324 vs 23 µs, an IPv4 pattern 1.43 vs 0.33 ms); where it used
 *   `RegExp`: the old one faster (`(?i)exception` 5 vs 334 µs, a match early in the body 64 vs 453 ns);
 *   plain text: equal (5 µs);
 * - ~50 B values: the old `RegExp`/substring paths 2–11x faster (`^/api/v[12]/` 36 vs 218 ns,
 *   `(?i)checkout\.shop` 20 vs 224 ns), its VM 1.3–3x slower (`v[12]/.*s$` 409 vs 129 ns); in
 *   `bench/query.bench.ts`, `path.matches("^/api/v[12]/")` went from 8.9 to 2.7 M entries/s and
 *   `path.matches("v[12]/.*s$")` from 3.6 to 4.7 M/s;
 * - compile: old 1–262 µs, re2js 6–207 µs per pattern.
 * The bar for keeping the hand-written engine was ≥1.5x on realistic cases, no worse on adversarial
 * ones and no RE2 feature users would want: it loses on adversarial inputs and on bodies, and RE2 adds
 * Unicode classes and Unicode case folding. The re2 addon was not taken: a 2.5-minute node-gyp build
 * (87 MB), releases from 1.24.1 on require Node 22, and each call costs ~1 µs of UTF-8 conversion even
 * on a 50 B value.
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
