import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry, EntryMatcher, IndexConstraint } from '../../src/model/index.js';
import { Counters } from '../../src/store/counters.js';
import { EntryTable } from '../../src/store/entry-table.js';
import { listEntries } from '../../src/store/list.js';
import type { ListLimits } from '../../src/store/list-types.js';
import { closeDatabase, openDatabase, type OpenedDb } from '../../src/store/open-db.js';
import { StatementCache } from '../../src/store/statements.js';
import type { ListPage, ListQuery } from '../../src/store/types.js';
import { makeEntries } from './support/entries.js';
import { constraintMatcher, predicateMatcher, satisfies } from './support/matcher.js';

let file: OpenedDb;
let statements: StatementCache;
let entries: Entry[];

beforeAll(() => {
  file = openDatabase(null);
  const table = new EntryTable(file.db, new Counters(file.db), () => 0);
  entries = makeEntries(0, 500);
  file.db.transaction(() => table.insert(entries))();
  statements = new StatementCache(file.db);
});
afterAll(() => closeDatabase(file));

const tiny = (now: () => number = () => 0): ListLimits => ({ firstWindow: 7, maxWindow: 30, timeBudgetMs: 100, textBudget: 1e9, now });

/** Pages through the whole range, returning ids and the pages' `complete` flags. */
function pageAll(query: Omit<ListQuery, 'before'>, limits: ListLimits): { ids: string[]; pages: ListPage[] } {
  const ids: string[] = [];
  const pages: ListPage[] = [];
  let before: number | undefined;
  for (let n = 0; n < 10_000; n++) {
    const page = listEntries(statements, { ...query, before }, limits);
    pages.push(page);
    ids.push(...page.items.map((i) => i.id));
    if (page.before === null) return { ids, pages };
    expect(page.before).toBeLessThan(before ?? Infinity);
    before = page.before;
  }
  throw new Error('paging did not end');
}

const want = (cs: IndexConstraint[], after = 0): string[] =>
  entries.filter((e, k) => k + 1 > after && cs.every((c) => satisfies(e, c))).map((e) => e.id).reverse();

const FILTERS: IndexConstraint[][] = [
  [],
  [{ column: 'statusCode', op: '>=', value: 500 }],
  [{ column: 'protocol', op: '=', value: 'dns' }, { column: 'elapsedMs', op: '>', value: 400 }],
  [{ column: 'statusCode', op: '=', value: 599 }],
];

describe('list in cursor windows', () => {
  it('small windows give the same pages as the contract says, exact and not', () => {
    for (const cs of FILTERS) {
      for (const matcher of [constraintMatcher(cs, true), constraintMatcher(cs, false)] as EntryMatcher[]) {
        for (const limit of [1, 3, 50]) {
          const { ids, pages } = pageAll({ matcher, limit }, tiny());
          expect(ids, JSON.stringify(cs)).toEqual(want(cs));
          expect(pages.every((p) => p.complete)).toBe(true);
          expect(pageAll({ matcher, limit, after: 123 }, tiny()).ids).toEqual(want(cs, 123));
        }
      }
    }
  });

  it('when time runs out, the page is incomplete, before continues, and nothing is skipped', () => {
    let t = 0;
    const slow = tiny(() => (t += 60)); // every look at the clock costs 60 ms
    for (const cs of FILTERS) {
      for (const matcher of [constraintMatcher(cs, true), predicateMatcher(() => true, cs)]) {
        const { ids, pages } = pageAll({ matcher, limit: 50 }, slow);
        expect(ids).toEqual(want(cs));
        if (cs.length > 0) expect(pages.some((p) => !p.complete)).toBe(true);
      }
    }
  });

  it('a rare exact filter over many windows stays one call when time allows', () => {
    const page = listEntries(statements, { matcher: constraintMatcher(FILTERS[3]!), limit: 10 }, tiny());
    expect(page).toEqual({ items: [], before: null, after: 500, complete: true });
  });
});
