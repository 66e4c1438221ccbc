/**
 * Parsers for the string arguments of `duration("...")` and `timestamp("...")`. They return a result
 * rather than throw; `offset` is the index into the string where the problem is, so the caller can map
 * it to a position in the filter text.
 */

export type ParseResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly offset: number; readonly message: string; readonly expected: readonly string[] };

/** Milliseconds per unit, Go `time.ParseDuration` units. */
const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};
const UNITS = ['ns', 'us', 'ms', 's', 'm', 'h'];

function fail(offset: number, message: string, expected: readonly string[]): ParseResult {
  return { ok: false, offset, message, expected };
}

/** A Go-style duration (`300ms`, `1.5h`, `1h30m`, `-5m`, `0`) in milliseconds. */
export function parseDuration(text: string): ParseResult {
  let i = 0;
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    sign = text[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (text.slice(i) === '0') return { ok: true, value: 0 };
  if (i >= text.length) return fail(i, 'empty duration', ['number with unit, e.g. "5m"']);
  let total = 0;
  while (i < text.length) {
    const num = /^(\d+(?:\.\d*)?|\.\d+)/.exec(text.slice(i));
    if (!num) return fail(i, `invalid duration ${JSON.stringify(text)}`, ['number']);
    i += num[0].length;
    const unit = /^(ns|us|µs|μs|ms|s|m|h)/.exec(text.slice(i))?.[0];
    if (!unit) return fail(i, `missing or unknown unit in duration ${JSON.stringify(text)}`, UNITS);
    total += Number(num[0]) * UNIT_MS[unit]!;
    i += unit.length;
  }
  if (!Number.isFinite(total)) return fail(0, 'duration is out of range', []);
  return { ok: true, value: sign * total };
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 timestamp (`2026-11-27T10:00:00Z`, `...10:00:00.5+01:00`) in ms since the epoch. */
export function parseTimestamp(text: string): ParseResult {
  const m = RFC3339.exec(text);
  if (!m) return fail(0, `invalid timestamp ${JSON.stringify(text)}`, ['RFC 3339 timestamp, e.g. "2026-11-27T10:00:00Z"']);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day);
  check.setUTCHours(hour, minute, second, 0);
  const base = check.getTime();
  if (month < 1 || month > 12 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return fail(0, `timestamp ${JSON.stringify(text)} is not a valid date and time`, ['RFC 3339 timestamp']);
  }
  const fraction = m[7] ? Number(m[7]) * 1000 : 0;
  return { ok: true, value: base + fraction - zoneOffsetMs(m[8]!) };
}

function zoneOffsetMs(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
}
