/** Narrowing a connection's pcap to one entry's time window. */
import { describe, expect, it } from 'vitest';
import { sliceForEntry } from '../../src/api/pcap-slice.js';
import { CaptureFileParser, PcapWriter } from '../../src/capture/index.js';
import type { Frame } from '../../src/model/index.js';

const frame = (sec: number, nsec: number, byte: number): Frame => ({ ts: { sec, nsec }, linkType: 1, data: new Uint8Array(60).fill(byte), origLen: 60, interfaceId: 0 });

function pcapOf(frames: Frame[]): Buffer {
  const w = new PcapWriter({ linkType: 1, resolution: 'ns' });
  return Buffer.concat([w.header(), ...frames.map((f) => w.record(f))]);
}

describe('sliceForEntry', () => {
  const frames = [frame(100, 0, 1), frame(100, 500_000, 2), frame(100, 2_000_000, 3), frame(100, 2_000_999, 4), frame(101, 0, 5)];
  const file = pcapOf(frames);

  it('keeps the records from the first request byte to the last response byte, inclusive', () => {
    const sliced = sliceForEntry(file, { startedAtMs: 100_000.5, elapsedMs: 1.5 });
    const { frames: kept } = readBack(sliced);
    expect(kept.map((f) => f.data[0])).toEqual([2, 3, 4]);
  });

  it('gives an entry without a response the first second from its start', () => {
    const { frames: kept } = readBack(sliceForEntry(file, { startedAtMs: 100_002, elapsedMs: null }));
    expect(kept.map((f) => f.data[0])).toEqual([3, 4, 5]);
  });

  it('returns anything that is not a nanosecond pcap unchanged', () => {
    const us = new PcapWriter({ linkType: 1 });
    const other = Buffer.concat([us.header(), us.record(frames[0]!)]);
    expect(sliceForEntry(other, { startedAtMs: 0, elapsedMs: 0 })).toBe(other);
  });
});

function readBack(bytes: Buffer): { frames: Frame[] } {
  const parser = new CaptureFileParser();
  return { frames: [...parser.push(bytes), ...parser.end()] };
}
