/**
 * Capture time. The core (decode, reassembly, protocols, correlate) never reads a clock: every time it
 * uses is the capture timestamp of a frame, so replaying a capture gives identical output.
 */

/** Seconds and nanoseconds since the Unix epoch, as recorded by the capture. Immutable. */
export interface Timestamp {
  readonly sec: number;
  readonly nsec: number;
}

/** Milliseconds since the epoch (fractional; exact to about a microsecond). */
export function tsToMs(t: Timestamp): number {
  return t.sec * 1000 + t.nsec / 1e6;
}

/** Milliseconds from `from` to `to` (negative when `to` is earlier). */
export function tsDiffMs(from: Timestamp, to: Timestamp): number {
  return (to.sec - from.sec) * 1000 + (to.nsec - from.nsec) / 1e6;
}

/** Orders timestamps: negative when a < b, 0 when equal, positive when a > b. */
export function compareTs(a: Timestamp, b: Timestamp): number {
  return a.sec !== b.sec ? a.sec - b.sec : a.nsec - b.nsec;
}

let isoSecond = NaN;
let isoPrefix = '';

/** RFC 3339 in UTC with nanoseconds, e.g. `2026-11-27T14:00:00.123456789Z`. */
export function tsToIso(t: Timestamp): string {
  // Captures come in time order: formatting the date once per second saves a Date per entry.
  if (t.sec !== isoSecond) {
    isoSecond = t.sec;
    isoPrefix = new Date(t.sec * 1000).toISOString().slice(0, 19); // ...T14:00:00
  }
  return `${isoPrefix}.${String(t.nsec).padStart(9, '0')}Z`;
}

/** A timestamp from milliseconds since the epoch (for tests and synthetic captures). */
export function tsFromMs(ms: number): Timestamp {
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.round((ms - sec * 1000) * 1e6) };
}
