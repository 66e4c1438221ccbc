/**
 * Retry delays that double from `minMs` to `maxMs` with ±20 % jitter (so many workers that lost the
 * same thing do not retry in step), back to `minMs` once what was retried has run for `stableMs`.
 * Pure apart from the random source and clock it is given.
 */
export interface BackoffOptions {
  readonly minMs?: number;
  readonly maxMs?: number;
  /** A run this long resets the delays. */
  readonly stableMs?: number;
  readonly random?: () => number;
  readonly now?: () => number;
}

export class Backoff {
  private attempt = 0;
  private startedAt: number | null = null;
  private readonly minMs: number;
  private readonly maxMs: number;
  private readonly stableMs: number;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(options: BackoffOptions = {}) {
    this.minMs = options.minMs ?? 1000;
    this.maxMs = options.maxMs ?? 30_000;
    this.stableMs = options.stableMs ?? 60_000;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** What was retried is running again. */
  started(): void {
    this.startedAt = this.now();
  }

  /** It failed: the delay before the next attempt. */
  next(): number {
    if (this.startedAt !== null && this.now() - this.startedAt >= this.stableMs) this.attempt = 0;
    this.startedAt = null;
    const base = Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(base * (0.8 + this.random() * 0.4));
  }
}
