/**
 * Chunked transfer coding: the chunk-size line (`1a;ext=1`). Extensions are accepted and ignored;
 * trailer fields are parsed like header fields by the head module.
 */

/** Largest chunk size accepted (13 hex digits stay below 2^53). */
const MAX_HEX_DIGITS = 13;

/** Size from the chunk-size line `buf[s, e)` (without its line end), or -1 when it is malformed. */
export function parseChunkSize(buf: Uint8Array, s: number, e: number): number {
  let size = 0;
  let i = s;
  for (; i < e && i - s <= MAX_HEX_DIGITS; i++) {
    const d = hexValue(buf[i]!);
    if (d < 0) break;
    size = size * 16 + d;
  }
  if (i === s || i - s > MAX_HEX_DIGITS) return -1;
  while (i < e && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  return i === e || buf[i] === 0x3b ? size : -1;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}
