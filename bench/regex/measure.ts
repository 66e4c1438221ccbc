/** Timing helpers for the regex bench: one run of `reps` calls, medians of runs, short units. */

/** Milliseconds per call of `fn`, over `reps` calls in one run. */
export function measure(reps: number, fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e6 / reps;
}

/** The median of `rounds` results of `run` (after one warm-up run). */
export function median(rounds: number, run: () => number): number {
  run();
  const xs = Array.from({ length: rounds }, run).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
}

/** A duration in milliseconds, printed in ns, µs, ms or s. */
export function fmtTime(ms: number): string {
  if (ms < 1e-3) return `${(ms * 1e6).toFixed(0)}ns`;
  if (ms < 1) return `${(ms * 1e3).toFixed(ms < 0.01 ? 2 : 1)}us`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)}ms`;
  return `${(ms / 1000).toFixed(2)}s`;
}
