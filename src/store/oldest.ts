/**
 * Choosing what retention drops: the oldest rows of a table (by key, which grows with insertion time)
 * form a prefix; these helpers decide how long a prefix to drop. Pure functions.
 */

/** The head of a table in key order: key, insertion time, stored bytes. */
export interface AgedRow {
  readonly key: number;
  readonly insertedAt: number;
  readonly bytes: number;
}

/** How many leading rows were inserted before `cutoff` (ms). */
export function expiredPrefix(rows: readonly AgedRow[], cutoff: number): number {
  let n = 0;
  while (n < rows.length && rows[n]!.insertedAt < cutoff) n++;
  return n;
}

/**
 * How many leading rows to drop to free `needed` bytes, taking only rows inserted no later than
 * `notAfter` (the other table's oldest row), but always at least one row.
 */
export function sizePrefix(rows: readonly AgedRow[], needed: number, notAfter: number): number {
  let n = 0;
  let freed = 0;
  while (n < rows.length && freed < needed && (n === 0 || rows[n]!.insertedAt <= notAfter)) {
    freed += rows[n]!.bytes;
    n++;
  }
  return n;
}

/** Sum of the first `n` rows' bytes. */
export function prefixBytes(rows: readonly AgedRow[], n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += rows[i]!.bytes;
  return sum;
}
