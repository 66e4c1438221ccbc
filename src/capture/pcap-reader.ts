/**
 * Classic pcap (libpcap savefile): the 24-byte file header and the record loop. Magics a1b2c3d4
 * (microseconds) and a1b23c4d (nanoseconds), in either byte order. A record whose captured length
 * exceeds 262144 bytes or its original length is corrupt.
 */
import type { LinkTypeValue } from '../model/index.js';
import { corrupt } from './errors.js';
import { FrameDataPool } from './frame-data.js';
import { toLinkType } from './link-type.js';
import type { FrameSink, RecordReader } from './record-reader.js';

export const PCAP_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;
/** Largest captured length accepted in a record (libpcap's and Wireshark's limit for most link types). */
export const MAX_PCAP_CAPLEN = 262144;
export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** "Modified" (Kuznetzov) pcap, whose records are longer: recognised only to name it in the error. */
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;

/** What the file header says. */
export interface PcapHeader {
  readonly littleEndian: boolean;
  readonly nanoseconds: boolean;
  readonly snaplen: number;
  readonly linkType: LinkTypeValue;
}

/** The classic-pcap format of a magic number read little-endian, or undefined. */
export function pcapMagicFormat(magicLe: number): { littleEndian: boolean; nanoseconds: boolean } | undefined {
  switch (magicLe) {
    case PCAP_MAGIC_US:
      return { littleEndian: true, nanoseconds: false };
    case PCAP_MAGIC_NS:
      return { littleEndian: true, nanoseconds: true };
    case 0xd4c3b2a1:
      return { littleEndian: false, nanoseconds: false };
    case 0x4d3cb2a1:
      return { littleEndian: false, nanoseconds: true };
    default:
      return undefined;
  }
}

/** Parses the 24-byte file header at `p` (the magic is already known to be a pcap magic). */
export function parsePcapHeader(view: DataView, p: number, base: number): PcapHeader {
  const format = pcapMagicFormat(view.getUint32(p, true));
  if (!format) throw corrupt(base + p, 'bad pcap magic');
  const le = format.littleEndian;
  const major = view.getUint16(p + 4, le);
  if (major !== 2) throw corrupt(base + p + 4, `unsupported pcap version ${major}.${view.getUint16(p + 6, le)}`);
  const linkType = toLinkType(view.getUint32(p + 20, le) & 0xffff);
  return { ...format, snaplen: view.getUint32(p + 16, le), linkType };
}

/** The record loop of a classic pcap file. Every frame has interfaceId 0. */
export class PcapRecordReader implements RecordReader {
  need = PCAP_RECORD_HEADER_BYTES;
  readonly unit = 'a pcap record';
  private readonly pool = new FrameDataPool();

  constructor(
    private readonly header: PcapHeader,
    private readonly sink: FrameSink,
  ) {}

  read(buf: Uint8Array, view: DataView, p: number, end: number, base: number): number {
    const le = this.header.littleEndian;
    const nsPerUnit = this.header.nanoseconds ? 1 : 1000;
    const unitsPerSec = this.header.nanoseconds ? 1e9 : 1e6;
    const linkType = this.header.linkType;
    const sink = this.sink;
    const pool = this.pool;
    for (;;) {
      const avail = end - p;
      if (avail < PCAP_RECORD_HEADER_BYTES) break;
      const caplen = view.getUint32(p + 8, le);
      const origLen = view.getUint32(p + 12, le);
      if (caplen > MAX_PCAP_CAPLEN || caplen > origLen) throw badRecord(base + p, caplen, origLen);
      const size = PCAP_RECORD_HEADER_BYTES + caplen;
      if (avail < size) {
        this.need = size;
        return p;
      }
      let sec = view.getUint32(p, le);
      let frac = view.getUint32(p + 4, le);
      if (frac >= unitsPerSec) {
        // Not normalised by the writer: carry whole seconds.
        sec += Math.floor(frac / unitsPerSec);
        frac %= unitsPerSec;
      }
      sink({
        ts: { sec, nsec: frac * nsPerUnit },
        linkType,
        data: pool.copy(buf, p + PCAP_RECORD_HEADER_BYTES, p + size),
        origLen,
        interfaceId: 0,
      });
      p += size;
    }
    this.need = PCAP_RECORD_HEADER_BYTES;
    return p;
  }
}

function badRecord(offset: number, caplen: number, origLen: number) {
  return caplen > MAX_PCAP_CAPLEN
    ? corrupt(offset, `pcap record captured length ${caplen} exceeds ${MAX_PCAP_CAPLEN}`)
    : corrupt(offset, `pcap record captured length ${caplen} exceeds its original length ${origLen}`);
}
