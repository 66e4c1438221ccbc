import { describe, expect, it } from 'vitest';
import { parseChunkSize } from '../../../src/protocols/http1/chunked.js';

const size = (line: string) => parseChunkSize(Buffer.from(line, 'latin1'), 0, line.length);

describe('HTTP/1 chunk-size lines', () => {
  it('reads hex sizes with optional whitespace and extensions', () => {
    expect(size('0')).toBe(0);
    expect(size('1a')).toBe(26);
    expect(size('FF')).toBe(255);
    expect(size('10;name=value')).toBe(16);
    expect(size('10 ;name="quoted;value"')).toBe(16);
    expect(size('1fffffffffffff')).toBe(-1); // 14 digits: beyond 2^53
    expect(size('fffffffffffff')).toBe(0xfffffffffffff);
  });

  it('rejects what is not a size', () => {
    for (const bad of ['', 'g', '-1', ' 1', '1 x', '0x10', ';ext']) expect(size(bad), bad).toBe(-1);
  });
});
