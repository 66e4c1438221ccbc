/** The contract between `CaptureFileParser` and a format's record loop. Internal to the capture stage. */
import type { Frame } from '../model/index.js';

/** Receives each parsed frame, in file order. The frame owns its data. */
export type FrameSink = (frame: Frame) => void;

/**
 * A format's record loop. `read` parses every complete record in `buf[p, end)` (`view` spans the same
 * memory; absolute input offset of `buf[i]` is `base + i`), hands each frame to the sink, and returns
 * the offset where the first incomplete record starts, with `need` set to the bytes that record needs
 * from there (always more than are present). It copies frame data out of `buf` and keeps no reference
 * to it. It throws a `CaptureFileError` at the first corrupt record, after the frames before it.
 */
export interface RecordReader {
  need: number;
  /** Name of the unit `need` refers to, for truncation messages ("a pcap record", "a pcapng block"). */
  readonly unit: string;
  read(buf: Uint8Array, view: DataView, p: number, end: number, base: number): number;
}
