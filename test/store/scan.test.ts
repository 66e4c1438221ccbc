import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../src/model/index.js';
import { EntryStore, type ListPage } from '../../src/store/index.js';
import { makeEntries } from './support/entries.js';
import { predicateMatcher } from './support/matcher.js';

let store: EntryStore;
let entries: Entry[];

beforeAll(() => {
  store = EntryStore.open({ dir: null });
  entries = makeEntries(0, 1000);
  store.insert(entries);
});
afterAll(() => store.close());

/** Entries whose response body mentions item-7: only the predicate can tell. */
const rare = (e: Entry): boolean => e.protocol === 'http' && (e.response?.body?.decoded ?? '').includes('"item-7"');

describe('non-exact matchers under a scan budget', () => {
  it('stops after scanBudget rows with complete:false and before = the last row tested', () => {
    const m = predicateMatcher(rare);
    const page = store.list({ matcher: m, limit: 100, scanBudget: 50 });
    expect(m.calls).toBe(50);
    expect(page.complete).toBe(false);
    expect(page.before).toBe(1000 - 49);
    expect(page.after).toBe(1000);
    const want = entries.slice(-50).filter(rare).map((e) => e.id).reverse();
    expect(page.items.map((i) => i.id)).toEqual(want);
  });

  it('continuing with before visits every row once and finds every match, newest first', () => {
    const found: string[] = [];
    let page: ListPage | undefined;
    let calls = 0;
    for (let rounds = 0; rounds < 100; rounds++) {
      const m = predicateMatcher(rare);
      page = store.list({ matcher: m, limit: 3, scanBudget: 70, before: page?.before ?? undefined });
      calls += m.calls;
      found.push(...page.items.map((i) => i.id));
      if (page.before === null) break;
    }
    expect(page?.before).toBeNull();
    expect(page?.complete).toBe(true);
    expect(calls).toBe(1000);
    expect(found.length).toBeGreaterThan(3);
    expect(found).toEqual(entries.filter(rare).map((e) => e.id).reverse());
  });

  it('stops as soon as limit matches are found, and says whether older rows remain', () => {
    const m = predicateMatcher(() => true);
    const page = store.list({ matcher: m, limit: 10 });
    expect(m.calls).toBe(10);
    expect(page).toMatchObject({ before: 991, complete: true });
    const last = store.list({ matcher: predicateMatcher(() => true), limit: 10, before: 11 });
    expect(last.items.map((i) => i.cursor)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(last.before).toBeNull();
  });

  it('gives the predicate the whole entry, and treats a throwing predicate as no match', () => {
    const seen: Entry[] = [];
    store.list({ matcher: predicateMatcher((e) => (seen.push(e), true)), limit: 3 });
    expect(seen).toEqual(entries.slice(-3).reverse());
    const boom = predicateMatcher(() => {
      throw new Error('boom');
    });
    expect(store.list({ matcher: boom, limit: 5, scanBudget: 20 })).toMatchObject({ items: [], complete: false });
  });

  it('constraints narrow in SQL before the budget counts', () => {
    const dnsOnly = predicateMatcher(() => true, [{ column: 'protocol', op: '=', value: 'dns' }]);
    const page = store.list({ matcher: dnsOnly, limit: 1000, scanBudget: 1000 });
    expect(page.items.every((i) => i.protocol === 'dns')).toBe(true);
    expect(dnsOnly.calls).toBe(page.items.length);
    expect(page.complete).toBe(true);
  });
});
