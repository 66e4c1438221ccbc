import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolutionFromTsresol, unitsToTimestamp } from '../../src/capture/timestamp.js';

/** Reference: exact BigInt arithmetic, fraction truncated to nanoseconds. */
function reference(hi: number, lo: number, tsresol: number, offset: number): { sec: number; nsec: number } {
  const v = (BigInt(hi) << 32n) | BigInt(lo);
  const exp = BigInt(tsresol & 0x7f);
  const units = tsresol & 0x80 ? 1n << exp : 10n ** exp;
  return { sec: Number(v / units) + offset, nsec: Number(((v % units) * 1_000_000_000n) / units) };
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });

describe('unitsToTimestamp', () => {
  it('matches exact BigInt arithmetic for every resolution', () => {
    const tsresol = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0x80, max: 0x80 + 40 }));
    fc.assert(
      fc.property(u32, u32, tsresol, fc.integer({ min: -1e6, max: 1e6 }), (hi, lo, r, offset) => {
        const res = resolutionFromTsresol(r, offset);
        const expected = reference(hi, lo, r, offset);
        if (Math.abs(expected.sec) < Number.MAX_SAFE_INTEGER) expect(unitsToTimestamp(hi, lo, res)).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('is exact for nanosecond counts above 2^53 (every ns timestamp of this century)', () => {
    const ns = 1_732_717_200_123_456_789n; // 2024-11-27T14:20:00.123456789Z
    const hi = Number(ns >> 32n);
    const lo = Number(ns & 0xffffffffn);
    expect(unitsToTimestamp(hi, lo, resolutionFromTsresol(9, 0))).toEqual({ sec: 1_732_717_200, nsec: 123_456_789 });
    expect(unitsToTimestamp(0xffffffff, 0xffffffff, resolutionFromTsresol(9, 0))).toEqual({ sec: 18_446_744_073, nsec: 709_551_615 });
  });

  it('checks the boundaries around whole seconds', () => {
    const res = resolutionFromTsresol(6, 0);
    for (const v of [0, 999_999, 1_000_000, 2 ** 53 - 1, 2 ** 53 - 1_000_000, 4_294_967_295_999_999]) {
      const big = BigInt(v);
      expect(unitsToTimestamp(Number(big >> 32n), Number(big & 0xffffffffn), res)).toEqual({ sec: Number(big / 1_000_000n), nsec: Number(big % 1_000_000n) * 1000 });
    }
  });

  it('power-of-two resolution truncates the fraction to nanoseconds', () => {
    expect(unitsToTimestamp(0, 3 * 1024 + 512, resolutionFromTsresol(0x80 | 10, 0))).toEqual({ sec: 3, nsec: 500_000_000 });
    expect(unitsToTimestamp(0, 1, resolutionFromTsresol(0x80 | 30, 0))).toEqual({ sec: 0, nsec: 0 });
    expect(unitsToTimestamp(0, 3, resolutionFromTsresol(0x80 | 30, 0))).toEqual({ sec: 0, nsec: 2 });
  });

  it('adds if_tsoffset seconds', () => {
    expect(unitsToTimestamp(0, 1_500_000, resolutionFromTsresol(6, 1_700_000_000))).toEqual({ sec: 1_700_000_001, nsec: 500_000_000 });
  });
});
