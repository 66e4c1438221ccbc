/**
 * Offline dissection of capture files (pcap or pcapng): the engine of `podsniff read` and of the
 * golden tests. Entries are handed out as they complete; on a damaged file every conversation is
 * ended first (so nothing already captured is lost), then the `CaptureFileError` naming the byte
 * offset is thrown.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { captureFileOpenError, CaptureFileError, CaptureFileParser } from '../capture/index.js';
import type { ConnectionInfo, Entry, Frame, ProtocolName } from '../model/index.js';
import type { RedactionPolicy } from '../correlate/index.js';
import { defaultRegistry } from '../protocols/index.js';
import { Pipeline } from './pipeline.js';

export interface ReadOptions {
  /** Only these protocols (default: all). */
  readonly protocols?: readonly ProtocolName[];
  /** Replace secrets before entries are handed out (see correlate/redact.ts); none when absent. */
  readonly redaction?: RedactionPolicy | null;
}

/** What a read found. Deterministic for a given file (no timings). */
export interface ReadSummary {
  packets: number;
  bytes: number;
  streams: number;
  entries: number;
  anomalies: number;
  byProtocol: Record<string, number>;
}

/** Dissect a capture given as chunks of its bytes. Throws the file's `CaptureFileError` after flushing. */
export function dissectBytes(chunks: Iterable<Uint8Array>, options: ReadOptions = {}): { entries: Entry[]; summary: ReadSummary } {
  const entries: Entry[] = [];
  const run = startRead(options, (entry) => entries.push(entry));
  run.feed(chunks);
  return { entries, summary: run.summary() };
}

/**
 * Dissect the capture file at `path`, streaming: `onEntry` sees each entry as it completes. `onSummary`
 * gets the summary even when the file turns out damaged (then the error, naming the file and the byte
 * offset, is thrown after it).
 */
export function dissectFile(
  path: string,
  onEntry: (entry: Entry, conn: ConnectionInfo) => void,
  options: ReadOptions = {},
  onSummary?: (summary: ReadSummary) => void,
): ReadSummary {
  const run = startRead(options, onEntry);
  try {
    run.feed(fileChunks(path));
  } catch (err) {
    throw err instanceof CaptureFileError ? err.withPath(path) : err;
  } finally {
    onSummary?.(run.summary());
  }
  return run.summary();
}

interface ReadRun {
  feed(chunks: Iterable<Uint8Array>): void;
  summary(): ReadSummary;
}

function startRead(options: ReadOptions, onEntry: (entry: Entry, conn: ConnectionInfo) => void): ReadRun {
  const registry = options.protocols?.length ? defaultRegistry().only(options.protocols) : defaultRegistry();
  const pipeline = new Pipeline({ registry, onEntry, resolution: 'unresolved', redaction: options.redaction ?? null });
  const parser = new CaptureFileParser();
  const push = (frames: Frame[]): void => {
    for (const frame of frames) pipeline.pushFrame(frame);
  };
  return {
    feed(chunks) {
      try {
        for (const chunk of chunks) push(parser.push(chunk));
        push(parser.end());
      } finally {
        pipeline.finish();
      }
    },
    summary() {
      const s = pipeline.stats();
      return { packets: s.packets, bytes: s.bytes, streams: s.streams, entries: s.entries, anomalies: s.anomalies, byProtocol: s.byProtocol };
    },
  };
}

const READ_CHUNK = 1 << 20;

/** One read; a failure (a directory, an I/O error) is the file's E_CAPTURE_OPEN naming the path. */
function readChunk(path: string, fd: number, buffer: Buffer): number {
  try {
    return readSync(fd, buffer, 0, READ_CHUNK, null);
  } catch (err) {
    throw captureFileOpenError(path, err, 'read');
  }
}

function* fileChunks(path: string): Generator<Uint8Array> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw captureFileOpenError(path, err, 'open');
  }
  try {
    // One buffer for the whole file: the parser copies what it keeps (frames, a partial record), so
    // each chunk is free again when the next is read.
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    for (;;) {
      const n = readChunk(path, fd, buffer);
      if (n === 0) return;
      yield buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}
