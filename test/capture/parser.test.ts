import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureFileError, CaptureFileParser } from '../../src/capture/index.js';
import { PcapngBuilder } from './support/pcapng-builder.js';
import { arbFrame, byteByByte, frame, parseChunks, parseChunksArrayMode, pcapFile, splitAt, type Outcome } from './support/frames.js';

const frames = [frame(1, 1000, [1, 2, 3]), frame(2, 2000, []), frame(3, 999_999_000, new Uint8Array(300).fill(7), 1514)];
const pcap = pcapFile(frames);
const ng = new PcapngBuilder()
  .shb()
  .idb(1, { snaplen: 65535 })
  .epb(0, 1_000_001n, Uint8Array.of(1, 2, 3))
  .block(0x0bad, Uint8Array.of(9, 9))
  .epb(0, 2_000_002n, new Uint8Array(301).fill(5), 1514);

describe('CaptureFileParser chunking', () => {
  for (const [name, bytes] of [['pcap', pcap.bytes], ['pcapng', ng.bytes()]] as const) {
    it(`${name}: whole, byte by byte and at random splits give the same frames`, () => {
      const whole = parseChunks([bytes]);
      expect(whole.error).toBeUndefined();
      expect(whole.frames.length).toBe(name === 'pcap' ? 3 : 2);
      expect(parseChunks(byteByByte(bytes))).toEqual(whole);
      expect(parseChunksArrayMode(byteByByte(bytes))).toEqual(whole);
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 12 }), (points) => {
          expect(parseChunks(splitAt(bytes, points))).toEqual(whole);
          expect(parseChunksArrayMode(splitAt(bytes, points))).toEqual(whole);
        }),
      );
    });
  }

  it('random frames survive any chunking', () => {
    fc.assert(
      fc.property(fc.array(arbFrame, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 8 }), (fs, points) => {
        const { bytes } = pcapFile(fs);
        const out = parseChunks(splitAt(bytes, points));
        expect(out.error).toBeUndefined();
        expect(out.frames).toEqual(fs);
      }),
    );
  });

  it('copies frame data: frames stay valid when the caller reuses its chunk buffer', () => {
    const buf = new Uint8Array(pcap.bytes);
    const parser = new CaptureFileParser();
    const got = parser.push(buf);
    buf.fill(0xee);
    expect(got).toEqual(frames);
    expect(got[0]!.data.buffer).not.toBe(buf.buffer);
    expect(got[0]!.data.constructor).toBe(Uint8Array);
  });

  it('Buffer chunks give plain Uint8Array frames (whose slice copies) that do not alias the chunk', () => {
    const chunk = Buffer.from(pcap.bytes);
    const got = CaptureFileParser.parseAll(chunk);
    expect(got[0]!.data.constructor).toBe(Uint8Array);
    expect(got.every((f) => f.data.buffer !== chunk.buffer)).toBe(true);
    const big = CaptureFileParser.parseAll(pcapFile([frame(1, 0, new Uint8Array(5000).fill(3))]).bytes)[0]!;
    expect(big.data.byteLength).toBe(big.data.buffer.byteLength); // large frames get their own buffer
  });

  it('frames packed in a shared slab never overlap', () => {
    const many = Array.from({ length: 300 }, (_, i) => frame(i, 0, new Uint8Array(i % 97).fill(i & 255)));
    const got = CaptureFileParser.parseAll(pcapFile(many).bytes);
    expect(got).toEqual(many);
  });

  it('reports format, header and position', () => {
    const parser = new CaptureFileParser();
    parser.push(pcap.bytes.subarray(0, 30));
    expect(parser.format).toBe('pcap');
    expect(parser.header).toMatchObject({ littleEndian: true, nanoseconds: false, linkType: 1, snaplen: 262144 });
    expect(parser.position).toBe(24);
    const ngParser = new CaptureFileParser();
    ngParser.push(ng.bytes());
    expect(ngParser.format).toBe('pcapng');
    expect(ngParser.header).toBeUndefined();
  });
});

describe('CaptureFileParser errors', () => {
  /** The error a file cut at `cut` must give: records start at `starts`; the file header ends at `headerEnd`. */
  function expectedCut(starts: number[], total: number, cut: number, headerEnd: number): Outcome['error'] {
    if (cut === 0) return { code: 'E_CAPTURE_FORMAT', offset: 0 };
    if (cut < headerEnd) return { code: 'E_CAPTURE_TRUNCATED', offset: 0 };
    if (cut === total || starts.includes(cut)) return undefined;
    return { code: 'E_CAPTURE_TRUNCATED', offset: Math.max(...starts.filter((o) => o < cut)) };
  }

  it('pcap cut at every offset: the frames before the cut, then E_CAPTURE_TRUNCATED at the cut record', () => {
    const { bytes, offsets } = pcap;
    for (let cut = 0; cut <= bytes.length; cut++) {
      const part = bytes.subarray(0, cut);
      const out = parseChunks([part]);
      const complete = offsets.filter((o, i) => (offsets[i + 1] ?? bytes.length) <= cut && o < cut).length;
      expect(out.frames).toEqual(frames.slice(0, complete));
      expect(out.error).toEqual(expectedCut(offsets, bytes.length, cut, 24));
      expect(parseChunks(byteByByte(part))).toEqual(out);
      expect(parseChunksArrayMode([part.subarray(0, cut >> 1), part.subarray(cut >> 1)])).toEqual(out);
    }
  });

  it('pcapng cut at every offset: frames of whole blocks, then E_CAPTURE_TRUNCATED at the cut block', () => {
    const bytes = ng.bytes();
    const offsets = ng.offsets;
    const whole = parseChunks([bytes]).frames;
    const epbEnds = [offsets[3]!, bytes.length];
    for (let cut = 0; cut <= bytes.length; cut++) {
      const part = bytes.subarray(0, cut);
      const out = parseChunks([part]);
      expect(out.frames).toEqual(whole.slice(0, epbEnds.filter((e) => e <= cut).length));
      expect(out.error).toEqual(expectedCut(offsets.slice(1), bytes.length, cut, offsets[1]!));
      expect(parseChunks(byteByByte(part))).toEqual(out);
    }
  });

  it('the truncation error names the offset and what to do', () => {
    const cut = pcap.offsets[2]! + 5;
    const parser = new CaptureFileParser(() => {});
    parser.push(pcap.bytes.subarray(0, cut));
    const err = catchError(() => parser.end());
    expect(err.code).toBe('E_CAPTURE_TRUNCATED');
    expect(err.offset).toBe(pcap.offsets[2]);
    expect(err.message).toContain(`byte offset ${pcap.offsets[2]}`);
    expect(err.message).toContain(`head -c ${pcap.offsets[2]}`);
    expect(err.toLine()).toBe(err.message);
    expect(catchError(() => parser.end())).toBe(err); // sticky
    expect(catchError(() => parser.push(new Uint8Array(1)))).toBe(err);
  });

  it('pcap caplen above 262144 or above the original length is E_CAPTURE_FORMAT at that record', () => {
    for (const [field, value] of [[8, 262145], [8, 1515], [12, 2]] as const) {
      const bytes = new Uint8Array(pcap.bytes);
      new DataView(bytes.buffer).setUint32(pcap.offsets[2]! + field, value, true);
      const out = parseChunks([bytes]);
      expect(out.frames).toEqual(frames.slice(0, 2));
      expect(out.error).toEqual({ code: 'E_CAPTURE_FORMAT', offset: pcap.offsets[2] });
      expect(parseChunks(byteByByte(bytes))).toEqual(out);
    }
  });

  it('callback mode throws from push after delivering the good frames; array mode returns them first', () => {
    const bytes = new Uint8Array(pcap.bytes);
    new DataView(bytes.buffer).setUint32(pcap.offsets[1]! + 8, 999_999, true);
    const seen: number[] = [];
    const cb = new CaptureFileParser((f) => seen.push(f.ts.sec));
    const err = catchError(() => cb.push(bytes));
    expect(seen).toEqual([1]);
    expect(err).toMatchObject({ code: 'E_CAPTURE_FORMAT', offset: pcap.offsets[1] });
    expect(err.message).toContain('262144');

    const arr = new CaptureFileParser();
    expect(arr.push(bytes).map((f) => f.ts.sec)).toEqual([1]);
    expect(catchError(() => arr.end())).toMatchObject({ code: 'E_CAPTURE_FORMAT', offset: pcap.offsets[1] });
    const direct = new CaptureFileParser(); // no good frame to hand out first: throws at once
    direct.push(bytes.subarray(0, pcap.offsets[1]));
    expect(catchError(() => direct.push(bytes.subarray(pcap.offsets[1])))).toMatchObject({ offset: pcap.offsets[1] });
  });

  it('an exception from onFrame fails the parser', () => {
    const parser = new CaptureFileParser(() => {
      throw new Error('consumer broke');
    });
    expect(() => parser.push(pcap.bytes)).toThrow('consumer broke');
    expect(() => parser.end()).toThrow('consumer broke');
  });

  it('text, empty and unknown input is E_CAPTURE_FORMAT at offset 0, saying it is not pcap or pcapng', () => {
    for (const text of ['GET / HTTP/1.1\r\n', '', 'ab', '{"json": true}']) {
      const bytes = new TextEncoder().encode(text);
      const out = parseChunks([bytes]);
      expect(out).toEqual({ frames: [], error: { code: 'E_CAPTURE_FORMAT', offset: 0 } });
      expect(parseChunks(byteByByte(bytes))).toEqual(out);
    }
    const err = catchError(() => CaptureFileParser.parseAll(new TextEncoder().encode('hello')));
    expect(err.message).toMatch(/not a pcap or pcapng file \(it starts with bytes 68 65 6c 6c\)/);
    expect(err.message).toContain('byte offset 0');
    expect(catchError(() => CaptureFileParser.parseAll(new Uint8Array(0))).message).toContain('empty');
  });

  it('modified (Kuznetzov) pcap is named in the error', () => {
    const bytes = new Uint8Array(pcap.bytes);
    new DataView(bytes.buffer).setUint32(0, 0xa1b2cd34, true);
    expect(catchError(() => CaptureFileParser.parseAll(bytes)).message).toMatch(/Kuznetzov.*editcap/);
  });

  it('fuzz: random bytes never hang and throw nothing but CaptureFileError, the same for any chunking', () => {
    const prefixes = [new Uint8Array(0), pcap.bytes.subarray(0, 24), ng.bytes().subarray(0, ng.offsets[2])];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(), { maxLength: 6 }), (prefix, tail, points) => {
        const bytes = new Uint8Array(prefix.length + tail.length);
        bytes.set(prefix);
        bytes.set(tail, prefix.length);
        const whole = parseChunks([bytes]);
        expect(parseChunks(splitAt(bytes, points))).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });

  it('fuzz: damaged real files give the same frames and error for any chunking', () => {
    const sources = [pcap.bytes, ng.bytes()];
    fc.assert(
      fc.property(
        fc.constantFrom(...sources),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (source, edits, points) => {
          const bytes = new Uint8Array(source);
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          const whole = parseChunks([bytes]);
          expect(parseChunks(splitAt(bytes, points))).toEqual(whole);
          expect(parseChunks(byteByByte(bytes))).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });
});

function catchError(fn: () => unknown): CaptureFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CaptureFileError) return err;
    throw err;
  }
  throw new Error('expected a CaptureFileError');
}
