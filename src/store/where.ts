/**
 * Pushdown: `IndexConstraint`s (ANDed) and cursor bounds become one parameterized SQL condition. Values
 * are always bound parameters, never spliced into the text, so the text depends only on the shape of
 * the filter (columns, operators, `in` sizes) and its prepared statement can be cached. A numeric
 * `elapsedMs` comparison also constrains `elapsed_bucket`, the indexed stand-in (elapsed-bucket.ts).
 */
import type { ConstraintOp, IndexConstraint, IndexedColumn } from '../model/index.js';
import { elapsedBucket } from './elapsed-bucket.js';
import { badQuery } from './errors.js';

/** A SQL condition (never empty: `1` matches all) and its parameters in order. */
export interface SqlWhere {
  readonly sql: string;
  readonly params: (string | number)[];
}

/** Largest `in` list pushed down (SQLite binds at most 32766 parameters per statement). */
export const MAX_IN_VALUES = 1000;

const COLUMNS: Readonly<Record<IndexedColumn, string>> = {
  protocol: 'protocol',
  startedAtMs: 'started_at_ms',
  statusCode: 'status_code',
  method: 'method',
  elapsedMs: 'elapsed_ms',
  srcIp: 'src_ip',
  dstIp: 'dst_ip',
  srcPod: 'src_pod',
  dstPod: 'dst_pod',
};

const OPERATORS: Readonly<Record<Exclude<ConstraintOp, 'in'>, string>> = {
  '=': '=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** The bucket comparison implied by an `elapsed_ms` comparison (buckets are monotonic). */
const BUCKET_OPERATORS: Readonly<Record<Exclude<ConstraintOp, 'in'>, string>> = {
  '=': '=',
  '<': '<=',
  '<=': '<=',
  '>': '>=',
  '>=': '>=',
};

/** Cursor range of a page: `before` and `after` are exclusive. */
export interface CursorBounds {
  readonly before?: number | undefined;
  readonly after?: number | undefined;
}

/** The condition for `constraints` within `bounds`; throws E_BAD_QUERY on a malformed constraint. */
export function buildWhere(constraints: readonly IndexConstraint[], bounds: CursorBounds): SqlWhere {
  const terms: string[] = [];
  const params: (string | number)[] = [];
  for (const c of constraints) terms.push(term(c, params));
  if (bounds.before !== undefined) {
    terms.push('cursor < ?');
    params.push(bounds.before);
  }
  if (bounds.after !== undefined) {
    terms.push('cursor > ?');
    params.push(bounds.after);
  }
  return { sql: terms.length === 0 ? '1' : terms.join(' AND '), params };
}

function term(c: IndexConstraint, params: (string | number)[]): string {
  if (!Object.hasOwn(COLUMNS, c.column)) throw badQuery(`unknown indexed column ${JSON.stringify(c.column)}`);
  const column = COLUMNS[c.column];
  if (c.op === 'in') {
    const values = inValues(c);
    const sql = `${column} IN (${values.map(() => '?').join(', ')})`;
    if (c.column !== 'elapsedMs' || values.some((v) => typeof v !== 'number')) {
      params.push(...values);
      return sql;
    }
    const buckets = [...new Set(values.map((v) => elapsedBucket(v as number)))];
    params.push(...buckets, ...values);
    return `elapsed_bucket IN (${buckets.map(() => '?').join(', ')}) AND ${sql}`;
  }
  if (!Object.hasOwn(OPERATORS, c.op)) throw badQuery(`unknown operator ${JSON.stringify(c.op)} on ${c.column}`);
  const value = scalar(c.column, c.value);
  const sql = `${column} ${OPERATORS[c.op]} ?`;
  if (c.column !== 'elapsedMs' || typeof value !== 'number') {
    params.push(value);
    return sql;
  }
  params.push(elapsedBucket(value), value);
  return `elapsed_bucket ${BUCKET_OPERATORS[c.op]} ? AND ${sql}`;
}

function inValues(c: IndexConstraint): (string | number)[] {
  const values = c.value;
  if (!Array.isArray(values) || values.length === 0 || values.length > MAX_IN_VALUES) {
    throw badQuery(`${c.column} in: wants a list of 1 to ${MAX_IN_VALUES} values`);
  }
  return (values as readonly unknown[]).map((v) => scalar(c.column, v));
}

function scalar(column: IndexedColumn, v: unknown): string | number {
  if (typeof v === 'string' || (typeof v === 'number' && !Number.isNaN(v))) return v;
  throw badQuery(`${column}: a value must be a string or a number, got ${JSON.stringify(v) ?? typeof v}`);
}
