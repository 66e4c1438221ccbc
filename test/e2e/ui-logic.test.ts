/**
 * The dashboard's DOM-free logic, without a browser: the bounded row buffer, filter text building,
 * completion, error messages and the service-map layout.
 */
import { describe, expect, it } from 'vitest';
import type { EntryListItem, ServiceMap } from '../../src/model/index.js';
import { appendClause, clause, quote } from '../../ui/src/lib/filter-text.js';
import { RowStore } from '../../ui/src/state/row-store.js';
import { acceptCompletion, wordAtCaret } from '../../ui/src/views/filter/completion.js';
import { layoutMap } from '../../ui/src/views/map/layout.js';

const item = (cursor: number, target = `/r/${cursor}`): EntryListItem =>
  ({ cursor, id: `e${cursor}`, summary: { method: 'GET', target, statusCode: 200, status: '200' } }) as unknown as EntryListItem;

describe('RowStore', () => {
  it('reads newest first, drops the oldest past capacity, and updates in place', () => {
    const store = new RowStore(5);
    store.upsert([1, 2, 3].map((c) => item(c)));
    store.upsert([4, 5, 6, 7].map((c) => item(c)));
    expect(store.size).toBe(5);
    expect([0, 1, 2, 3, 4].map((i) => store.at(i)?.cursor)).toEqual([7, 6, 5, 4, 3]);
    expect(store.droppedOldest).toBe(2);
    store.upsert([item(5, '/updated')]);
    expect(store.size).toBe(5);
    expect(store.at(2)?.summary.target).toBe('/updated');
    expect(store.indexOf(3)).toBe(4);
    expect(store.indexOf(1)).toBe(-1);
  });

  it('inserts out-of-order rows (gap fills, older pages) in cursor order', () => {
    const store = new RowStore(10);
    store.upsert([item(10), item(20)]);
    store.upsert([item(15), item(5), item(25)]);
    expect(Array.from({ length: store.size }, (_, i) => store.at(i)?.cursor)).toEqual([25, 20, 15, 10, 5]);
    store.clear();
    expect(store.size).toBe(0);
    expect(store.newestCursor).toBeNull();
  });

  it('holds 100,000 rows and keeps appending past them (how fast: bench:dashboard)', () => {
    const store = new RowStore();
    for (let c = 0; c < 150_000; c += 1000) store.upsert(Array.from({ length: 1000 }, (_, i) => item(c + i)));
    expect(store.size).toBe(100_000);
    expect(store.oldestCursor).toBe(50_000);
  });
});

describe('filter text', () => {
  it('quotes values and appends clauses', () => {
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(clause('status_code', 404)).toBe('status_code == 404');
    expect(appendClause('', 'http')).toBe('http');
    expect(appendClause('http', 'method == "GET"')).toBe('http && method == "GET"');
    expect(appendClause('dns || http', 'src.ip == "1.2.3.4"')).toBe('(dns || http) && src.ip == "1.2.3.4"');
  });

  it('completes the word at the caret, not inside strings', () => {
    expect(wordAtCaret('http && dst.i', 13)).toEqual({ start: 8, end: 13, word: 'dst.i' });
    expect(wordAtCaret('method == "GE', 13)).toBeNull();
    const w = wordAtCaret('dst.i == "x"', 5)!;
    expect(acceptCompletion('dst.i == "x"', w, 'dst.ip')).toEqual({ text: 'dst.ip == "x"', caret: 7 });
  });
});

describe('service map layout', () => {
  it('puts clients left and servers right, and bends opposite edges apart', () => {
    const node = (id: string) => ({ id, kind: 'address' as const, label: id, pod: null, process: null, ip: id });
    const edge = (source: string, target: string) => ({ source, target, protocol: 'http' as const, calls: 1, errors: 0, bytes: 1, ratePerSec: 1, latencyMs: null });
    const map: ServiceMap = {
      nodes: [node('a'), node('b'), node('c')],
      edges: [edge('a', 'b'), edge('b', 'c'), edge('c', 'b')],
      window: { entries: 3, fromMs: 0, toMs: 1, truncated: false },
    };
    const layout = layoutMap(map);
    const x = (id: string) => layout.nodes.find((n) => n.node.id === id)!.x;
    expect(x('a')).toBeLessThan(x('b'));
    expect(layout.edges).toHaveLength(3);
    const [, bc, cb] = layout.edges;
    expect(bc!.d).not.toBe(cb!.d);
    expect(layoutMap(map)).toEqual(layout);
  });
});
