import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureFileError, CaptureFileParser } from '../../src/capture/index.js';
import { LinkType } from '../../src/model/index.js';
import { PcapngBuilder } from './support/pcapng-builder.js';
import { byteByByte, parseChunks } from './support/frames.js';
import { tsharkFrames } from './support/tools.js';

const NS_2024 = 1_732_717_200_123_456_789n;
const payload = (n: number, fill = n) => new Uint8Array(n).fill(fill);

/** Two sections of different byte orders; the second has two interfaces with other resolutions. */
function sample(firstLittleEndian: boolean): PcapngBuilder {
  return new PcapngBuilder(firstLittleEndian)
    .shb()
    .idb(LinkType.ETHERNET, { snaplen: 262144 })
    .epb(0, 1_700_000_000_000_001n, payload(60), 60)
    .block(5, payload(20)) // interface statistics: skipped
    .block(0x40000bad, payload(7)) // custom/unknown: skipped
    .shb(!firstLittleEndian)
    .idb(LinkType.LINUX_SLL, { tsresol: 9 })
    .idb(LinkType.RAW, { tsresol: 0x80 | 20, tsoffset: 1_000n })
    .epb(1, 5n * 1_048_576n + 524_288n, payload(41), 1500)
    .epb(0, NS_2024, payload(3), 3)
    .pb(1, 1_048_576n, payload(10))
    .spb(payload(9));
}

const expected = [
  { ts: { sec: 1_700_000_000, nsec: 1000 }, linkType: LinkType.ETHERNET, data: payload(60), origLen: 60, interfaceId: 0 },
  { ts: { sec: 1_005, nsec: 500_000_000 }, linkType: LinkType.RAW, data: payload(41), origLen: 1500, interfaceId: 1 },
  { ts: { sec: 1_732_717_200, nsec: 123_456_789 }, linkType: LinkType.LINUX_SLL, data: payload(3), origLen: 3, interfaceId: 0 },
  { ts: { sec: 1_001, nsec: 0 }, linkType: LinkType.RAW, data: payload(10), origLen: 10, interfaceId: 1 },
  { ts: { sec: 0, nsec: 0 }, linkType: LinkType.LINUX_SLL, data: payload(9), origLen: 9, interfaceId: 0 },
];

describe('pcapng reading', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'podsniff-pcapng-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const le of [true, false]) {
    it(`${le ? 'little' : 'big'}-endian first section, other order second: interfaces, resolutions, offsets, block kinds`, () => {
      const bytes = sample(le).bytes();
      expect(CaptureFileParser.parseAll(bytes)).toEqual(expected);
      expect(parseChunks(byteByByte(bytes)).frames).toEqual(expected);
    });
  }

  it('tshark reads the same frames from the built files (big- and little-endian)', async () => {
    for (const le of [true, false]) {
      const file = join(dir, `sample-${le ? 'le' : 'be'}.pcapng`);
      const single = new PcapngBuilder(le).shb().idb(1, { tsresol: 9 }).epb(0, NS_2024, payload(60), 70).epb(0, NS_2024 + 1_000_000_001n, payload(61));
      await writeFile(file, single.bytes());
      const ours = CaptureFileParser.parseAll(single.bytes());
      const theirs = await tsharkFrames(file);
      expect(theirs.map((t) => [t.len, t.caplen, t.time])).toEqual(ours.map((f) => [f.origLen, f.data.length, `${f.ts.sec}.${String(f.ts.nsec).padStart(9, '0')}`]));
    }
  });

  it('a simple packet block is cut to interface 0 snaplen', () => {
    const bytes = new PcapngBuilder().shb().idb(1, { snaplen: 4 }).spb(payload(9), 9).bytes();
    expect(CaptureFileParser.parseAll(bytes)[0]).toMatchObject({ data: payload(4, 9), origLen: 9 });
  });

  it('a new section forgets the interfaces of the previous one', () => {
    const bytes = new PcapngBuilder().shb().idb(1).idb(1).shb().idb(1).epb(1, 0n, payload(1)).bytes();
    expect(errorOf(bytes)).toMatchObject({ code: 'E_CAPTURE_FORMAT', offset: bytes.length - 36 });
    expect(errorOf(bytes).message).toMatch(/interface 1, but its section describes 1/);
  });

  describe('corrupt blocks are E_CAPTURE_FORMAT at the block, after the frames before it', () => {
    const good = () => new PcapngBuilder().shb().idb(1).epb(0, 1n, payload(5));
    const cases: [string, (b: Uint8Array, v: DataView, at: number) => void][] = [
      ['length not a multiple of 4', (_b, v, at) => v.setUint32(at + 4, v.getUint32(at + 4, true) + 2, true)],
      ['length below 12', (_b, v, at) => v.setUint32(at + 4, 8, true)],
      ['EPB shorter than its fixed fields', (_b, v, at) => v.setUint32(at + 4, 28, true)],
      ['length above 16 MiB', (_b, v, at) => v.setUint32(at + 4, 17 * 1024 * 1024, true)],
      ['trailing length differs', (b, v, at) => v.setUint32(at + v.getUint32(at + 4, true) - 4, 999, true)],
      ['captured length exceeds the block', (_b, v, at) => v.setUint32(at + 20, 100, true)],
      ['unknown interface', (_b, v, at) => v.setUint32(at + 8, 3, true)],
    ];
    for (const [name, damage] of cases) {
      it(name, () => {
        const b = good().epb(0, 2n, payload(6));
        const bytes = b.bytes();
        const at = b.offsets[3]!;
        damage(bytes, new DataView(bytes.buffer), at);
        const out = parseChunks([bytes]);
        expect(out.frames.length).toBe(1);
        expect(out.error).toEqual({ code: 'E_CAPTURE_FORMAT', offset: at });
        expect(parseChunks(byteByByte(bytes))).toEqual(out);
      });
    }

    it('bad byte-order magic and unsupported version in a later section', () => {
      const b = good().shb();
      const bytes = b.bytes();
      const at = b.offsets[3]!;
      new DataView(bytes.buffer).setUint32(at + 8, 0x01020304, true);
      expect(parseChunks([bytes]).error).toEqual({ code: 'E_CAPTURE_FORMAT', offset: at });
      const v2 = good().shb(true, [2, 0]);
      expect(parseChunks([v2.bytes()]).error).toEqual({ code: 'E_CAPTURE_FORMAT', offset: v2.offsets[3] });
    });
  });
});

function errorOf(bytes: Uint8Array): CaptureFileError {
  try {
    CaptureFileParser.parseAll(bytes);
  } catch (err) {
    if (err instanceof CaptureFileError) return err;
  }
  throw new Error('expected a CaptureFileError');
}
