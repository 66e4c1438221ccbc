/**
 * Typed errors of the filter language. Every failure to parse, type-check or bound a filter is a
 * `FilterError` with a stable code (`E_QUERY_SYNTAX`, `E_QUERY_TYPE`, `E_QUERY_LIMIT`), the 0-based
 * character offset it refers to, and what would have been accepted there.
 */
import { PodsniffError, type QueryErrorInfo } from '../model/index.js';

/** The codes a filter error can carry. */
export type FilterErrorCode = 'E_QUERY_SYNTAX' | 'E_QUERY_TYPE' | 'E_QUERY_LIMIT';

/** A filter that does not parse, does not type-check, or is over a safety bound. */
export class FilterError extends PodsniffError {
  declare readonly code: FilterErrorCode;
  /** 0-based character offset into the filter text. */
  readonly position: number;
  /** What was expected at `position`: token texts (`")"`) or categories (`field`, `literal`). */
  readonly expected: readonly string[];

  constructor(code: FilterErrorCode, message: string, position: number, expected: readonly string[] = [], hint?: string) {
    super(code, message, hint);
    this.name = 'FilterError';
    this.position = position;
    this.expected = expected;
  }

  /** The JSON shape the API sends to the dashboard. */
  toInfo(): QueryErrorInfo {
    return { code: this.code, message: this.toLine(), position: this.position, expected: [...this.expected] };
  }
}

/** Categories are printed bare (`field`), token texts quoted (`")"`). */
const CATEGORIES = new Set(['field', 'literal', 'operator', 'end of input', 'identifier', 'function', 'string literal', 'expression', 'closing quote', 'escape character']);

/** `a`, `a or b`, `a, b or c`, quoting token texts. */
export function describeExpected(expected: readonly string[]): string {
  const shown = expected.map((e) => (CATEGORIES.has(e) ? e : JSON.stringify(e)));
  if (shown.length <= 1) return shown[0] ?? 'nothing';
  return `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]!}`;
}

/** `expected ")" at 17, found end of input`. */
export function syntaxError(position: number, expected: readonly string[], found: string, hint?: string): FilterError {
  return new FilterError('E_QUERY_SYNTAX', `expected ${describeExpected(expected)} at ${position}, found ${found}`, position, expected, hint);
}

/** A type error: `message` says what is wrong; the position is appended. */
export function typeError(position: number, message: string, expected: readonly string[] = [], hint?: string): FilterError {
  return new FilterError('E_QUERY_TYPE', `${message} at ${position}`, position, expected, hint);
}

/** A bound was exceeded: `message` says which and by how much. */
export function limitError(position: number, message: string, hint?: string): FilterError {
  return new FilterError('E_QUERY_LIMIT', `${message} at ${position}`, position, [], hint);
}
