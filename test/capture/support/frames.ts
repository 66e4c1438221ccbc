/** Frame fixtures and parse helpers shared by the capture tests. */
import fc from 'fast-check';
import { CaptureFileError, CaptureFileParser, PcapWriter, type PcapWriterOptions } from '../../../src/capture/index.js';
import type { Frame } from '../../../src/model/index.js';
import { concat } from './pcapng-builder.js';

export function frame(sec: number, nsec: number, data: number[] | Uint8Array, origLen?: number, linkType = 1): Frame {
  const bytes = data instanceof Uint8Array ? data : Uint8Array.from(data);
  return { ts: { sec, nsec }, linkType, data: bytes, origLen: origLen ?? bytes.length, interfaceId: 0 };
}

/** A pcap file of `frames`, and the byte offset where each record starts. */
export function pcapFile(frames: Frame[], options: Partial<PcapWriterOptions> = {}): { bytes: Uint8Array; offsets: number[] } {
  const writer = new PcapWriter({ linkType: frames[0]?.linkType ?? 1, ...options });
  const parts = [writer.header()];
  const offsets: number[] = [];
  let at = 24;
  for (const f of frames) {
    const rec = writer.record(f);
    offsets.push(at);
    at += rec.length;
    parts.push(rec);
  }
  return { bytes: concat(parts), offsets };
}

/** What parsing some chunks gave: the frames delivered and the error thrown, if any. */
export interface Outcome {
  frames: Frame[];
  error?: { code: string; offset: number };
}

/** Feeds `chunks` to a parser in callback mode and records frames and error (only CaptureFileError allowed). */
export function parseChunks(chunks: Iterable<Uint8Array>): Outcome {
  const frames: Frame[] = [];
  const parser = new CaptureFileParser((f) => frames.push(f));
  try {
    for (const c of chunks) parser.push(c);
    parser.end();
    return { frames };
  } catch (err) {
    if (!(err instanceof CaptureFileError)) throw err;
    return { frames, error: { code: err.code, offset: err.offset } };
  }
}

/** Same, in array mode (push returns frames; errors may come one call later). */
export function parseChunksArrayMode(chunks: Iterable<Uint8Array>): Outcome {
  const frames: Frame[] = [];
  const parser = new CaptureFileParser();
  try {
    for (const c of chunks) frames.push(...parser.push(c));
    frames.push(...parser.end());
    return { frames };
  } catch (err) {
    if (!(err instanceof CaptureFileError)) throw err;
    return { frames, error: { code: err.code, offset: err.offset } };
  }
}

export function* byteByByte(bytes: Uint8Array): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
}

/** Splits `bytes` at the given points (any order, duplicates allowed: empty chunks are fed too). */
export function splitAt(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const cuts = [0, ...points.map((p) => p % (bytes.length + 1)).sort((a, b) => a - b), bytes.length];
  const out: Uint8Array[] = [];
  for (let i = 1; i < cuts.length; i++) out.push(bytes.slice(cuts[i - 1], cuts[i]));
  return out;
}

/** Arbitrary frames that fit a pcap record. */
export const arbFrame: fc.Arbitrary<Frame> = fc
  .record({
    sec: fc.integer({ min: 0, max: 0xffffffff }),
    usec: fc.integer({ min: 0, max: 999_999 }),
    data: fc.uint8Array({ maxLength: 200 }),
    extra: fc.nat(1500),
  })
  .map(({ sec, usec, data, extra }) => frame(sec, usec * 1000, data, data.length + extra));
