/**
 * pcapng: the block loop. Section header blocks (either byte order; each new section resets the
 * interfaces), interface description blocks (link type, snaplen, if_tsresol, if_tsoffset), enhanced,
 * simple and obsolete packet blocks; every other block type is skipped. A block whose length is below
 * 12, not a multiple of 4, above 16 MiB or not repeated in its trailer is corrupt, as is a packet block
 * naming an interface its section did not describe. Frame `interfaceId` is the IDB index within the
 * section; simple packet blocks carry no time and get timestamp 0.
 */
import type { LinkTypeValue } from '../model/index.js';
import { corrupt } from './errors.js';
import { FrameDataPool } from './frame-data.js';
import { toLinkType } from './link-type.js';
import type { FrameSink, RecordReader } from './record-reader.js';
import { MICROSECONDS, resolutionFromTsresol, unitsToTimestamp, type TsResolution } from './timestamp.js';

export const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const IDB = 1;
const OBSOLETE_PB = 2;
const SPB = 3;
const EPB = 6;
/** Smallest block: type, length, trailing length. Also enough to read an SHB's byte-order magic. */
const MIN_BLOCK = 12;
/** Largest block accepted (Wireshark's limit); bounds what the parser buffers. */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;
const MIN_LENGTH: Record<number, number> = { [PCAPNG_SHB]: 28, [IDB]: 20, [OBSOLETE_PB]: 32, [SPB]: 16, [EPB]: 32 };
const OPT_TSRESOL = 9;
const OPT_TSOFFSET = 14;

interface Iface {
  readonly linkType: LinkTypeValue;
  readonly snaplen: number;
  readonly res: TsResolution;
}

/** The block loop of a pcapng file, starting at its first section header block. */
export class PcapngBlockReader implements RecordReader {
  need = MIN_BLOCK;
  readonly unit = 'a pcapng block';
  private le = true;
  private ifaces: Iface[] = [];
  private readonly pool = new FrameDataPool();

  constructor(private readonly sink: FrameSink) {}

  read(buf: Uint8Array, view: DataView, p: number, end: number, base: number): number {
    let le = this.le;
    for (;;) {
      const avail = end - p;
      if (avail < MIN_BLOCK) break;
      const type = view.getUint32(p, le);
      if (type === PCAPNG_SHB) le = sectionByteOrder(view, p, base);
      const len = view.getUint32(p + 4, le);
      const min = type === EPB ? 32 : (MIN_LENGTH[type] ?? MIN_BLOCK);
      if (len < min || (len & 3) !== 0 || len > MAX_BLOCK_BYTES) {
        throw corrupt(base + p, `pcapng block of type ${type} has invalid length ${len}`);
      }
      if (avail < len) {
        this.need = len;
        return p;
      }
      const trailer = view.getUint32(p + len - 4, le);
      if (trailer !== len) throw corrupt(base + p, `pcapng block length ${len} does not match its trailing length ${trailer}`);
      if (type === EPB) this.enhanced(buf, view, p, len, le, base);
      else if (type === PCAPNG_SHB) this.section(view, p, le, base);
      else if (type === IDB) this.ifaces.push(describeInterface(view, p, len, le));
      else if (type === SPB) this.simple(buf, view, p, len, le, base);
      else if (type === OBSOLETE_PB) this.obsolete(buf, view, p, len, le, base);
      p += len;
    }
    this.need = MIN_BLOCK;
    return p;
  }

  private section(view: DataView, p: number, le: boolean, base: number): void {
    const major = view.getUint16(p + 12, le);
    if (major !== 1) throw corrupt(base + p, `unsupported pcapng version ${major}.${view.getUint16(p + 14, le)}`);
    this.le = le;
    this.ifaces = [];
  }

  private enhanced(buf: Uint8Array, view: DataView, p: number, len: number, le: boolean, base: number): void {
    const id = view.getUint32(p + 8, le);
    const caplen = view.getUint32(p + 20, le);
    if (caplen > len - 32) throw corrupt(base + p, `enhanced packet block captured length ${caplen} exceeds its block`);
    this.packet(buf, p + 28, caplen, view.getUint32(p + 24, le), id, view.getUint32(p + 12, le), view.getUint32(p + 16, le), base + p);
  }

  private obsolete(buf: Uint8Array, view: DataView, p: number, len: number, le: boolean, base: number): void {
    const id = view.getUint16(p + 8, le);
    const caplen = view.getUint32(p + 20, le);
    if (caplen > len - 32) throw corrupt(base + p, `packet block captured length ${caplen} exceeds its block`);
    this.packet(buf, p + 28, caplen, view.getUint32(p + 24, le), id, view.getUint32(p + 12, le), view.getUint32(p + 16, le), base + p);
  }

  private simple(buf: Uint8Array, view: DataView, p: number, len: number, le: boolean, base: number): void {
    const iface = this.iface(0, base + p);
    const origLen = view.getUint32(p + 8, le);
    let caplen = Math.min(origLen, len - 16);
    if (iface.snaplen > 0 && caplen > iface.snaplen) caplen = iface.snaplen;
    this.sink({ ts: { sec: 0, nsec: 0 }, linkType: iface.linkType, data: this.pool.copy(buf, p + 12, p + 12 + caplen), origLen, interfaceId: 0 });
  }

  private packet(buf: Uint8Array, at: number, caplen: number, origLen: number, id: number, hi: number, lo: number, offset: number): void {
    const iface = this.iface(id, offset);
    this.sink({
      ts: unitsToTimestamp(hi, lo, iface.res),
      linkType: iface.linkType,
      data: this.pool.copy(buf, at, at + caplen),
      origLen,
      interfaceId: id,
    });
  }

  private iface(id: number, offset: number): Iface {
    const iface = this.ifaces[id];
    if (iface === undefined) {
      throw corrupt(offset, `packet block names interface ${id}, but its section describes ${this.ifaces.length}`);
    }
    return iface;
  }
}

/** The byte order of the section whose header block starts at `p`. */
function sectionByteOrder(view: DataView, p: number, base: number): boolean {
  const magic = view.getUint32(p + 8, true);
  if (magic === BYTE_ORDER_MAGIC) return true;
  if (magic === 0x4d3c2b1a) return false;
  throw corrupt(base + p, `pcapng section header has a bad byte-order magic 0x${magic.toString(16).padStart(8, '0')}`);
}

/** Reads an interface description block; malformed trailing options are ignored. */
function describeInterface(view: DataView, p: number, len: number, le: boolean): Iface {
  const linkType = toLinkType(view.getUint16(p + 8, le));
  const snaplen = view.getUint32(p + 12, le);
  let tsresol = 6;
  let offsetSec = 0;
  const optEnd = p + len - 4;
  for (let q = p + 16; q + 4 <= optEnd; ) {
    const code = view.getUint16(q, le);
    const olen = view.getUint16(q + 2, le);
    if (code === 0 || q + 4 + olen > optEnd) break;
    if (code === OPT_TSRESOL && olen >= 1) tsresol = view.getUint8(q + 4);
    else if (code === OPT_TSOFFSET && olen >= 8) offsetSec = readInt64(view, q + 4, le);
    q += 4 + ((olen + 3) & ~3);
  }
  const res = tsresol === 6 && offsetSec === 0 ? MICROSECONDS : resolutionFromTsresol(tsresol, offsetSec);
  return { linkType, snaplen, res };
}

/** A signed 64-bit integer as a Number (exact below 2^53 in magnitude). */
function readInt64(view: DataView, q: number, le: boolean): number {
  const hi = view.getInt32(le ? q + 4 : q, le);
  const lo = view.getUint32(le ? q : q + 4, le);
  return hi * 4294967296 + lo;
}
