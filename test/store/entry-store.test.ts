import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Entry, HttpEntry } from '../../src/model/index.js';
import { EntryStore, STORE_FILE } from '../../src/store/index.js';
import { toEntryListItem } from '../../src/model/index.js';
import { makeEntries, makeEntry } from './support/entries.js';
import { cleanupTempDirs, tempDir } from './support/tmp.js';

const open: EntryStore[] = [];
function openStore(dir: string | null = null, extra: Partial<Parameters<typeof EntryStore.open>[0]> = {}): EntryStore {
  const store = EntryStore.open({ dir, ...extra });
  open.push(store);
  return store;
}

afterEach(() => {
  for (const s of open.splice(0)) s.close();
  cleanupTempDirs();
});

describe('EntryStore insert / get', () => {
  it('returns growing cursors and gives back equal entries by id and by cursor', () => {
    const store = openStore();
    const entries = makeEntries(0, 10);
    const cursors = store.insert(entries);
    expect(cursors).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(store.insert(makeEntries(10, 2))).toEqual([11, 12]);
    for (const [k, e] of entries.entries()) {
      expect(store.get(e.id)).toEqual({ cursor: cursors[k], entry: e });
      expect(store.getByCursor(cursors[k]!)).toEqual({ cursor: cursors[k], entry: e });
    }
    expect(store.get('nope')).toBeNull();
    expect(store.getByCursor(999)).toBeNull();
    expect(store.insert([])).toEqual([]);
  });

  it('keeps bodies and every field, including null details and anomalies', () => {
    const store = openStore();
    const e = makeEntry(3) as HttpEntry;
    const big: Entry = {
      ...e,
      anomalies: [{ code: 'body-capped', detail: 'kept 65536 of 70000 bytes' }],
      response: e.response && { ...e.response, body: { ...e.response.body!, decoded: 'x'.repeat(65536), size: 70000, truncated: true } },
    };
    const bare: Entry = { ...e, id: 'bare', request: null, response: null, elapsedMs: null, summary: { method: null, target: null, statusCode: null, status: null } };
    store.insert([big, bare]);
    expect(store.get(big.id)?.entry).toEqual(big);
    expect(store.get('bare')?.entry).toEqual(bare);
  });

  it('a repeated id replaces the stored entry, which gets a new cursor', () => {
    const store = openStore();
    store.insert(makeEntries(0, 3));
    const again = { ...makeEntry(1), startedAt: 'changed' } as Entry;
    expect(store.insert([again])).toEqual([4]);
    expect(store.get('e1')).toEqual({ cursor: 4, entry: again });
    expect(store.getByCursor(2)).toBeNull();
    expect(store.stats().entries).toBe(3);
  });

  it('update replaces the entry and keeps its cursor; null for an unknown id', () => {
    const store = openStore();
    store.insert(makeEntries(0, 3));
    const before = store.stats().bytes;
    const resolved: Entry = { ...makeEntry(1), src: { ...makeEntry(1).src, pod: { uid: 'new-pod' }, resolution: 'resolved' } };
    expect(store.update(resolved)).toBe(2);
    expect(store.get('e1')).toEqual({ cursor: 2, entry: resolved });
    expect(store.list({ limit: 10, matcher: undefined }).items.find((i) => i.id === 'e1')).toEqual(toEntryListItem(resolved, 2));
    expect(store.stats().bytes).not.toBe(before);
    expect(store.update({ ...makeEntry(99) })).toBeNull();
  });
});

describe('EntryStore list paging', () => {
  it('pages newest first with before, and polls with after', () => {
    const store = openStore();
    store.insert(makeEntries(0, 25));
    const p1 = store.list({ limit: 10 });
    expect(p1.items.map((i) => i.cursor)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    expect(p1).toMatchObject({ before: 16, after: 25, complete: true });
    const p2 = store.list({ limit: 10, before: p1.before! });
    expect(p2.items.map((i) => i.cursor)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    expect(p2.before).toBe(6);
    const p3 = store.list({ limit: 10, before: p2.before! });
    expect(p3.items.map((i) => i.cursor)).toEqual([5, 4, 3, 2, 1]);
    expect(p3.before).toBeNull();

    expect(store.list({ limit: 10, after: 25 })).toEqual({ items: [], before: null, after: 25, complete: true });
    store.insert(makeEntries(25, 3));
    const poll = store.list({ limit: 2, after: 25 });
    expect(poll.items.map((i) => i.cursor)).toEqual([28, 27]);
    expect(poll).toMatchObject({ before: 27, after: 28 });
    // The gap between the poll page and the last seen cursor is filled with before + after.
    expect(store.list({ limit: 10, after: 25, before: 27 }).items.map((i) => i.cursor)).toEqual([26]);
  });

  it('returns list items equal to toEntryListItem of the stored entries', () => {
    const store = openStore();
    const entries = makeEntries(100, 5);
    const cursors = store.insert(entries);
    const items = store.list({ limit: 5 }).items;
    expect(items).toEqual(entries.map((e, k) => toEntryListItem(e, cursors[k]!)).reverse());
  });

  it('an empty store gives an empty complete page', () => {
    const store = openStore();
    expect(store.list({ limit: 5 })).toEqual({ items: [], before: null, after: null, complete: true });
  });

  it('refuses malformed requests with E_BAD_QUERY', () => {
    const store = openStore();
    for (const q of [{ limit: 0 }, { limit: 1.5 }, { limit: 10_001 }, { limit: 5, before: -1 }, { limit: 5, after: 0.5 }, { limit: 5, scanBudget: 0 }]) {
      expect(() => store.list(q)).toThrow(expect.objectContaining({ code: 'E_BAD_QUERY' }));
    }
  });
});

describe('EntryStore lifecycle', () => {
  it('reopening continues cursors, totals and contents; close is idempotent', () => {
    const dir = tempDir();
    const a = EntryStore.open({ dir });
    a.insert(makeEntries(0, 5));
    const stats = a.stats();
    a.close();
    a.close();
    expect(() => a.list({ limit: 1 })).toThrow(expect.objectContaining({ code: 'E_STORE_OPEN' }));
    expect(() => a.insert(makeEntries(5, 1))).toThrow(expect.objectContaining({ code: 'E_STORE_OPEN' }));
    const b = openStore(dir);
    expect(b.stats()).toEqual(stats);
    expect(b.insert(makeEntries(5, 2))).toEqual([6, 7]);
    expect(b.get('e0')?.entry).toEqual(makeEntry(0));
  });

  it('cursors keep growing after retention emptied the store', () => {
    const dir = tempDir();
    let now = 1_000_000;
    const a = EntryStore.open({ dir, maxAgeMs: 1000, clock: () => now });
    a.insert(makeEntries(0, 3));
    now += 5000;
    a.maintain();
    expect(a.stats()).toMatchObject({ entries: 0, oldestCursor: null, newestCursor: null });
    a.close();
    const b = openStore(dir, { clock: () => now });
    expect(b.insert(makeEntries(3, 1))).toEqual([4]);
  });

  it('dir null makes a private temp dir that close removes', () => {
    const store = EntryStore.open({ dir: null });
    const dir = store.path.slice(0, -STORE_FILE.length - 1);
    expect(existsSync(store.path)).toBe(true);
    store.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('a temp-dir store that is never closed is still removed when the process exits', () => {
    const script = new URL('./scripts/open-and-exit.ts', import.meta.url).pathname;
    const path = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 }).trim();
    expect(path).toMatch(/podsniff-store-.*entries\.sqlite$/);
    expect(existsSync(dirname(path))).toBe(false);
  });

  it('creates a missing data dir and leaves only the database after close', () => {
    const dir = `${tempDir()}/nested/data`;
    const store = EntryStore.open({ dir });
    store.insert(makeEntries(0, 1));
    store.close();
    expect(readdirSync(dir)).toEqual([STORE_FILE]);
    expect(statSync(`${dir}/${STORE_FILE}`).size).toBeGreaterThan(0);
  });
});
