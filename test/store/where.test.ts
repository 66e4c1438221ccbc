import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { elapsedBucket } from '../../src/store/elapsed-bucket.js';
import { buildWhere } from '../../src/store/where.js';

describe('buildWhere', () => {
  it('binds every value as a parameter; the text depends on the shape only', () => {
    const a = buildWhere([{ column: 'srcPod', op: '=', value: "x' OR '1'='1" }, { column: 'method', op: 'in', value: ['GET', 'PUT'] }], { before: 10 });
    expect(a.sql).toBe('src_pod = ? AND method IN (?, ?) AND cursor < ?');
    expect(a.params).toEqual(["x' OR '1'='1", 'GET', 'PUT', 10]);
    const b = buildWhere([{ column: 'srcPod', op: '=', value: 'other' }, { column: 'method', op: 'in', value: ['A', 'B'] }], { before: 99 });
    expect(b.sql).toBe(a.sql);
    expect(buildWhere([], {})).toEqual({ sql: '1', params: [] });
  });

  it('an elapsed comparison also constrains the indexed bucket', () => {
    expect(buildWhere([{ column: 'elapsedMs', op: '>', value: 1000 }], {})).toEqual({
      sql: 'elapsed_bucket >= ? AND elapsed_ms > ?',
      params: [elapsedBucket(1000), 1000],
    });
    expect(buildWhere([{ column: 'elapsedMs', op: 'in', value: [1, 1.5, 3] }], { after: 2 })).toEqual({
      sql: 'elapsed_bucket IN (?, ?) AND elapsed_ms IN (?, ?, ?) AND cursor > ?',
      params: [elapsedBucket(1), elapsedBucket(3), 1, 1.5, 3, 2],
    });
  });
});

describe('elapsedBucket', () => {
  it('is monotonic, so bucket comparisons are implied by value comparisons', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(elapsedBucket(lo)).toBeLessThanOrEqual(elapsedBucket(hi));
      }),
      { numRuns: 2000 },
    );
  });

  it('has 1-2-5 bounds with a handful of buckets for realistic latencies', () => {
    expect([-1, 0, 0.99, 1, 1.99, 2, 5, 9.9, 10, 1000, 1e7, 1e9].map(elapsedBucket)).toEqual([0, 1, 1, 2, 2, 3, 4, 4, 5, 11, 23, 25]);
  });
});
