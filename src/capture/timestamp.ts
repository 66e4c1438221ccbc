/**
 * Exact conversion of pcapng timestamps (a 64-bit count of units, given as two 32-bit halves) to
 * `{sec, nsec}`. Units of 10^-k s with k <= 9 use Number arithmetic only (split into 16-bit steps when
 * the count exceeds 2^53, as every nanosecond timestamp of this century does); other resolutions
 * (powers of two, finer than 1 ns) fall back to BigInt. Fractions finer than 1 ns are truncated.
 */
import type { Timestamp } from '../model/index.js';

const TWO_32 = 4294967296;
const TWO_53_HI = 0x200000; // hi < 2^21 <=> hi * 2^32 + lo < 2^53

/** How an interface counts time: units per second and a seconds offset (pcapng if_tsresol, if_tsoffset). */
export interface TsResolution {
  /** Units per second when it divides 10^9 (10^k, k <= 9); 0 when `bigUnits` must be used. */
  readonly unitsPerSec: number;
  /** Nanoseconds per unit when `unitsPerSec` is set. */
  readonly nsPerUnit: number;
  /** Units per second for every other resolution. */
  readonly bigUnits: bigint;
  /** Seconds added to every timestamp (if_tsoffset). */
  readonly offsetSec: number;
}

/** Microseconds, the pcapng default. */
export const MICROSECONDS: TsResolution = resolutionFromTsresol(6, 0);

/** The resolution an if_tsresol byte denotes: 10^-v, or 2^-(v & 0x7f) when the high bit is set. */
export function resolutionFromTsresol(tsresol: number, offsetSec: number): TsResolution {
  const exp = tsresol & 0x7f;
  if ((tsresol & 0x80) === 0 && exp <= 9) {
    const unitsPerSec = 10 ** exp;
    return { unitsPerSec, nsPerUnit: 1e9 / unitsPerSec, bigUnits: BigInt(unitsPerSec), offsetSec };
  }
  const bigUnits = (tsresol & 0x80) === 0 ? 10n ** BigInt(exp) : 1n << BigInt(exp);
  return { unitsPerSec: 0, nsPerUnit: 0, bigUnits, offsetSec };
}

/** The timestamp `hi * 2^32 + lo` units after the epoch (plus the offset). */
export function unitsToTimestamp(hi: number, lo: number, res: TsResolution): Timestamp {
  const div = res.unitsPerSec;
  if (div === 0) return bigUnitsToTimestamp(hi, lo, res);
  let sec: number;
  let rem: number;
  if (hi < TWO_53_HI) {
    const v = hi * TWO_32 + lo;
    sec = Math.floor(v / div);
    rem = v - sec * div;
    if (rem < 0) {
      sec -= 1;
      rem += div;
    } else if (rem >= div) {
      sec += 1;
      rem -= div;
    }
  } else {
    // Long division in base 2^16: every intermediate stays below 2^53 because div < 2^30.
    const qa = Math.floor(hi / div);
    const x = (hi - qa * div) * 65536 + (lo >>> 16);
    const q1 = Math.floor(x / div);
    const y = (x - q1 * div) * 65536 + (lo & 0xffff);
    const q2 = Math.floor(y / div);
    sec = qa * TWO_32 + q1 * 65536 + q2;
    rem = y - q2 * div;
  }
  return { sec: sec + res.offsetSec, nsec: rem * res.nsPerUnit };
}

function bigUnitsToTimestamp(hi: number, lo: number, res: TsResolution): Timestamp {
  const v = (BigInt(hi) << 32n) | BigInt(lo);
  const units = res.bigUnits;
  const sec = Number(v / units) + res.offsetSec;
  const nsec = Number(((v % units) * 1_000_000_000n) / units);
  return { sec, nsec };
}
