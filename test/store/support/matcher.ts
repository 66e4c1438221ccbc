/**
 * Hand-written `EntryMatcher`s for store tests (the real filter language lives in src/query and is not
 * imported here): constraints evaluated in JS exactly as the pushdown contract reads entries.
 */
import type { ConstraintOp, Entry, EntryMatcher, IndexConstraint, IndexedColumn } from '../../../src/model/index.js';

/** The value of an indexed column as the contract defines it (missing → 0 / ''). */
export function columnValue(entry: Entry, column: IndexedColumn): string | number {
  switch (column) {
    case 'protocol':
      return entry.protocol;
    case 'startedAtMs':
      return entry.startedAtMs;
    case 'statusCode':
      return entry.summary.statusCode ?? 0;
    case 'method':
      return entry.summary.method ?? '';
    case 'elapsedMs':
      return entry.elapsedMs ?? 0;
    case 'srcIp':
      return entry.src.ip;
    case 'dstIp':
      return entry.dst.ip;
    case 'srcPod':
      return entry.src.pod?.uid ?? '';
    case 'dstPod':
      return entry.dst.pod?.uid ?? '';
  }
}

function compare(a: string | number, op: Exclude<ConstraintOp, 'in'>, b: string | number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** Whether `entry` satisfies one constraint. */
export function satisfies(entry: Entry, c: IndexConstraint): boolean {
  const v = columnValue(entry, c.column);
  if (c.op === 'in') return (c.value as readonly (string | number)[]).includes(v);
  return compare(v, c.op, c.value as string | number);
}

/** A matcher whose constraints decide (exact) or that also runs them in JS (`exact: false`). */
export function constraintMatcher(constraints: IndexConstraint[], exact = true): EntryMatcher & { calls: number } {
  const m = {
    text: JSON.stringify(constraints),
    constraints,
    exact,
    calls: 0,
    matches(entry: Entry): boolean {
      m.calls++;
      return constraints.every((c) => satisfies(entry, c));
    },
  };
  return m;
}

/** A non-exact matcher: `constraints` narrow in SQL, `predicate` decides. */
export function predicateMatcher(predicate: (e: Entry) => boolean, constraints: IndexConstraint[] = []): EntryMatcher & { calls: number } {
  const m = {
    text: 'predicate',
    constraints,
    exact: false,
    calls: 0,
    matches(entry: Entry): boolean {
      m.calls++;
      return constraints.every((c) => satisfies(entry, c)) && predicate(entry);
    },
  };
  return m;
}
