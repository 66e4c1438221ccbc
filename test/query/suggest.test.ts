import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/query/suggest.js';

describe('suggestions', () => {
  it('computes edit distance with an early stop', () => {
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('abc', 'abc', 1)).toBe(0);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });

  it('ranks close names first and ignores far ones', () => {
    expect(closest('stauts_code', ['status_code', 'status', 'path'])).toEqual(['status_code']);
    expect(closest('mehtod', ['method', 'path'])).toEqual(['method']);
    expect(closest('zzz', ['method', 'path'])).toEqual([]);
  });
});
