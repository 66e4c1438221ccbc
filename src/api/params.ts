/** Query-parameter parsing for the API: bad values are 400s that name the parameter and the range. */
import type { EntryMatcher } from '../model/index.js';
import { compileFilter, FilterError, MATCH_ALL } from '../query/index.js';
import { HttpError } from './http-error.js';
import type { RequestTarget } from './request-target.js';

/** An integer parameter in [min, max], or `fallback` when absent. */
export function intParam(url: RequestTarget, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, 'E_BAD_QUERY', `${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** An optional cursor parameter (`before`, `after`). */
export function cursorParam(url: RequestTarget, name: string): number | undefined {
  return url.searchParams.has(name) ? intParam(url, name, 0, 0, Number.MAX_SAFE_INTEGER) : undefined;
}

/** The `q` filter, compiled; a bad filter is a 400 with its position and what was expected. */
export function filterParam(url: RequestTarget): EntryMatcher {
  const text = url.searchParams.get('q')?.trim() ?? '';
  if (!text) return MATCH_ALL;
  try {
    return compileFilter(text);
  } catch (err) {
    if (err instanceof FilterError) {
      const info = err.toInfo();
      throw new HttpError(400, info.code, info.message, { position: info.position, expected: info.expected });
    }
    throw err;
  }
}
