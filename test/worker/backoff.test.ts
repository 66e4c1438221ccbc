/** Retry delays: doubling from the minimum to the maximum, jittered ±20 %, reset after a stable run. */
import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/worker/backoff.js';

describe('Backoff', () => {
  it('doubles from 1 s to 30 s without jitter at the midpoint', () => {
    const b = new Backoff({ random: () => 0.5 });
    expect(Array.from({ length: 8 }, () => b.next())).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('stays within ±20 % of the base', () => {
    const low = new Backoff({ random: () => 0 });
    const high = new Backoff({ random: () => 0.999999 });
    expect([low.next(), low.next()]).toEqual([800, 1600]);
    expect([high.next(), high.next()]).toEqual([1200, 2400]);
  });

  it('starts over after a run of a minute, not after a shorter one', () => {
    let now = 0;
    const b = new Backoff({ random: () => 0.5, now: () => now });
    b.next();
    b.next();
    b.started();
    now += 59_000;
    expect(b.next()).toBe(4000);
    b.started();
    now += 60_000;
    expect(b.next()).toBe(1000);
  });
});
