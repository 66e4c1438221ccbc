import { describe, expect, it } from 'vitest';
import { parseDuration, parseTimestamp } from '../../src/query/literal-parse.js';

const ms = (text: string) => {
  const r = parseDuration(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('parseDuration (Go units)', () => {
  it('reads every unit and combinations', () => {
    expect(ms('5m')).toBe(300_000);
    expect(ms('1h30m')).toBe(5_400_000);
    expect(ms('300ms')).toBe(300);
    expect(ms('1.5s')).toBe(1500);
    expect(ms('2us')).toBeCloseTo(0.002);
    expect(ms('2µs')).toBeCloseTo(0.002);
    expect(ms('10ns')).toBeCloseTo(1e-5);
    expect(ms('-5m')).toBe(-300_000);
    expect(ms('+1h')).toBe(3_600_000);
    expect(ms('0')).toBe(0);
    expect(ms('.5h')).toBe(1_800_000);
  });

  it('reports where a duration is wrong', () => {
    expect(parseDuration('5')).toMatchObject({ ok: false, offset: 1 });
    expect(parseDuration('5x')).toMatchObject({ ok: false, offset: 1 });
    expect(parseDuration('')).toMatchObject({ ok: false, offset: 0 });
    expect(parseDuration('1h x')).toMatchObject({ ok: false, offset: 2 });
    expect(parseDuration('-')).toMatchObject({ ok: false });
  });
});

describe('parseTimestamp (RFC 3339)', () => {
  it('reads UTC, offsets and fractions', () => {
    expect(parseTimestamp('2026-11-27T10:00:00Z')).toEqual({ ok: true, value: Date.parse('2026-11-27T10:00:00Z') });
    expect(parseTimestamp('2026-11-27T11:00:00+01:00')).toEqual({ ok: true, value: Date.parse('2026-11-27T10:00:00Z') });
    expect(parseTimestamp('2026-11-27t10:00:00.25z')).toEqual({ ok: true, value: Date.parse('2026-11-27T10:00:00.250Z') });
    expect(parseTimestamp('0050-01-01T00:00:00Z')).toEqual({ ok: true, value: Date.parse('0050-01-01T00:00:00Z') });
  });

  it('rejects malformed and impossible dates', () => {
    for (const t of ['2026-11-27', '2026-02-30T00:00:00Z', '2026-11-27T24:00:00Z', '2026-11-27T10:00:00', 'yesterday']) {
      expect(parseTimestamp(t).ok, t).toBe(false);
    }
  });
});
