/**
 * Elapsed-time buckets: `elapsed_ms` takes nearly unique values, so an index on it puts each insert at
 * a random leaf (the costliest index to maintain, measured by `npm run bench:store`). The store indexes
 * a coarse 1-2-5 bucket instead, which is monotonic (a ≤ b ⇒ bucket(a) ≤ bucket(b)), so any comparison
 * on `elapsed_ms` implies one on the bucket that the index can answer; the exact test runs on the row.
 */

/** Bucket lower bounds in ms: 0, then 1-2-5 steps up to 10^7 ms. */
const BOUNDS: readonly number[] = (() => {
  const out = [0];
  for (let decade = 1; decade <= 1e7; decade *= 10) out.push(decade, 2 * decade, 5 * decade);
  return out;
})();

/** The bucket of `ms`: how many bounds lie at or below it (0 for negative or NaN). */
export function elapsedBucket(ms: number): number {
  let lo = 0;
  let hi = BOUNDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (BOUNDS[mid]! <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
