/**
 * `PcapWriter`: encodes frames as a classic pcap file (microsecond or nanosecond magic, one link type,
 * either byte order). Stateless apart from its options: `header()` once, then `record(frame)` per
 * frame; each call returns a new buffer the caller owns. Data beyond `snaplen` is cut (the original
 * length is kept); microsecond files truncate the nanoseconds.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Frame, LinkTypeValue } from '../model/index.js';
import {
  MAX_PCAP_CAPLEN,
  PCAP_HEADER_BYTES,
  PCAP_MAGIC_NS,
  PCAP_MAGIC_US,
  PCAP_RECORD_HEADER_BYTES,
} from './pcap-reader.js';

/** How a `PcapWriter` encodes: one link type for the whole file. */
export interface PcapWriterOptions {
  linkType: LinkTypeValue;
  /** Timestamp resolution (default 'us'). */
  resolution?: 'us' | 'ns';
  /** Longest data kept per frame (default and maximum 262144). */
  snaplen?: number;
  /** Byte order of every field (default 'little'). */
  byteOrder?: 'little' | 'big';
}

/** Encodes frames as classic pcap; see the module contract. */
export class PcapWriter {
  readonly linkType: LinkTypeValue;
  readonly snaplen: number;
  private readonly nanos: boolean;
  private readonly le: boolean;

  constructor(options: PcapWriterOptions) {
    this.linkType = options.linkType;
    this.snaplen = options.snaplen ?? MAX_PCAP_CAPLEN;
    if (!Number.isInteger(this.snaplen) || this.snaplen < 1 || this.snaplen > MAX_PCAP_CAPLEN) {
      throw new RangeError(`pcap snaplen must be an integer from 1 to ${MAX_PCAP_CAPLEN}, got ${this.snaplen}`);
    }
    this.nanos = options.resolution === 'ns';
    this.le = options.byteOrder !== 'big';
  }

  /** The 24-byte file header. */
  header(): Uint8Array {
    const out = new Uint8Array(PCAP_HEADER_BYTES);
    const view = new DataView(out.buffer);
    view.setUint32(0, this.nanos ? PCAP_MAGIC_NS : PCAP_MAGIC_US, this.le);
    view.setUint16(4, 2, this.le);
    view.setUint16(6, 4, this.le);
    view.setUint32(16, this.snaplen, this.le);
    view.setUint32(20, this.linkType, this.le);
    return out;
  }

  /** One record: 16-byte header and the frame's data (cut to `snaplen`). */
  record(frame: Frame): Uint8Array {
    const { sec, nsec } = frame.ts;
    if (!Number.isInteger(sec) || sec < 0 || sec > 0xffffffff || !Number.isInteger(nsec) || nsec < 0 || nsec > 999_999_999) {
      throw new RangeError(`frame timestamp ${sec}.${nsec} does not fit a pcap record`);
    }
    const caplen = Math.min(frame.data.length, this.snaplen);
    const out = new Uint8Array(PCAP_RECORD_HEADER_BYTES + caplen);
    const view = new DataView(out.buffer);
    view.setUint32(0, sec, this.le);
    view.setUint32(4, this.nanos ? nsec : Math.floor(nsec / 1000), this.le);
    view.setUint32(8, caplen, this.le);
    view.setUint32(12, Math.max(frame.origLen, caplen), this.le);
    out.set(frame.data.subarray(0, caplen), PCAP_RECORD_HEADER_BYTES);
    return out;
  }
}

/** Options of `writeCaptureFile`; the link type defaults to the first frame's. */
export type WriteCaptureOptions = Partial<PcapWriterOptions>;

const FLUSH_BYTES = 1 << 20;

/**
 * Writes `frames` to a new classic pcap file at `path` (replacing it). Every frame must have the same
 * link type. Resolves with the number of frames written.
 */
export async function writeCaptureFile(
  path: string,
  frames: Iterable<Frame> | AsyncIterable<Frame>,
  options: WriteCaptureOptions = {},
): Promise<number> {
  const file = await open(path, 'w');
  try {
    let writer: PcapWriter | undefined;
    let parts: Uint8Array[] = [];
    let pending = 0;
    let count = 0;
    for await (const frame of frames) {
      if (writer === undefined) {
        writer = new PcapWriter({ ...options, linkType: options.linkType ?? frame.linkType });
        parts.push(writer.header());
      }
      if (frame.linkType !== writer.linkType) {
        throw new RangeError(`frame ${count} has link type ${frame.linkType}, the file has ${writer.linkType}`);
      }
      const rec = writer.record(frame);
      parts.push(rec);
      pending += rec.length;
      count++;
      if (pending >= FLUSH_BYTES) {
        await writeAll(file, parts);
        parts = [];
        pending = 0;
      }
    }
    if (writer === undefined) parts.push(new PcapWriter({ linkType: 1, ...options }).header());
    await writeAll(file, parts);
    return count;
  } finally {
    await file.close();
  }
}

async function writeAll(file: FileHandle, parts: Uint8Array[]): Promise<void> {
  const bytes = Buffer.concat(parts);
  for (let done = 0; done < bytes.length; ) {
    done += (await file.write(bytes, done, bytes.length - done)).bytesWritten;
  }
}
