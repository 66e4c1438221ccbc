import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Timestamp } from '../../../src/model/index.js';
import { LengthPrefixedFramer } from '../../../src/protocols/_framing/index.js';
import { tsOf } from './harness.js';

function framer(prefixBytes: 2 | 4, out: string[]): LengthPrefixedFramer {
  return new LengthPrefixedFramer({
    prefixBytes,
    minFrame: 1,
    maxFrame: 5000,
    probeBytes: 1,
    plausible: (_len, probe) => probe[0] === 0x7e,
    frame: (payload, wire, s: Timestamp, e: Timestamp) => out.push(`${payload.toString('hex')}/${wire}/${s.sec}-${e.sec}`),
    resynced: (skipped) => out.push(`skip ${skipped}`),
  });
}

function prefixed(payload: Buffer, p: 2 | 4): Buffer {
  const len = Buffer.alloc(p);
  if (p === 2) len.writeUInt16BE(payload.length);
  else len.writeUInt32BE(payload.length);
  return Buffer.concat([len, payload]);
}

describe('LengthPrefixedFramer', () => {
  it('gives the same frames and times however the stream is cut', () => {
    const payload = fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from([0x7e, ...b]));
    fc.assert(
      fc.property(fc.constantFrom<2 | 4>(2, 4), fc.array(payload, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 20 }), (p, frames, cuts) => {
        const stream = Buffer.concat(frames.map((f) => prefixed(f, p)));
        const a: string[] = [];
        framer(p, a).feed(stream, tsOf(0));
        expect(a).toEqual(frames.map((f) => `${f.toString('hex')}/${f.length + p}/${tsOf(0).sec}-${tsOf(0).sec}`));
        const b: string[] = [];
        const fb = framer(p, b);
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((x, y) => x - y);
        let from = 0;
        for (const c of [...points, stream.length]) {
          fb.feed(Buffer.from(stream.subarray(from, c)), tsOf(0));
          from = c;
        }
        expect(b).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps framing through a gap inside a frame and hunts after an unknown gap', () => {
    const f1 = prefixed(Buffer.from('7e0102030405', 'hex'), 2);
    const f2 = prefixed(Buffer.from('7eaa', 'hex'), 2);
    const out: string[] = [];
    const fr = framer(2, out);
    fr.feed(f1.subarray(0, 4), tsOf(1));
    expect(fr.gap(2)).toBe('frame-damaged');
    fr.feed(Buffer.concat([f1.subarray(6), f2]), tsOf(2));
    expect(out).toEqual([`7eaa/4/${tsOf(2).sec}-${tsOf(2).sec}`]);
    expect(fr.gap(null)).toBe('framing-lost');
    fr.feed(Buffer.concat([Buffer.from([1, 2, 3]), f2]), tsOf(3));
    expect(out.slice(1)).toEqual(['skip 3', `7eaa/4/${tsOf(3).sec}-${tsOf(3).sec}`]);
    expect(fr.gap(0)).toBe('none');
  });

  it('holds at most one frame, however long the input', () => {
    const fr = framer(4, []);
    for (let i = 0; i < 100; i++) fr.feed(Buffer.alloc(1000, 0x7e), tsOf(i));
    expect(fr.pending).toBeLessThanOrEqual(5004);
  });
});
