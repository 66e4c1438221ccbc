import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteAccumulator } from '../../../src/protocols/_framing/index.js';
import { tsOf } from './harness.js';

describe('ByteAccumulator', () => {
  it('holds copies of what was appended, with the time of its first byte', () => {
    const a = new ByteAccumulator();
    const src = Buffer.from('hello world');
    a.append(src, 0, 5, tsOf(1));
    a.append(src, 5, 11, tsOf(2));
    src.fill(0);
    expect(a.view().toString()).toBe('hello world');
    expect(a.startTs).toEqual(tsOf(1));
    a.dropFront(6);
    expect(a.view().toString()).toBe('world');
    expect(a.takeFrom(1).toString()).toBe('orld');
    expect(a.length).toBe(0);
    expect(a.startTs).toBeNull();
  });

  it('matches a plain concatenation for any sequence of appends and drops', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 700 }), fc.nat({ max: 900 }))), (ops) => {
        const a = new ByteAccumulator();
        let model = Buffer.alloc(0);
        for (const op of ops) {
          if (typeof op === 'number') {
            a.dropFront(op);
            model = model.subarray(Math.min(op, model.length));
          } else {
            a.append(op, 0, op.length, tsOf(0));
            model = Buffer.concat([model, op]);
          }
          expect(Buffer.compare(a.view(), model)).toBe(0);
        }
      }),
    );
  });
});
