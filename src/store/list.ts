/**
 * Listing entries newest first, as `EntryPage` describes (see `ListQuery` / `ListPage`).
 *
 * The cursor range (after, before) is read in windows from the newest end, each window one SQL query
 * with the matcher's constraints (so the time a window takes is bounded by its width, whatever plan
 * SQLite picks). Windows widen ×4 from `firstWindow` up to `maxWindow` cursors. The page ends when
 * `limit` items are found, the range is exhausted, or a budget runs out; then `complete` is false and
 * `before` is where the next call continues (every cursor at or above it was examined).
 * - Exact matcher (or none): SQL decides; a window asks for the missing items plus one.
 * - Otherwise window rows are parsed and tested with `matches` (list-scan.ts), at most `scanBudget` rows.
 * - Both stop starting windows after `timeBudgetMs` (a loaded machine still gets a short call).
 */
import { performance } from 'node:perf_hooks';
import { badQuery } from './errors.js';
import { ScanBudget, scanWindow } from './list-scan.js';
import type { ListLimits, PageState, WindowOutcome } from './list-types.js';
import { itemFromText } from './row.js';
import type { StatementCache } from './statements.js';
import type { ListPage, ListQuery } from './types.js';
import { buildWhere } from './where.js';

/** Rows a non-exact scan tests by default: ≈70 ms at the ≈140 rows/ms measured by `npm run bench:store`. */
export const DEFAULT_SCAN_BUDGET = 10_000;
export const MAX_LIMIT = 10_000;

/** Limits of `EntryStore.list`: windows of 20k then up to 50k cursors, 100 ms, 64 Mi JSON characters. */
export const DEFAULT_LIST_LIMITS: ListLimits = {
  firstWindow: 20_000,
  maxWindow: 50_000,
  timeBudgetMs: 100,
  textBudget: 64 * 1024 * 1024,
  now: () => performance.now(),
};

/** Answers `query` from the `entries` table within `limits`. */
export function listEntries(statements: StatementCache, query: ListQuery, limits: ListLimits = DEFAULT_LIST_LIMITS): ListPage {
  checkQuery(query);
  const { newest, oldest } = cursorRange(statements, query);
  const after = newest ?? query.after ?? null;
  if (newest === null || oldest === null) return { items: [], before: null, after, complete: true };
  const readWindow = windowReader(statements, query, limits);
  const state: PageState = { items: [], lastExamined: null };
  const deadline = limits.now() + limits.timeBudgetMs;
  let hi = newest + 1;
  for (let width = limits.firstWindow; hi > oldest; width = Math.min(width * 4, limits.maxWindow)) {
    const lo = Math.max(oldest, hi - width);
    const outcome = readWindow(lo, hi, state);
    if (outcome.kind === 'full') return { items: state.items, before: outcome.before, after, complete: true };
    if (outcome.kind === 'budget') return { items: state.items, before: state.lastExamined, after, complete: false };
    hi = lo;
    if (state.items.length === query.limit) return { items: state.items, before: hi > oldest ? state.items.at(-1)!.cursor : null, after, complete: true };
    if (hi > oldest && limits.now() > deadline) return { items: state.items, before: hi, after, complete: false };
  }
  return { items: state.items, before: null, after, complete: true };
}

function checkQuery(q: ListQuery): void {
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_LIMIT) throw badQuery(`limit must be 1..${MAX_LIMIT}, got ${q.limit}`);
  for (const [name, v] of [['before', q.before], ['after', q.after]] as const) {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw badQuery(`${name} must be a cursor (integer >= 0), got ${v}`);
  }
  if (q.scanBudget !== undefined && (!Number.isInteger(q.scanBudget) || q.scanBudget < 1)) {
    throw badQuery(`scanBudget must be an integer >= 1, got ${q.scanBudget}`);
  }
}

/** The newest and oldest stored cursors in (after, before); two b-tree edge lookups. */
function cursorRange(statements: StatementCache, q: ListQuery): { newest: number | null; oldest: number | null } {
  const bounds = buildWhere([], q);
  const edge = (fn: 'max' | 'min'): number | null =>
    (statements.get(`SELECT ${fn}(cursor) AS c FROM entries WHERE ${bounds.sql}`).get(...bounds.params) as { c: number | null }).c;
  return { newest: edge('max'), oldest: edge('min') };
}

type WindowReader = (lo: number, hi: number, state: PageState) => WindowOutcome;

/** Reads the cursors [lo, hi) of the page's range, newest first. */
function windowReader(statements: StatementCache, q: ListQuery, limits: ListLimits): WindowReader {
  const constraints = q.matcher?.constraints ?? [];
  const shape = buildWhere(constraints, { before: 0, after: 0 }).sql;
  const matcher = q.matcher;
  if (matcher !== undefined && !matcher.exact) {
    const stmt = statements.get(`SELECT cursor, item, detail FROM entries WHERE ${shape} ORDER BY cursor DESC`).raw(true);
    const budget = new ScanBudget(q.scanBudget ?? DEFAULT_SCAN_BUDGET, limits);
    return (lo, hi, state) => scanWindow(stmt, buildWhere(constraints, { before: hi, after: lo - 1 }).params, matcher, q.limit, budget, state);
  }
  const stmt = statements.get(`SELECT cursor, item FROM entries WHERE ${shape} ORDER BY cursor DESC LIMIT ?`).raw(true);
  return (lo, hi, state) => {
    const need = q.limit - state.items.length;
    const rows = stmt.all(...buildWhere(constraints, { before: hi, after: lo - 1 }).params, need + 1) as [number, string][];
    for (const [, item] of rows.slice(0, need)) state.items.push(itemFromText(item));
    return rows.length > need ? { kind: 'full', before: state.items.at(-1)!.cursor } : { kind: 'more' };
  };
}
