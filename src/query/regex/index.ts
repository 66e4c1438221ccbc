/**
 * Regular expressions for `matches()`: parse (RE2/JS-like subset, see `ast.ts`), check the shape
 * (`shape.ts`), then match against the first `MAX_MATCH_INPUT` code units with the cheapest engine
 * that is safe: substring search for plain text, JS `RegExp` for shapes where backtracking is linear
 * (`native.ts`), else the linear-time VM (`vm.ts`). Patterns longer than `MAX_REGEX_LENGTH` are
 * refused. Matching is per UTF-16 code unit; `.` matches anything but `\n` (all with `(?s)`).
 */
import { MAX_MATCH_INPUT, MAX_REGEX_LENGTH } from '../limits.js';
import { RegexError, type RNode } from './ast.js';
import { linearForBacktracking, toNativeSource } from './native.js';
import { branchesOverlap, checkShape, firstSet, nullable } from './shape.js';
import { parseRegex } from './parse.js';
import { caseClose } from './fold.js';
import { compileProgram } from './program.js';
import { PikeVm } from './vm.js';

export { RegexError } from './ast.js';

/** A compiled pattern; `test` never throws and is bounded by pattern size × 64 KiB. */
export interface CompiledRegex {
  readonly source: string;
  /** How it runs: substring search, JS `RegExp` (linear-safe shapes only) or the linear VM. */
  readonly engine: 'literal' | 'native' | 'vm';
  readonly test: (input: string) => boolean;
}

/** Which engine to use; tests force one to compare them. */
export type EngineChoice = 'auto' | 'vm' | 'native';

/**
 * Compiles `pattern` or throws `RegexError` (with the offset into the pattern). `native` forces the
 * JS `RegExp` form even for shapes where backtracking is not linear: for tests only.
 */
export function compileRegex(pattern: string, engine: EngineChoice = 'auto'): CompiledRegex {
  if (pattern.length > MAX_REGEX_LENGTH) throw new RegexError('limit', `regex is longer than ${MAX_REGEX_LENGTH} characters`, MAX_REGEX_LENGTH);
  const { root, flags } = parseRegex(pattern);
  checkShape(root, flags);
  const literal = flags.ignoreCase ? null : literalText(root);
  if (literal !== null && engine === 'auto') return { source: pattern, engine: 'literal', test: (s) => (s.length > MAX_MATCH_INPUT ? s.slice(0, MAX_MATCH_INPUT) : s).includes(literal) };
  const anchored = startsAnchored(root);
  const vm = new PikeVm(compileProgram(root, flags), {
    anchored,
    start: nullable(root) ? null : flags.ignoreCase ? caseClose(firstSet(root)) : firstSet(root),
  });
  const linear = linearForBacktracking(root, anchored, (alt) => branchesOverlap(alt, flags));
  if (engine === 'vm' || (engine === 'auto' && !linear)) return { source: pattern, engine: 'vm', test: (s) => vm.test(s) };
  const native = new RegExp(toNativeSource(root), flags.ignoreCase ? 'i' : '');
  // Values over the cap go to the VM, which keeps `$` and `\b` meaning the real end of the value.
  return { source: pattern, engine: 'native', test: (s) => (s.length > MAX_MATCH_INPUT ? vm.test(s) : native.test(s)) };
}

/** The text of a pattern that is a plain, non-empty sequence of characters, else null. */
function literalText(root: RNode): string | null {
  const items = root.k === 'cat' ? root.items : [root];
  if (!items.length || !items.every((n) => n.k === 'char')) return null;
  return String.fromCharCode(...items.map((n) => (n).c));
}

function startsAnchored(root: RNode): boolean {
  const first = root.k === 'cat' ? root.items[0] : root;
  return first?.k === 'assert' && first.a === 'bol';
}
