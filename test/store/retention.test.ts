import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EntryStore, type StoreStats } from '../../src/store/index.js';
import { makeEntries } from './support/entries.js';
import { chunkOf, syntheticFrames } from './support/packets.js';
import { cleanupTempDirs, tempDir } from './support/tmp.js';

const open: EntryStore[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  cleanupTempDirs();
});
function openStore(options: Parameters<typeof EntryStore.open>[0]): EntryStore {
  const store = EntryStore.open(options);
  open.push(store);
  return store;
}

/** The store holds a contiguous run of the newest cursors, and its counters add up. */
function expectSuffix(stats: StoreStats, inserted: number): void {
  expect(stats.newestCursor).toBe(inserted);
  expect(stats.entries).toBe(stats.newestCursor! - stats.oldestCursor! + 1);
  expect(stats.dropped.size + stats.dropped.age).toBe(inserted - stats.entries);
}

describe('retention by size', () => {
  it('drops the oldest entries within the same insert, counted, and stays under maxBytes', () => {
    const maxBytes = 400_000;
    const store = openStore({ dir: null, maxBytes });
    let inserted = 0;
    for (let b = 0; b < 40; b++) {
      store.insert(makeEntries(inserted, 50));
      inserted += 50;
      expect(store.stats().bytes).toBeLessThanOrEqual(maxBytes);
    }
    const stats = store.stats();
    expectSuffix(stats, inserted);
    expect(stats.dropped.size).toBeGreaterThan(1000);
    expect(stats.dropped.age).toBe(0);
    expect(stats.bytes).toBeGreaterThan(maxBytes * 0.9);
    expect(store.get('e0')).toBeNull();
    expect(store.get(`e${inserted - 1}`)).not.toBeNull();
  });

  it('drops in bounded batches: a backlog is worked off over several writes', () => {
    const dir = tempDir();
    const big = EntryStore.open({ dir });
    for (let b = 0; b < 10; b++) big.insert(makeEntries(b * 200, 200));
    big.close();
    const store = openStore({ dir, maxBytes: 50_000 });
    store.insert(makeEntries(2000, 1));
    expect(store.stats().dropped.size).toBe(2 * 1 + 64);
    let rounds = 0;
    while (store.maintain() > 0) rounds++;
    expect(rounds).toBe(1);
    expect(store.stats().bytes).toBeLessThanOrEqual(50_000);
    expectSuffix(store.stats(), 2001);
  });

  it('counts packets in the budget and drops the older of entries and chunks first', () => {
    let now = 1000;
    const store = openStore({ dir: null, maxBytes: 300_000, clock: () => now });
    const chunk = chunkOf('c-old', syntheticFrames(50, 1000));
    expect(store.appendPackets(chunk)).toBe(true);
    expect(store.stats().packetBytes).toBeGreaterThan(50_000);
    now += 10;
    let inserted = 0;
    while (store.stats().packetBytes > 0) {
      store.insert(makeEntries(inserted, 20));
      inserted += 20;
      now += 10;
      expect(store.stats().dropped.size).toBe(0);
    }
    expect(store.packetStats('c-old')).toBeNull();
    expect(store.exportPcap('c-old')).toBeNull();
    expect(store.stats().packetsDropped).toBe(50);
    for (let b = 0; b < 10; b++, inserted += 20) store.insert(makeEntries(inserted, 20));
    expect(store.stats().dropped.size).toBeGreaterThan(0);
    expectSuffix(store.stats(), inserted);
  });

  it('keeps packets within their share: bulk packets never push the entries out', () => {
    let now = 1000;
    const maxBytes = 400_000;
    const store = openStore({ dir: null, maxBytes, packetShare: 0.25, clock: () => now });
    store.insert(makeEntries(0, 20));
    // A bulk connection: many packets, no entries.
    for (let i = 0; i < 40; i++, now++) store.appendPackets(chunkOf(`bulk-${i}`, syntheticFrames(20, 1000)));
    const stats = store.stats();
    expect(stats.packetBytes).toBeLessThanOrEqual(maxBytes * 0.25);
    expect(stats.packetsDropped).toBeGreaterThan(0);
    // The older entries survived: only packets were over their share.
    expect(stats.entries).toBe(20);
    expect(stats.dropped.size).toBe(0);
    // The newest chunks are the ones kept.
    expect(store.packetStats('bulk-39')).not.toBeNull();
    expect(store.packetStats('bulk-0')).toBeNull();
    expect(() => EntryStore.open({ dir: null, packetShare: 1.5 })).toThrow(/packetShare must be in \(0, 1\]/);
  });

  it('reuses freed pages: the file stops growing once the store is full', () => {
    const dir = tempDir();
    let inserted = 0;
    /** Inserts `rounds` × 200 entries, closes (checkpoint), and gives the file size. */
    const sizeAfter = (rounds: number): number => {
      const store = EntryStore.open({ dir, maxBytes: 2_000_000 });
      for (let r = 0; r < rounds; r++, inserted += 200) store.insert(makeEntries(inserted, 200));
      store.close();
      return statSync(`${dir}/entries.sqlite`).size;
    };
    const full = sizeAfter(20);
    const later = sizeAfter(40);
    expect(full).toBeLessThan(2_000_000 * 1.5);
    expect(later).toBeLessThan(full * 1.2);
  });
});

describe('retention by age', () => {
  it('drops entries inserted more than maxAgeMs ago, oldest first, counted as age', () => {
    let now = 1_000_000;
    const store = openStore({ dir: null, maxAgeMs: 60_000, clock: () => now });
    store.insert(makeEntries(0, 30));
    now += 30_000;
    store.insert(makeEntries(30, 30));
    now += 31_000; // the first 30 are 61 s old, the next 31 s
    store.insert(makeEntries(60, 10));
    const stats = store.stats();
    expect(stats).toMatchObject({ entries: 40, oldestCursor: 31, newestCursor: 70, dropped: { size: 0, age: 30 } });
    now += 100_000;
    expect(store.maintain()).toBe(40);
    expect(store.stats()).toMatchObject({ entries: 0, dropped: { age: 70 } });
  });

  it('uses insertion time, not capture time: an old replay is kept', () => {
    const store = openStore({ dir: null, maxAgeMs: 1000 });
    store.insert(makeEntries(0, 5, Date.UTC(2001, 0, 1)));
    store.maintain();
    expect(store.stats().entries).toBe(5);
  });

  it('after a large drop, maintain() gives the space back a bounded step at a time', () => {
    const dir = tempDir();
    const fileSize = (): number => statSync(`${dir}/entries.sqlite`).size;
    const filled = EntryStore.open({ dir, maxAgeMs: 1000, clock: () => 0 });
    for (let b = 0; b < 30; b++) filled.insert(makeEntries(b * 400, 400));
    filled.close();
    const full = fileSize();
    expect(full).toBeGreaterThan(15e6);
    const store = openStore({ dir, maxAgeMs: 1000, clock: () => 5000 });
    let calls = 0;
    while (store.stats().entries > 0) {
      expect(store.maintain()).toBeLessThanOrEqual(2000);
      calls++;
    }
    expect(calls).toBe(6);
    for (let k = 0; k < 100; k++) store.maintain();
    store.close();
    expect(fileSize()).toBeLessThan(full / 2); // down to the 8 MiB of free pages kept for reuse
  });

  it('ages packet chunks too', () => {
    let now = 0;
    const store = openStore({ dir: null, maxAgeMs: 1000, clock: () => now });
    store.appendPackets(chunkOf('c1', syntheticFrames(3)));
    now = 500;
    store.appendPackets(chunkOf('c1', syntheticFrames(2)));
    now = 1200;
    store.maintain();
    expect(store.packetStats('c1')).toMatchObject({ count: 2 });
    expect(store.stats().packetsDropped).toBe(3);
  });
});
