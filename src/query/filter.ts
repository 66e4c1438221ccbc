/**
 * Compiling filters: text → `EntryMatcher` (parse, type-check, compile to closures, extract index
 * constraints), and validation for the dashboard (`checkFilter`). Empty or blank text matches all.
 */
import type { Entry, EntryMatcher, QueryCheck } from '../model/index.js';
import { readsClock } from './checked.js';
import { check, conditionHint } from './checker.js';
import { compileFn } from './compiler.js';
import { FilterError, limitError, typeError } from './errors.js';
import { MAX_FILTER_LENGTH } from './limits.js';
import { parse } from './parser.js';
import { extractConstraints } from './pushdown.js';

/** Options of `compileFilter`. */
export interface CompileOptions {
  /** The clock `now()` reads (ms since the epoch); `Date.now` by default. Must not go backwards. */
  readonly now?: () => number;
}

/**
 * A compiled filter. `matches` is pure given the clock, never throws, and is safe to call from any
 * number of places. `constraints` were computed at compile time (a snapshot of `now()` when
 * `usesClock`); `matches` always re-checks with the clock at call time.
 */
export interface CompiledFilter extends EntryMatcher {
  /** True when the filter calls `now()`: recompile to refresh `constraints`. */
  readonly usesClock: boolean;
}

/** The filter that matches every entry: text '', no constraints, exact. */
export const MATCH_ALL: CompiledFilter = Object.freeze({
  text: '',
  constraints: Object.freeze([]),
  exact: true,
  usesClock: false,
  matches: (_entry: Entry) => true,
});

/** Compiles a filter or throws `FilterError` (`E_QUERY_SYNTAX`, `E_QUERY_TYPE`, `E_QUERY_LIMIT`). */
export function compileFilter(text: string, options: CompileOptions = {}): CompiledFilter {
  if (typeof text !== 'string') throw typeError(0, 'a filter must be text', ['string']);
  if (text.length > MAX_FILTER_LENGTH) throw limitError(MAX_FILTER_LENGTH, `filter is longer than ${MAX_FILTER_LENGTH} characters`);
  if (text.trim() === '') return text === '' ? MATCH_ALL : Object.freeze({ ...MATCH_ALL, text });
  const checked = check(parse(text));
  if (checked.type !== 'bool') {
    throw typeError(checked.pos, `a filter must be a condition (bool), found ${checked.type}`, ['bool'], conditionHint(checked));
  }
  const clock = options.now ?? Date.now;
  const fn = compileFn(checked, { now: clock });
  const { constraints, exact } = extractConstraints(checked, { now: clock });
  const matches = (entry: Entry): boolean => {
    try {
      return fn(entry) === true;
    } catch {
      return false;
    }
  };
  return Object.freeze({ text, constraints: Object.freeze(constraints), exact, usesClock: readsClock(checked), matches });
}

/** Validates a filter for the dashboard: `{ok: true}` or the error with its position. */
export function checkFilter(text: string): QueryCheck {
  try {
    compileFilter(text);
    return { ok: true, text };
  } catch (err) {
    if (err instanceof FilterError) return { ok: false, error: err.toInfo() };
    throw err;
  }
}
