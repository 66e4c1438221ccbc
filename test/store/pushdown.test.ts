import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConstraintOp, Entry, IndexConstraint, IndexedColumn } from '../../src/model/index.js';
import { EntryStore, type ListQuery } from '../../src/store/index.js';
import { makeEntries, makeEntry } from './support/entries.js';
import { columnValue, constraintMatcher, predicateMatcher, satisfies } from './support/matcher.js';

const COLUMNS: IndexedColumn[] = ['protocol', 'startedAtMs', 'statusCode', 'method', 'elapsedMs', 'srcIp', 'dstIp', 'srcPod', 'dstPod'];
const OPS: ConstraintOp[] = ['=', '<', '<=', '>', '>=', 'in'];

let store: EntryStore;
let entries: Entry[];

/** Elapsed values on and around the bucket bounds, and entries without elapsed time / status / method. */
function edgeEntries(): Entry[] {
  const elapsed = [null, 0, 0.5, 1, 1.999, 2, 4.9, 5, 10, 999.9, 1000, 1000.1, 2e7];
  return elapsed.map((ms, k) => {
    const e = makeEntry(10_000 + k);
    return { ...e, id: `edge${k}`, elapsedMs: ms, summary: { ...e.summary, statusCode: k % 2 ? null : e.summary.statusCode, method: k % 3 ? e.summary.method : null } };
  });
}

beforeAll(() => {
  store = EntryStore.open({ dir: null });
  entries = [...makeEntries(0, 400), ...edgeEntries(), ...makeEntries(400, 200)];
  for (let i = 0; i < entries.length; i += 50) store.insert(entries.slice(i, i + 50));
});
afterAll(() => store.close());

/** Every matching entry's id, newest first, read page by page. */
function listAll(query: Omit<ListQuery, 'limit' | 'before'>, limit = 37): string[] {
  const ids: string[] = [];
  let before: number | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = store.list({ ...query, limit, before });
    expect(page.complete).toBe(true);
    ids.push(...page.items.map((i) => i.id));
    if (page.before === null) return ids;
    before = page.before;
  }
  throw new Error('paging did not end');
}

function expected(constraints: IndexConstraint[]): string[] {
  return entries.filter((e) => constraints.every((c) => satisfies(e, c))).map((e) => e.id).reverse();
}

/** Values to compare a column with: ones present in the data, the empty value, and in-between ones. */
function probeValues(column: IndexedColumn): (string | number)[] {
  const present = [...new Set(entries.map((e) => columnValue(e, column)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const picks = [present[0]!, present[Math.floor(present.length / 3)]!, present[present.length - 1]!];
  if (typeof picks[0] === 'number') return [...picks, 0, 1, 2, 5, 1000, 1.5, -1];
  return [...picks, '', 'zzz'];
}

describe('pushdown of every indexed column and operator', () => {
  for (const column of COLUMNS) {
    it(`${column}: SQL gives exactly what the predicate gives, for every operator`, () => {
      const values = probeValues(column);
      for (const op of OPS) {
        for (const v of op === 'in' ? [values.slice(0, 2), values.slice(2), [values[1]!]] : values) {
          const constraints: IndexConstraint[] = [{ column, op, value: v }];
          const want = expected(constraints);
          expect(listAll({ matcher: constraintMatcher(constraints, true) }), `${column} ${op} ${JSON.stringify(v)} (exact)`).toEqual(want);
          expect(listAll({ matcher: constraintMatcher(constraints, false) }), `${column} ${op} ${JSON.stringify(v)} (predicate)`).toEqual(want);
        }
      }
    });
  }

  it('ANDs constraints of several columns, with before/after bounds', () => {
    const constraints: IndexConstraint[] = [
      { column: 'protocol', op: '=', value: 'http' },
      { column: 'statusCode', op: '>=', value: 500 },
      { column: 'elapsedMs', op: '>', value: 50 },
    ];
    expect(listAll({ matcher: constraintMatcher(constraints) }, 5)).toEqual(expected(constraints));
    const page = store.list({ matcher: constraintMatcher(constraints), limit: 1000, after: 100, before: 500 });
    const want = entries.filter((e, k) => k + 1 > 100 && k + 1 < 500 && constraints.every((c) => satisfies(e, c))).map((e) => e.id).reverse();
    expect(page.items.map((i) => i.id)).toEqual(want);
  });

  it('an exact matcher is never called; a non-exact one only for rows SQL let through', () => {
    const exact = constraintMatcher([{ column: 'protocol', op: '=', value: 'dns' }], true);
    store.list({ matcher: exact, limit: 1000 });
    expect(exact.calls).toBe(0);
    const dns = entries.filter((e) => e.protocol === 'dns').length;
    const loose = predicateMatcher(() => true, [{ column: 'protocol', op: '=', value: 'dns' }]);
    expect(store.list({ matcher: loose, limit: 1000 }).items).toHaveLength(dns);
    expect(loose.calls).toBe(dns);
  });

  it('values are bound, never spliced: quotes and SQL in values match literally', () => {
    const nasty = `' OR 1=1 --`;
    const m = constraintMatcher([{ column: 'srcIp', op: '=', value: nasty }]);
    expect(store.list({ matcher: m, limit: 10 }).items).toEqual([]);
    expect(store.list({ matcher: constraintMatcher([{ column: 'method', op: 'in', value: [nasty, 'GET'] }]), limit: 1 }).items[0]?.summary.method).toBe('GET');
  });

  it('refuses malformed constraints with E_BAD_QUERY', () => {
    const bad = [
      { column: 'nope', op: '=', value: 1 },
      { column: 'statusCode', op: '!=', value: 1 },
      { column: 'statusCode', op: 'in', value: [] },
      { column: 'statusCode', op: 'in', value: 5 },
      { column: 'statusCode', op: '=', value: Number.NaN },
      { column: 'statusCode', op: '=', value: null },
      { column: 'statusCode', op: 'in', value: Array.from({ length: 1001 }, (_, k) => k) },
    ] as unknown as IndexConstraint[];
    for (const c of bad) expect(() => store.list({ matcher: constraintMatcher([c]), limit: 1 }), JSON.stringify(c)).toThrow(expect.objectContaining({ code: 'E_BAD_QUERY' }));
  });
});
