/**
 * Delimiter search across a chunk boundary: the start of a token is held (copied) from earlier chunks,
 * the rest arrives in a new chunk. Contract: `held[0, heldLen)` contains no complete delimiter (the
 * caller searched it already), so an occurrence either straddles the boundary or lies in `view`.
 */

/**
 * End index in `view` (exclusive) of the first `delim` in `held[0, heldLen) ++ view[from, view.length)`,
 * or -1 when there is none yet.
 */
export function delimiterEndAcross(held: Uint8Array, heldLen: number, view: Buffer, from: number, delim: Buffer): number {
  const d = delim.length;
  // The earliest straddling occurrence starts furthest back in `held`.
  for (let k = Math.min(d - 1, heldLen); k >= 1; k--) {
    if (straddles(held, heldLen, view, from, delim, k)) return from + d - k;
  }
  const at = view.indexOf(delim, from);
  return at < 0 ? -1 : at + d;
}

/** True when the last `k` held bytes and the first `d - k` view bytes from `from` spell `delim`. */
function straddles(held: Uint8Array, heldLen: number, view: Buffer, from: number, delim: Buffer, k: number): boolean {
  const d = delim.length;
  if (view.length - from < d - k) return false;
  for (let j = 0; j < k; j++) if (held[heldLen - k + j] !== delim[j]) return false;
  for (let j = k; j < d; j++) if (view[from + j - k] !== delim[j]) return false;
  return true;
}
