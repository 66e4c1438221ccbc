/**
 * Small helpers the benchmarks share to summarise samples and print figures against a goal. A goal line
 * says PASS or MISS; benchmarks are not tests and never fail on a MISS.
 */

/** The `p`th percentile (0-100) of `samples`, nearest rank; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** `ms` as text: whole milliseconds below 10 s, else seconds with two decimals. */
export function formatMs(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** `PASS` when `value` is at most `goal`, else `MISS`. */
export function verdict(value: number, goal: number): 'PASS' | 'MISS' {
  return value <= goal ? 'PASS' : 'MISS';
}

/** One printed line: a label, a figure, the goal and the verdict. */
export function goalLine(label: string, figure: string, value: number, goal: number): string {
  return `  ${label.padEnd(50)} ${figure.padEnd(34)} goal ≤ ${formatMs(goal).padEnd(8)} ${verdict(value, goal)}`;
}
