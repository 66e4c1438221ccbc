/**
 * The worker's entry sink over a real store: batching by count and time, writes in bounded slices in
 * later turns of the event loop (never inside `add`), updates of queued and stored entries, events with
 * cursors in store order, and a failing store counted instead of thrown.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EntryEvent } from '../../src/api/index.js';
import type { Entry, StageLogger } from '../../src/model/index.js';
import { EntryStore } from '../../src/store/index.js';
import { StoredEntries } from '../../src/worker/stored-entries.js';
import { makeEntries } from '../store/support/entries.js';

const warnings: unknown[] = [];
const log = { warn: (o: unknown) => warnings.push(o), info: () => {}, debug: () => {}, error: () => {} } as unknown as StageLogger;
const stores: EntryStore[] = [];

function setup(options: { batchMax?: number; batchMs?: number } = {}): { store: EntryStore; sink: StoredEntries; events: EntryEvent[] } {
  const store = EntryStore.open({ dir: null });
  stores.push(store);
  const sink = new StoredEntries({ store, log, ...options });
  const events: EntryEvent[] = [];
  sink.subscribe((e) => events.push(e));
  return { store, sink, events };
}

afterEach(() => {
  vi.useRealTimers();
  for (const s of stores.splice(0)) s.close();
  warnings.length = 0;
});

const resolved = (e: Entry): Entry => ({ ...e, dst: { ...e.dst, resolution: 'resolved', process: { pid: 42, comm: 'server', exe: null } } });

describe('StoredEntries', () => {
  it('writes a full batch in slices on later turns, then publishes each entry with its cursor in order', async () => {
    const { store, sink, events } = setup({ batchMax: 10, batchMs: 60_000 });
    const entries = makeEntries(0, 25);
    entries.forEach((e) => sink.add(e));
    expect(store.stats().entries).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(store.stats().entries).toBe(10);
    await new Promise((r) => setImmediate(r));
    expect(store.stats().entries).toBe(20);
    await new Promise((r) => setImmediate(r));
    expect(store.stats().entries).toBe(25);
    expect(events.map((e) => [e.type, e.entry.id])).toEqual(entries.map((e) => ['entry', e.id]));
    expect(events.map((e) => e.cursor)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('flush writes everything at once, in slices of at most batchMax', () => {
    const { store, sink } = setup({ batchMax: 10, batchMs: 60_000 });
    makeEntries(0, 25).forEach((e) => sink.add(e));
    sink.flush();
    expect(store.stats().entries).toBe(25);
  });

  it('writes what waits after batchMs', () => {
    vi.useFakeTimers();
    const { store, sink } = setup({ batchMax: 1000, batchMs: 50 });
    sink.add(makeEntries(0, 1)[0]!);
    expect(store.stats().entries).toBe(0);
    vi.advanceTimersByTime(50);
    expect(store.stats().entries).toBe(1);
  });

  it('replaces a queued entry in place, and updates a stored one under its cursor', () => {
    const { store, sink, events } = setup({ batchMax: 1000, batchMs: 60_000 });
    const [a, b] = makeEntries(0, 2) as [Entry, Entry];
    sink.add(a);
    sink.add(b);
    sink.update(resolved(a));
    sink.flush();
    expect(events.map((e) => e.type)).toEqual(['entry', 'entry']);
    expect(store.get(a.id)?.entry.dst.resolution).toBe('resolved');
    sink.update(resolved(b));
    expect(events.at(-1)).toMatchObject({ type: 'update', cursor: 2, entry: { id: b.id } });
    expect(store.get(b.id)).toMatchObject({ cursor: 2, entry: { dst: { process: { pid: 42 } } } });
  });

  it('close writes within its budget and logs what it had to leave', () => {
    const { store, sink } = setup({ batchMax: 10, batchMs: 60_000 });
    makeEntries(0, 25).forEach((e) => sink.add(e));
    sink.close(0);
    expect(store.stats().entries).toBe(0);
    expect(warnings).toEqual([{ entries: 25, packetChunks: 0 }]);
    const second = setup({ batchMax: 10, batchMs: 60_000 });
    makeEntries(0, 25).forEach((e) => second.sink.add(e));
    second.sink.close();
    expect(second.store.stats().entries).toBe(25);
  });

  it('counts a batch the store refuses and keeps going, logging once', () => {
    const { store, sink, events } = setup({ batchMax: 5, batchMs: 60_000 });
    store.close();
    expect(() => makeEntries(0, 10).forEach((e) => sink.add(e))).not.toThrow();
    expect(() => sink.flush()).not.toThrow();
    expect(sink.failures).toBe(2);
    expect(events).toEqual([]);
    expect(warnings).toHaveLength(1);
  });
});
