import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/capture/index.js';
import type { Frame } from '../../src/model/index.js';
import { EntryStore } from '../../src/store/index.js';
import { chunkOf, syntheticFrames } from './support/packets.js';
import { cleanupTempDirs, tempDir } from './support/tmp.js';

const FIXTURE = new URL('../fixtures/pcaps/http-basic.pcap', import.meta.url).pathname;

let frames: Frame[];
beforeAll(async () => {
  frames = [];
  await readCaptureFile(FIXTURE, (f) => frames.push(f));
});

const open: EntryStore[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  cleanupTempDirs();
});
function openStore(options: Partial<Parameters<typeof EntryStore.open>[0]> = {}): EntryStore {
  const store = EntryStore.open({ dir: null, ...options });
  open.push(store);
  return store;
}

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Appends `frames` for `conn` in chunks of 1, 7, 30 and the rest. */
function appendInChunks(store: EntryStore, conn: string, all: readonly Frame[]): void {
  for (const [from, to] of [[0, 1], [1, 8], [8, 38], [38, all.length]] as const) {
    expect(store.appendPackets(chunkOf(conn, all.slice(from, to)))).toBe(true);
  }
}

const plain = (f: Frame) => ({ ts: f.ts, linkType: f.linkType, data: Buffer.from(f.data), origLen: f.origLen });

describe('packets and pcap export', () => {
  it('exports a nanosecond pcap that the project reader reads back as the same frames', async () => {
    const store = openStore();
    appendInChunks(store, 'c1', frames);
    store.appendPackets(chunkOf('c2', frames.slice(0, 2)));
    const pcap = store.exportPcap('c1')!;
    expect(pcap.readUInt32LE(0)).toBe(0xa1b23c4d);
    expect([pcap.readUInt16LE(4), pcap.readUInt16LE(6), pcap.readUInt32LE(16), pcap.readUInt32LE(20)]).toEqual([2, 4, 262144, 1]);
    const recordBytes = frames.reduce((n, f) => n + 16 + f.data.length, 0);
    expect(pcap.length).toBe(24 + recordBytes);
    expect(store.packetStats('c1')).toEqual({ count: frames.length, bytes: recordBytes });
    expect(store.packetStats('nope')).toBeNull();
    expect(store.exportPcap('nope')).toBeNull();

    const file = join(tempDir(), 'c1.pcap');
    writeFileSync(file, pcap);
    const back: Frame[] = [];
    const summary = await readCaptureFile(file, (f) => back.push(f));
    expect(summary.format).toBe('pcap');
    expect(back.map(plain)).toEqual(frames.map(plain));
  });

  it('tshark reads the export with the same packet count and lengths', (ctx) => {
    if (!hasTshark()) ctx.skip('tshark is not installed (apt-get install tshark) — the pcap was checked by the project reader only');
    const store = openStore();
    appendInChunks(store, 'c1', frames);
    const file = join(tempDir(), 'c1.pcap');
    writeFileSync(file, store.exportPcap('c1')!);
    const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.len'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const rows = out.trim().split('\n').map((l) => l.split('\t').map(Number));
    expect(rows).toEqual(frames.map((f, k) => [k + 1, f.origLen]));
  });

  it('caps bytes per connection: later chunks are dropped and their packets counted', () => {
    const store = openStore({ maxPacketBytesPerConnection: 5000 });
    const chunk = chunkOf('c1', syntheticFrames(10, 184)); // 10 × 200 bytes of records
    expect(store.appendPackets(chunk)).toBe(true);
    expect(store.appendPackets(chunk)).toBe(true);
    expect(store.appendPackets(chunk)).toBe(false);
    expect(store.appendPackets(chunkOf('big', syntheticFrames(30, 184)))).toBe(false);
    expect(store.packetStats('c1')).toEqual({ count: 20, bytes: 4000 });
    expect(store.packetStats('big')).toBeNull();
    expect(store.stats().packetsDropped).toBe(40);
  });

  it('keeps the first link type of a connection and drops chunks of another', () => {
    const store = openStore();
    store.appendPackets(chunkOf('c1', syntheticFrames(2, 60, 1, 1)));
    expect(store.appendPackets(chunkOf('c1', syntheticFrames(3, 60, 2, 113)))).toBe(false);
    const pcap = store.exportPcap('c1')!;
    expect(pcap.readUInt32LE(20)).toBe(1);
    expect(pcap.length).toBe(24 + 2 * 76);
    expect(store.stats().packetsDropped).toBe(3);
  });

  it('refuses malformed chunks with E_STORE_WRITE and stores nothing', () => {
    const store = openStore();
    const good = chunkOf('c1', syntheticFrames(3));
    const bad = [
      { ...good, count: 4 },
      { ...good, count: 2 },
      { ...good, records: good.records.subarray(0, good.records.length - 1) },
      { ...good, connectionId: '' },
      { ...good, linkType: -1 },
    ];
    for (const chunk of bad) expect(() => store.appendPackets(chunk)).toThrow(expect.objectContaining({ code: 'E_STORE_WRITE' }));
    expect(store.stats()).toMatchObject({ packetBytes: 0, packetsDropped: 0 });
  });

  it('survives a reopen', () => {
    const dir = tempDir();
    const a = EntryStore.open({ dir });
    appendInChunks(a, 'c1', frames);
    const pcap = a.exportPcap('c1');
    a.close();
    const b = openStore({ dir });
    expect(b.exportPcap('c1')).toEqual(pcap);
  });
});
