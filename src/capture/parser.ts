/**
 * `CaptureFileParser`: a sans-IO, streaming reader of pcap and pcapng (auto-detected by magic).
 *
 * Contract:
 * - Frames come out in file order, either to the `onFrame` callback given to the constructor
 *   (synchronously, during `push`; `push` then returns an empty array) or, without a callback, as the
 *   array `push` returns. `end()` says the input is over (it returns no frames). Any chunking of the
 *   same bytes gives the same frames.
 * - Frames hold copies of their bytes, never views of a chunk (small frames share 8 KiB slabs: see
 *   frame-data.ts). The parser keeps no reference to a chunk after `push` returns: the bytes of an
 *   incomplete record are copied into its own buffer (at most one record, which the formats limit
 *   to 16 MiB), so callers may reuse their chunk buffer.
 * - Damage is a `CaptureFileError` (`offset` = where the bad record starts), raised only after every
 *   good frame before the damage was handed out: with a callback, `push` throws right after
 *   delivering them; without one, `push` returns them and the error is thrown by the next `push` or
 *   by `end`. Input that stops mid-record makes `end` throw E_CAPTURE_TRUNCATED. Once failed
 *   (including by an exception from `onFrame`), every later `push`/`end` rethrows the same error.
 */
import type { Frame } from '../model/index.js';
import { CaptureFileError, notACaptureFile, truncated } from './errors.js';
import {
  PCAP_HEADER_BYTES,
  PCAP_MAGIC_MODIFIED,
  PcapRecordReader,
  parsePcapHeader,
  pcapMagicFormat,
  type PcapHeader,
} from './pcap-reader.js';
import { PCAPNG_SHB, PcapngBlockReader } from './pcapng-reader.js';
import type { RecordReader } from './record-reader.js';

/** The container format of a capture file. */
export type CaptureFormat = 'pcap' | 'pcapng';

const MAGIC_BYTES = 4;
/** Carry buffers bigger than this are released once empty. */
const KEEP_CARRY_BYTES = 1 << 20;

/** Streaming pcap/pcapng parser; see the module contract. */
export class CaptureFileParser {
  private reader: RecordReader | null = null;
  private detected: CaptureFormat | undefined;
  private pcapHeader: PcapHeader | undefined;
  /** Bytes needed from `offset` before the unit there can be parsed. */
  private need = MAGIC_BYTES;
  /** Absolute input offset of the first byte not yet consumed (the start of `carry`). */
  private offset = 0;
  private carry = new Uint8Array(0);
  private carryLen = 0;
  private failure: Error | null = null;
  private readonly sink: (frame: Frame) => void;
  private batch: Frame[] = [];
  private readonly head = new Uint8Array(MAGIC_BYTES);
  private headLen = 0;

  /** With `onFrame`, frames are delivered to it from `push`; without, `push` returns them. */
  constructor(private readonly onFrame?: (frame: Frame) => void) {
    this.sink = onFrame ?? ((frame) => this.batch.push(frame));
  }

  /** The detected format, once the first 4 bytes were seen. */
  get format(): CaptureFormat | undefined {
    return this.detected;
  }

  /** The classic pcap file header, once read (undefined for pcapng). */
  get header(): PcapHeader | undefined {
    return this.pcapHeader;
  }

  /** Bytes consumed so far (the offset of the next record). */
  get position(): number {
    return this.offset;
  }

  /** Parses `chunk`; see the module contract for delivery, ownership and errors. */
  push(chunk: Uint8Array): Frame[] {
    if (this.failure !== null) throw this.failure;
    const frames = (this.batch = []);
    try {
      this.consume(plain(chunk));
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
      if (this.onFrame !== undefined || frames.length === 0) throw this.failure;
    }
    this.batch = [];
    return frames;
  }

  /** Declares the end of input; throws E_CAPTURE_TRUNCATED if it stopped inside a record. */
  end(): Frame[] {
    if (this.failure !== null) throw this.failure;
    if (this.reader !== null && this.carryLen === 0) return [];
    this.failure = this.endError();
    throw this.failure;
  }

  /** Convenience: the frames of a whole capture held in memory. Throws like `push` + `end`. */
  static parseAll(bytes: Uint8Array): Frame[] {
    const parser = new CaptureFileParser();
    const frames = parser.push(bytes);
    parser.end();
    return frames;
  }

  private endError(): CaptureFileError {
    const head = this.head.subarray(0, this.headLen);
    if (this.reader === null && this.headLen < MAGIC_BYTES && !isMagicPrefix(head)) return notACaptureFile(head);
    if (this.reader === null) return truncated(0, this.carryLen, this.need, 'the file header');
    return truncated(this.offset, this.carryLen, this.need, this.reader.unit);
  }

  private consume(chunk: Uint8Array): void {
    this.remember(chunk);
    let p = 0;
    while (this.carryLen > 0 && p < chunk.length) {
      const take = Math.min(this.need - this.carryLen, chunk.length - p);
      this.appendCarry(chunk, p, take);
      p += take;
      if (this.carryLen < this.need) return;
      const used = this.run(this.carry, 0, this.carryLen, this.offset);
      this.dropCarry(used);
    }
    if (p === chunk.length) return;
    const stop = this.run(chunk, p, chunk.length, this.offset - p);
    this.offset += stop - p;
    if (stop < chunk.length) this.appendCarry(chunk, stop, chunk.length - stop);
  }

  /** Parses whole units of `buf[p, end)` (absolute offset of buf[i] is base + i); returns where it stopped. */
  private run(buf: Uint8Array, p: number, end: number, base: number): number {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    if (this.reader === null) {
      p = this.start(view, p, end, base);
      if (this.reader === null) return p;
    }
    const reader: RecordReader = this.reader;
    const stop = reader.read(buf, view, p, end, base);
    this.need = reader.need;
    return stop;
  }

  /** Detects the format at the start of input; sets `reader` once the file header is complete. */
  private start(view: DataView, p: number, end: number, base: number): number {
    if (end - p < MAGIC_BYTES) {
      this.need = MAGIC_BYTES;
      return p;
    }
    const magic = view.getUint32(p, true);
    if (magic === PCAPNG_SHB) {
      this.detected = 'pcapng';
      this.reader = new PcapngBlockReader(this.sink);
      return p;
    }
    if (pcapMagicFormat(magic) === undefined) throw notACapture(view, p, magic);
    this.detected = 'pcap';
    if (end - p < PCAP_HEADER_BYTES) {
      this.need = PCAP_HEADER_BYTES;
      return p;
    }
    this.pcapHeader = parsePcapHeader(view, p, base);
    this.reader = new PcapRecordReader(this.pcapHeader, this.sink);
    return p + PCAP_HEADER_BYTES;
  }

  /** Keeps the first bytes of input, to name them when the input ends before its magic. */
  private remember(chunk: Uint8Array): void {
    if (this.headLen === MAGIC_BYTES) return;
    const take = Math.min(MAGIC_BYTES - this.headLen, chunk.length);
    this.head.set(chunk.subarray(0, take), this.headLen);
    this.headLen += take;
  }

  private appendCarry(src: Uint8Array, from: number, count: number): void {
    const size = this.carryLen + count;
    if (size > this.carry.length) {
      const grown = new Uint8Array(Math.max(size, this.need, this.carry.length * 2, 256));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(src.subarray(from, from + count), this.carryLen);
    this.carryLen = size;
  }

  private dropCarry(used: number): void {
    this.offset += used;
    if (used === 0) {
      if (this.need <= this.carryLen) throw new Error('capture parser made no progress'); // a bug, not input
      return;
    }
    this.carry.copyWithin(0, used, this.carryLen);
    this.carryLen -= used;
    if (this.carryLen === 0 && this.carry.length > KEEP_CARRY_BYTES) this.carry = new Uint8Array(0);
  }
}

/** A plain Uint8Array over the same memory: `slice` on a Node Buffer would not copy. */
function plain(chunk: Uint8Array): Uint8Array {
  return chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function notACapture(view: DataView, p: number, magicLe: number): CaptureFileError {
  const first = new Uint8Array(view.buffer, view.byteOffset + p, MAGIC_BYTES);
  if (magicLe === PCAP_MAGIC_MODIFIED || magicLe === 0x34cdb2a1) {
    return new CaptureFileError(
      'E_CAPTURE_FORMAT',
      0,
      'modified (Kuznetzov) pcap is not supported; convert it with `editcap -F pcap <in> <out>`',
    );
  }
  return notACaptureFile(first);
}

/** Whether `bytes` (fewer than 4) could begin a pcap or pcapng magic. */
function isMagicPrefix(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  const magics = [[0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1], [0xa1, 0xb2, 0x3c, 0x4d], [0x0a, 0x0d, 0x0d, 0x0a]];
  return magics.some((m) => bytes.every((b, i) => m[i] === b));
}
