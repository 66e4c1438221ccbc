/**
 * Direct byte-range decoders. `Buffer#toString(enc, s, e)` dispatches on the encoding and re-checks
 * bounds on every call; on the hot path the per-encoding slice methods Node's Buffer prototype carries
 * are used instead (the same natives `toString` ends in). Callers pass valid bounds.
 */

interface FastSlices {
  latin1Slice(start: number, end: number): string;
  base64Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

const proto = Buffer.prototype as unknown as Partial<FastSlices>;
const hasFast = typeof proto.latin1Slice === 'function' && typeof proto.base64Slice === 'function' && typeof proto.utf8Slice === 'function';

/** `buf[s, e)` as latin1 text (one char per byte). */
export const latin1 = hasFast
  ? (buf: Buffer, s: number, e: number): string => (buf as unknown as FastSlices).latin1Slice(s, e)
  : (buf: Buffer, s: number, e: number): string => buf.toString('latin1', s, e);

/** `buf[s, e)` as base64. */
export const base64 = hasFast
  ? (buf: Buffer, s: number, e: number): string => (buf as unknown as FastSlices).base64Slice(s, e)
  : (buf: Buffer, s: number, e: number): string => buf.toString('base64', s, e);

/** `buf[s, e)` as UTF-8 text (invalid sequences become U+FFFD). */
export const utf8 = hasFast
  ? (buf: Buffer, s: number, e: number): string => (buf as unknown as FastSlices).utf8Slice(s, e)
  : (buf: Buffer, s: number, e: number): string => buf.toString('utf8', s, e);
