import { describe, expect, it } from 'vitest';
import { CaptureFileError, CaptureFileParser } from '../../src/capture/index.js';
import { LinkType } from '../../src/model/index.js';
import { frame, pcapFile } from './support/frames.js';

const frames = [frame(1_700_000_000, 123_456_789, [1, 2, 3], 60), frame(4_000_000_000, 999_999_999, [4])];

describe('classic pcap reading', () => {
  for (const byteOrder of ['little', 'big'] as const) {
    it(`nanosecond magic, ${byteOrder}-endian: exact timestamps`, () => {
      const { bytes } = pcapFile(frames, { resolution: 'ns', byteOrder });
      const parser = new CaptureFileParser();
      expect(parser.push(bytes)).toEqual(frames);
      expect(parser.header).toMatchObject({ nanoseconds: true, littleEndian: byteOrder === 'little' });
    });

    it(`microsecond magic, ${byteOrder}-endian: nanoseconds are whole microseconds`, () => {
      const { bytes } = pcapFile(frames, { resolution: 'us', byteOrder });
      const got = CaptureFileParser.parseAll(bytes);
      expect(got.map((f) => f.ts)).toEqual([{ sec: 1_700_000_000, nsec: 123_456_000 }, { sec: 4_000_000_000, nsec: 999_999_000 }]);
    });
  }

  it('maps DLT_RAW 12 and 14 to LINKTYPE_RAW and ignores the FCS bits of the link type field', () => {
    for (const [field, expected] of [[12, LinkType.RAW], [14, LinkType.RAW], [101, LinkType.RAW], [0x1000_0071, LinkType.LINUX_SLL]] as const) {
      const { bytes } = pcapFile(frames);
      new DataView(bytes.buffer).setUint32(20, field, true);
      expect(CaptureFileParser.parseAll(bytes).map((f) => f.linkType)).toEqual([expected, expected]);
    }
  });

  it('carries a microsecond field of a million or more into the seconds', () => {
    const { bytes, offsets } = pcapFile(frames);
    new DataView(bytes.buffer).setUint32(offsets[0]! + 4, 2_500_000, true);
    expect(CaptureFileParser.parseAll(bytes)[0]!.ts).toEqual({ sec: 1_700_000_002, nsec: 500_000_000 });
  });

  it('rejects a version other than 2.x at offset 4', () => {
    const { bytes } = pcapFile(frames);
    new DataView(bytes.buffer).setUint16(4, 3, true);
    const err = (() => {
      try {
        CaptureFileParser.parseAll(bytes);
      } catch (e) {
        return e as CaptureFileError;
      }
    })();
    expect(err).toBeInstanceOf(CaptureFileError);
    expect(err).toMatchObject({ code: 'E_CAPTURE_FORMAT', offset: 4 });
  });

  it('accepts a zero-length record and a record of exactly 262144 bytes', () => {
    const big = frame(5, 0, new Uint8Array(262144).fill(1));
    const got = CaptureFileParser.parseAll(pcapFile([frame(1, 0, []), big]).bytes);
    expect(got.map((f) => f.data.length)).toEqual([0, 262144]);
  });
});
