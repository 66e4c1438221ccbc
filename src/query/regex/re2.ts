/**
 * Matching with re2js (RE2 in TypeScript: linear time in the input, no backtracking). `compileRe2`
 * takes RE2 syntax (see `translate.ts`) and returns a tester that never throws and searches only the
 * first `MAX_MATCH_INPUT` code units of a value, with `$` still meaning the real end and `\b` seeing
 * the real next character: a longer value is cut one unit past the cap and tested with
 * `(?:pattern)(?s:.)`, so a match must end before that extra unit (and `$` cannot hold at the cut).
 */
import { RE2JS, RE2JSSyntaxException } from 're2js';
import { MAX_MATCH_INPUT } from '../limits.js';
import { RegexError } from './ast.js';

/** A tester for RE2 syntax `source`; errors are `RegexError`s with offsets into `pattern`. */
export function compileRe2(source: string, pattern: string): (input: string) => boolean {
  const whole = compile(source, pattern);
  let capped: RE2JS | null = null;
  return (input) => {
    if (input.length <= MAX_MATCH_INPUT) return whole.test(input);
    capped ??= compile(`(?:${source})(?s:.)`, pattern);
    return capped.test(input.slice(0, MAX_MATCH_INPUT + 1));
  };
}

/** RE2's refusals of valid but too large patterns; its other errors are syntax errors. */
const RE2_LIMITS: Readonly<Record<string, string>> = {
  'invalid repeat count': ' (nested repetition counts multiply to over 1000)',
  'expression too large': '',
  'expression nests too deeply': '',
};

function compile(source: string, pattern: string): RE2JS {
  try {
    return RE2JS.compile(source);
  } catch (err) {
    if (!(err instanceof RE2JSSyntaxException)) throw err;
    // RE2 names the offending text, not its offset: find it in the pattern as the user wrote it.
    const at = err.input ? pattern.indexOf(err.input) : -1;
    const limit = RE2_LIMITS[err.error];
    // RE2 words an unknown `\p{Name}` as a bad class range.
    const what = err.input && /^\\[pP]/.test(err.input) ? 'unknown Unicode class' : err.error;
    const message = `regex ${what}${err.input ? ` "${err.input}"` : ''}${limit ?? ''}`;
    throw new RegexError(limit === undefined ? 'syntax' : 'limit', message, Math.max(0, at));
  }
}
