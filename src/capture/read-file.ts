/**
 * `readCaptureFile`: streams a pcap/pcapng file through `CaptureFileParser` with large reads into one
 * reused buffer (the parser copies what it keeps), calling `onFrame` for each frame in file order.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { PodsniffError, type Frame } from '../model/index.js';
import { CaptureFileError } from './errors.js';
import { FrameStats, type FrameSummary } from './frame-stats.js';
import { CaptureFileParser, type CaptureFormat } from './parser.js';

const DEFAULT_CHUNK_BYTES = 1 << 20;

/** Options of `readCaptureFile`. */
export interface ReadCaptureOptions {
  /** Bytes per read (default 1 MiB). */
  chunkBytes?: number;
  /** Stops reading between chunks; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What a file held: the frame summary plus its format and size. */
export interface CaptureFileSummary extends FrameSummary {
  format: CaptureFormat;
  fileBytes: number;
}

/**
 * Reads the capture file at `path`, calling `onFrame` synchronously for each frame; resolves with a
 * summary. Rejects with E_CAPTURE_OPEN when the file cannot be opened or read, and with a
 * `CaptureFileError` naming the path (E_CAPTURE_FORMAT / E_CAPTURE_TRUNCATED) after delivering every
 * frame before the damage.
 */
export async function readCaptureFile(
  path: string,
  onFrame: (frame: Frame) => void,
  options: ReadCaptureOptions = {},
): Promise<CaptureFileSummary> {
  const stats = new FrameStats();
  const parser = new CaptureFileParser((frame) => {
    stats.add(frame);
    onFrame(frame);
  });
  const file = await openFile(path);
  try {
    const fileBytes = await pump(file, path, parser, options);
    return { ...stats.summary(), format: parser.format ?? 'pcap', fileBytes };
  } catch (err) {
    throw err instanceof CaptureFileError ? err.withPath(path) : err;
  } finally {
    await file.close();
  }
}

async function pump(file: FileHandle, path: string, parser: CaptureFileParser, options: ReadCaptureOptions): Promise<number> {
  const buffer = new Uint8Array(options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  let total = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const n = await readChunk(file, path, buffer);
    if (n === 0) break;
    total += n;
    parser.push(buffer.subarray(0, n));
  }
  parser.end();
  return total;
}

async function openFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (err) {
    throw captureFileOpenError(path, err, 'open');
  }
}

async function readChunk(file: FileHandle, path: string, buffer: Uint8Array): Promise<number> {
  try {
    return (await file.read(buffer, 0, buffer.length, null)).bytesRead;
  } catch (err) {
    throw captureFileOpenError(path, err, 'read');
  }
}

/** E_CAPTURE_OPEN for a capture file that could not be opened or read: the path, why, and what to do. */
export function captureFileOpenError(path: string, err: unknown, action: 'open' | 'read'): PodsniffError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : String((err as Error).message);
  const hint =
    code === 'EACCES'
      ? 'make the file readable by this user (or run as its owner)'
      : 'check the path; give a pcap or pcapng file (e.g. written by tcpdump -w)';
  return new PodsniffError('E_CAPTURE_OPEN', `cannot ${action} capture file ${path}: ${why}`, hint, { cause: err });
}
