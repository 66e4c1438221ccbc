/** Index constraints: what each conjunct yields, and soundness as a property over random filters and entries. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entry, IndexConstraint, IndexedColumn } from '../../src/model/index.js';
import { compileFilter, MATCH_ALL } from '../../src/query/index.js';
import { httpPost500, NOW } from './fixtures.js';

const pushed = (text: string) => {
  const f = compileFilter(text, { now: () => NOW });
  return { constraints: f.constraints, exact: f.exact };
};

describe('extracted constraints', () => {
  it.each<[string, IndexConstraint[], boolean]>([
    ['http', [{ column: 'protocol', op: '=', value: 'http' }], true],
    ['protocol == "dns"', [{ column: 'protocol', op: '=', value: 'dns' }], true],
    ['status_code >= 500', [{ column: 'statusCode', op: '>=', value: 500 }], true],
    ['500 <= status_code', [{ column: 'statusCode', op: '>=', value: 500 }], true],
    ['method == "POST"', [{ column: 'method', op: '=', value: 'POST' }], true],
    ['method in ["GET", "POST", "GET"]', [{ column: 'method', op: 'in', value: ['GET', 'POST'] }], true],
    ['elapsed_ms > 200', [{ column: 'elapsedMs', op: '>', value: 200 }], true],
    ['elapsed_ms > 100 + 100', [{ column: 'elapsedMs', op: '>', value: 200 }], true],
    ['src.ip == "10.0.0.1"', [{ column: 'srcIp', op: '=', value: '10.0.0.1' }], true],
    ['dst.ip == "10.0.0.2"', [{ column: 'dstIp', op: '=', value: '10.0.0.2' }], true],
    ['dst.pod.uid == "u1"', [{ column: 'dstPod', op: '=', value: 'u1' }], true],
    ['src.pod.uid in ["u1"]', [{ column: 'srcPod', op: 'in', value: ['u1'] }], true],
    ['timestamp > now() - duration("5m")', [{ column: 'startedAtMs', op: '>', value: NOW - 300_000 }], false],
    ['now() - duration("5m") <= timestamp', [{ column: 'startedAtMs', op: '>=', value: NOW - 300_000 }], false],
    ['timestamp >= timestamp("2026-11-27T10:00:00Z")', [{ column: 'startedAtMs', op: '>=', value: NOW }], true],
    ['timestamp < timestamp("2026-11-27T10:00:00Z") - duration("1s")', [{ column: 'startedAtMs', op: '<', value: NOW - 1000 }], true],
    [
      'http && method == "POST" && status_code >= 500',
      [
        { column: 'protocol', op: '=', value: 'http' },
        { column: 'method', op: '=', value: 'POST' },
        { column: 'statusCode', op: '>=', value: 500 },
      ],
      true,
    ],
    ['(http && dns) && true', [{ column: 'protocol', op: '=', value: 'http' }, { column: 'protocol', op: '=', value: 'dns' }], true],
  ])('%s', (text, constraints, exact) => {
    expect(pushed(text)).toEqual({ constraints, exact });
  });

  it.each([
    'http || dns',
    '!http',
    '!(status_code >= 500)',
    'status_code != 500',
    'method < "P"',
    'timestamp < now() - duration("5m")',
    'timestamp == now()',
    'now() - timestamp < duration("5m") || false',
    'elapsed_ms > status_code',
    'method in []',
    'tcp',
    'path == "/x"',
    'false',
  ])('%s yields nothing it cannot prove', (text) => {
    const p = pushed(text);
    expect(p.constraints).toEqual([]);
    expect(p.exact).toBe(false);
  });

  it('keeps the provable part of a mixed conjunction and marks it inexact', () => {
    expect(pushed('dns && (status_code == 1 || path == "/") && path.startsWith("/")')).toEqual({
      constraints: [{ column: 'protocol', op: '=', value: 'dns' }],
      exact: false,
    });
  });

  it('MATCH_ALL and blank filters are exact with no constraints', () => {
    expect(MATCH_ALL).toMatchObject({ text: '', constraints: [], exact: true });
    expect(MATCH_ALL.matches(httpPost500)).toBe(true);
    expect(compileFilter('')).toBe(MATCH_ALL);
    expect(compileFilter('  ')).toMatchObject({ text: '  ', constraints: [], exact: true });
    expect(pushed('true')).toEqual({ constraints: [], exact: true });
  });
});

// ---- soundness property --------------------------------------------------------------------------

/** A column's value as the store keeps it: missing values are the empty value. */
function columnValue(e: Entry, column: IndexedColumn): string | number {
  switch (column) {
    case 'protocol':
      return e.protocol;
    case 'startedAtMs':
      return e.startedAtMs;
    case 'statusCode':
      return e.summary.statusCode ?? 0;
    case 'method':
      return e.summary.method ?? '';
    case 'elapsedMs':
      return e.elapsedMs ?? 0;
    case 'srcIp':
      return e.src.ip;
    case 'dstIp':
      return e.dst.ip;
    case 'srcPod':
      return e.src.pod?.uid ?? '';
    case 'dstPod':
      return e.dst.pod?.uid ?? '';
  }
}

function holds(e: Entry, c: IndexConstraint): boolean {
  // Only numeric columns are ordered (asserted below); strings compare with = and in.
  const v = columnValue(e, c.column) as number;
  const w = c.value;
  switch (c.op) {
    case '=':
      return columnValue(e, c.column) === w;
    case 'in':
      return (w as readonly (string | number)[]).includes(columnValue(e, c.column));
    case '<':
      return v < (w as number);
    case '<=':
      return v <= (w as number);
    case '>':
      return v > (w as number);
    case '>=':
      return v >= (w as number);
  }
}

const num = fc.constantFrom(0, 1, 200, 404, 500, 250.5);
const cmp = fc.constantFrom('==', '!=', '<', '<=', '>', '>=');
const str = (...xs: string[]) => fc.constantFrom(...xs.map((x) => JSON.stringify(x)));
const minutes = fc.integer({ min: 0, max: 20 });

const atom: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('http', 'dns', 'tcp', 'true', 'false', 'path.startsWith("/api")'),
  fc.tuple(str('http', 'dns', 'redis'), fc.boolean()).map(([v, flip]) => (flip ? `${v} == protocol` : `protocol == ${v}`)),
  fc.tuple(fc.constantFrom('status_code', 'elapsed_ms'), cmp, num, fc.boolean()).map(([f, op, n, flip]) => (flip ? `${n} ${op} ${f}` : `${f} ${op} ${n}`)),
  fc.tuple(fc.constantFrom('method', 'src.ip', 'dst.ip', 'src.pod.uid', 'dst.pod.uid'), fc.constantFrom('==', '!='), str('GET', 'POST', '', '10.0.0.1', 'u1')).map(([f, op, v]) => `${f} ${op} ${v}`),
  fc.tuple(fc.constantFrom('method', 'status_code'), fc.boolean()).map(([f, empty]) => (empty ? `${f} in []` : f === 'method' ? 'method in ["GET", ""]' : 'status_code in [0, 500]')),
  fc.tuple(cmp, minutes, fc.boolean()).map(([op, m, flip]) => (flip ? `now() - duration("${m}m") ${op} timestamp` : `timestamp ${op} now() - duration("${m}m")`)),
  fc.tuple(cmp, minutes).map(([op, m]) => `now() - timestamp ${op} duration("${m}m")`),
  fc.tuple(cmp, minutes).map(([op, m]) => `timestamp ${op} timestamp("2026-11-27T10:00:00Z") - duration("${m}m")`),
  fc.constant('elapsed_ms > status_code'),
);

const filter: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(tie('f'), tie('f')).map(([a, b]) => `(${a}) && (${b})`),
    fc.tuple(tie('f'), tie('f')).map(([a, b]) => `${a} && ${b}`),
    fc.tuple(tie('f'), tie('f')).map(([a, b]) => `(${a} || ${b})`),
    tie('f').map((a) => `!(${a})`),
  ),
})).f;

const entry: fc.Arbitrary<Entry> = fc
  .record({
    protocol: fc.constantFrom('http', 'dns'),
    statusCode: fc.option(fc.constantFrom(200, 404, 500, 503), { nil: null }),
    method: fc.option(fc.constantFrom('GET', 'POST', 'QUERY', ''), { nil: null }),
    elapsedMs: fc.option(fc.constantFrom(0, 1, 200, 250.5, 300), { nil: null }),
    ageMs: fc.integer({ min: -60_000, max: 30 * 60_000 }),
    srcIp: fc.constantFrom('10.0.0.1', '10.0.0.2'),
    srcPod: fc.option(fc.constantFrom('u1', 'u2'), { nil: null }),
    dstPod: fc.option(fc.constantFrom('u1', ''), { nil: null }),
  })
  .map(
    (r): Entry =>
      ({
        ...httpPost500,
        protocol: r.protocol,
        startedAtMs: NOW - r.ageMs,
        elapsedMs: r.elapsedMs,
        summary: { method: r.method, target: null, statusCode: r.statusCode, status: null },
        src: { ...httpPost500.src, ip: r.srcIp, pod: r.srcPod === null ? null : { uid: r.srcPod } },
        dst: { ...httpPost500.dst, pod: r.dstPod === null ? null : { uid: r.dstPod } },
      }) as Entry,
  );

describe('pushdown soundness (property)', () => {
  it('every entry a filter matches satisfies every constraint, also as the clock moves on', () => {
    let checked = 0;
    let snapshots = 0;
    fc.assert(
      fc.property(filter, fc.array(entry, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 600_000 }), (text, entries, later) => {
        let clock = NOW;
        const f = compileFilter(text, { now: () => clock });
        clock = NOW + later;
        for (const c of f.constraints) {
          if (typeof columnValue(entries[0]!, c.column) === 'string') expect(['=', 'in']).toContain(c.op);
        }
        for (const e of entries) {
          if (!f.matches(e)) continue;
          for (const c of f.constraints) expect(holds(e, c), `${text} / ${JSON.stringify(c)}`).toBe(true);
          checked += f.constraints.length;
          if (f.usesClock && f.constraints.some((c) => c.column === 'startedAtMs')) snapshots++;
        }
      }),
      { numRuns: 3000 },
    );
    // The property is not vacuous: many matched entries had constraints to check, clock snapshots included.
    expect(checked).toBeGreaterThan(300);
    expect(snapshots).toBeGreaterThan(20);
  });

  it('an exact filter matches exactly the entries that satisfy its constraints', () => {
    fc.assert(
      fc.property(filter, fc.array(entry, { minLength: 1, maxLength: 8 }), (text, entries) => {
        const f = compileFilter(text, { now: () => NOW });
        if (!f.exact) return;
        for (const e of entries) expect(f.matches(e), text).toBe(f.constraints.every((c) => holds(e, c)));
      }),
      { numRuns: 3000 },
    );
  });
});
