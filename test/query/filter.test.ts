/** The public API: compileFilter, checkFilter, FilterError.toInfo, MATCH_ALL. */
import { describe, expect, it } from 'vitest';
import { PodsniffError } from '../../src/model/index.js';
import { checkFilter, compileFilter, FilterError, MATCH_ALL } from '../../src/query/index.js';
import { httpPost500 } from './fixtures.js';

describe('compileFilter', () => {
  it('returns a frozen EntryMatcher with the original text', () => {
    const f = compileFilter(' http ');
    expect(f.text).toBe(' http ');
    expect(Object.isFrozen(f)).toBe(true);
    expect(f.matches(httpPost500)).toBe(true);
    expect(f.usesClock).toBe(false);
  });

  it('returns MATCH_ALL for empty text', () => {
    expect(compileFilter('')).toBe(MATCH_ALL);
    expect(MATCH_ALL.usesClock).toBe(false);
  });

  it('throws FilterError, a PodsniffError, for non-string input', () => {
    expect(() => compileFilter(5 as unknown as string)).toThrow(FilterError);
  });
});

describe('FilterError', () => {
  it('carries code, position, expected and a JSON shape for the API', () => {
    let err: unknown;
    try {
      compileFilter('http && (status_code >= 500');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PodsniffError);
    const f = err as FilterError;
    expect(f.name).toBe('FilterError');
    expect(f.toInfo()).toEqual({ code: 'E_QUERY_SYNTAX', message: 'expected ")" at 27, found end of input', position: 27, expected: [')'] });
  });

  it('includes the hint in the info message', () => {
    const r = checkFilter('stauts_code == 1');
    expect(r).toEqual({
      ok: false,
      error: { code: 'E_QUERY_TYPE', message: 'unknown field "stauts_code" at 0; did you mean status_code?', position: 0, expected: ['status_code'] },
    });
  });
});

describe('checkFilter', () => {
  it('accepts valid and blank filters', () => {
    expect(checkFilter('http')).toEqual({ ok: true, text: 'http' });
    expect(checkFilter('')).toEqual({ ok: true, text: '' });
  });

  it('reports each error class', () => {
    expect(checkFilter('http &&')).toMatchObject({ ok: false, error: { code: 'E_QUERY_SYNTAX', position: 7 } });
    expect(checkFilter('method > 3')).toMatchObject({ ok: false, error: { code: 'E_QUERY_TYPE', position: 7 } });
    expect(checkFilter('path.matches("(a+)+$")')).toMatchObject({ ok: false, error: { code: 'E_QUERY_LIMIT', position: 18 } });
  });
});
