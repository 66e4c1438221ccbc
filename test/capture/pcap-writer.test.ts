import fc from 'fast-check';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureFileParser, PcapWriter, readCaptureFile, writeCaptureFile } from '../../src/capture/index.js';
import type { Frame } from '../../src/model/index.js';
import { arbFrame, frame, pcapFile } from './support/frames.js';
import { tsharkFrames } from './support/tools.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podsniff-writer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PcapWriter', () => {
  for (const byteOrder of ['little', 'big'] as const) {
    it(`round-trips through the parser at ns resolution (${byteOrder}-endian)`, () => {
      fc.assert(
        fc.property(fc.array(arbFrame, { maxLength: 15 }), fc.integer({ min: 0, max: 999 }), (frames, extraNs) => {
          const exact = frames.map((f) => ({ ...f, ts: { sec: f.ts.sec, nsec: f.ts.nsec + extraNs } }));
          expect(CaptureFileParser.parseAll(pcapFile(exact, { resolution: 'ns', byteOrder }).bytes)).toEqual(exact);
        }),
      );
    });
  }

  it('round-trips at µs resolution, truncating the nanoseconds', () => {
    const got = CaptureFileParser.parseAll(pcapFile([frame(7, 123_456_789, [1])], { resolution: 'us' }).bytes);
    expect(got[0]!.ts).toEqual({ sec: 7, nsec: 123_456_000 });
  });

  it('writes the header fields: magic, version 2.4, snaplen, link type', () => {
    const v = new DataView(new PcapWriter({ linkType: 276, resolution: 'ns', snaplen: 1500 }).header().buffer);
    expect([v.getUint32(0, true), v.getUint16(4, true), v.getUint16(6, true), v.getUint32(16, true), v.getUint32(20, true)]).toEqual([0xa1b23c4d, 2, 4, 1500, 276]);
  });

  it('cuts data to the snaplen and keeps the original length', () => {
    const w = new PcapWriter({ linkType: 1, snaplen: 4 });
    const bytes = Buffer.concat([w.header(), w.record(frame(1, 0, [1, 2, 3, 4, 5, 6], 60)), w.record(frame(1, 0, [9, 9], 1))]);
    expect(CaptureFileParser.parseAll(bytes)).toEqual([frame(1, 0, [1, 2, 3, 4], 60), frame(1, 0, [9, 9], 2)]);
  });

  it('refuses timestamps and snaplens a pcap cannot hold', () => {
    const w = new PcapWriter({ linkType: 1 });
    expect(() => w.record(frame(2 ** 32, 0, []))).toThrow(RangeError);
    expect(() => w.record(frame(-1, 0, []))).toThrow(RangeError);
    expect(() => w.record(frame(1, 1e9, []))).toThrow(RangeError);
    expect(() => new PcapWriter({ linkType: 1, snaplen: 300_000 })).toThrow(RangeError);
  });
});

describe('writeCaptureFile', () => {
  it('writes frames that readCaptureFile and tshark read back (big-endian, ns)', async () => {
    const frames = Array.from({ length: 3000 }, (_, i) => frame(1_700_000_000 + i, i * 333_333, new Uint8Array(i % 700).fill(i & 255), (i % 700) + 10));
    const file = join(dir, 'out-be.pcap');
    expect(await writeCaptureFile(file, frames, { resolution: 'ns', byteOrder: 'big' })).toBe(3000);
    const back: Frame[] = [];
    await readCaptureFile(file, (f) => back.push(f));
    expect(back).toEqual(frames);
    const theirs = await tsharkFrames(file);
    expect(theirs.map((t) => [t.len, t.caplen, t.time])).toEqual(frames.map((f) => [f.origLen, f.data.length, `${f.ts.sec}.${String(f.ts.nsec).padStart(9, '0')}`]));
  });

  it('takes the link type of the first frame, accepts async iterables, writes an empty file header', async () => {
    async function* gen() {
      await Promise.resolve();
      yield frame(1, 0, [1], 1, 113);
      yield frame(2, 0, [2], 1, 113);
    }
    const file = join(dir, 'sll.pcap');
    await writeCaptureFile(file, gen());
    expect((await readCaptureFile(file, () => {})).linkTypes).toEqual([113]);
    const empty = join(dir, 'empty.pcap');
    expect(await writeCaptureFile(empty, [], { linkType: 101 })).toBe(0);
    expect((await readFile(empty)).length).toBe(24);
    await expect(writeCaptureFile(join(dir, 'mixed.pcap'), [frame(1, 0, [1], 1, 1), frame(1, 0, [1], 1, 113)])).rejects.toThrow(/link type 113/);
  });
});
