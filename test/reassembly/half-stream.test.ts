import { describe, expect, it } from 'vitest';
import { HalfStream } from '../../src/reassembly/half-stream.js';

const ts = { sec: 0, nsec: 0 };
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const segs = (h: HalfStream): Array<[number, string]> => (h.segs ?? []).map((s) => [s.seq, Buffer.from(s.data).toString()]);

describe('HalfStream', () => {
  it('keeps buffered segments sorted and disjoint, first arrival winning', () => {
    const h = new HalfStream();
    h.nextSeq = 0xfffffffe;
    expect(h.insert(8, bytes('IJ'), ts)).toBe(0); // past the wrap
    expect(h.insert(0xffffffff, bytes('ab'), ts)).toBe(0);
    expect(h.insert(0, bytes('bcdefghijkl'), ts)).toBe(1); // 'b' matches 'ab'; 'jk' differ from 'IJ'
    expect(segs(h)).toEqual([
      [0xffffffff, 'ab'],
      [1, 'cdefghi'],
      [8, 'IJ'],
      [10, 'l'],
    ]);
    expect(h.buffered).toBe(12);
  });

  it('copies what it keeps', () => {
    const h = new HalfStream();
    const data = bytes('xyz');
    h.insert(5, data, ts);
    data[0] = 0;
    expect(segs(h)).toEqual([[5, 'xyz']]);
  });

  it('counts conflicts of bytes about to be delivered with buffered ones', () => {
    const h = new HalfStream();
    h.insert(3, bytes('DEF'), ts);
    expect(h.conflictsWith(bytes('abcDE'))).toBe(0);
    expect(h.conflictsWith(bytes('abcdE'))).toBe(1);
    expect(h.conflictsWith(bytes('abc'))).toBe(0);
  });

  it('shifts and clears with byte accounting', () => {
    const h = new HalfStream();
    h.insert(10, bytes('aa'), ts);
    h.insert(20, bytes('bbb'), ts);
    expect(h.shift()?.seq).toBe(10);
    expect(h.buffered).toBe(3);
    expect(h.clear()).toBe(3);
    expect(h.hasBuffered()).toBe(false);
  });
});
