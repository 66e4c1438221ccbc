/**
 * Errors of the capture stage. File damage is a `CaptureFileError` carrying the byte offset of the
 * damage; its message is self-contained (what is wrong, where, and what to do). Opening, binding and
 * filter failures are plain `PodsniffError`s with codes E_CAPTURE_OPEN, E_CAPTURE_UNAVAILABLE and
 * E_BAD_FILTER.
 */
import { PodsniffError } from '../model/index.js';

/** Codes a capture file can fail with while it is parsed. */
export type CaptureFileErrorCode = 'E_CAPTURE_FORMAT' | 'E_CAPTURE_TRUNCATED';

/**
 * A capture file that is not pcap/pcapng, is corrupt, or stops mid-record. `offset` is the byte offset
 * of the damage: the start of the bad or incomplete record (0 when the file is not a capture at all).
 * Every frame before `offset` is intact and was delivered before this error was thrown.
 */
export class CaptureFileError extends PodsniffError {
  declare readonly code: CaptureFileErrorCode;
  /** Byte offset of the damage in the input. */
  readonly offset: number;
  /** What is wrong, without location or advice (e.g. "record captured length 300000 exceeds 262144"). */
  readonly reason: string;
  /** The file the error belongs to, when known. */
  readonly path: string | undefined;

  constructor(code: CaptureFileErrorCode, offset: number, reason: string, path?: string, options?: { cause?: unknown }) {
    const hint = adviceFor(code, offset, path);
    super(code, `${path ? `${path}: ` : ''}byte offset ${offset}: ${reason}; ${hint}`, hint, options);
    this.name = 'CaptureFileError';
    this.offset = offset;
    this.reason = reason;
    this.path = path;
  }

  /** The same error naming `path` (readers add the file name to errors of the sans-IO parser). */
  withPath(path: string): CaptureFileError {
    return new CaptureFileError(this.code, this.offset, this.reason, path, { cause: this });
  }

  /** The message already contains the hint. */
  override toLine(): string {
    return this.message;
  }
}

function adviceFor(code: CaptureFileErrorCode, offset: number, path: string | undefined): string {
  const file = path ?? '<file>';
  if (code === 'E_CAPTURE_FORMAT' && offset === 0) {
    return 'give a capture written by tcpdump -w or dumpcap -w, or convert one with `editcap -F pcap <in> <out>`';
  }
  const keep = `keep the intact part with \`head -c ${offset} ${file} > fixed.pcap\``;
  return code === 'E_CAPTURE_TRUNCATED'
    ? `the frames before it were read; if the capture is still being written read it again when it is complete, or ${keep}`
    : `the frames before it were read; the file is damaged from there on: ${keep}, or capture again`;
}

/** The input is not a capture file (offset 0). */
export function notACaptureFile(first: Uint8Array): CaptureFileError {
  const hex = Array.from(first.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const what = first.length === 0 ? 'the input is empty' : `it starts with bytes ${hex}`;
  return new CaptureFileError('E_CAPTURE_FORMAT', 0, `not a pcap or pcapng file (${what})`);
}

/** A record or block whose header makes no sense. */
export function corrupt(offset: number, reason: string): CaptureFileError {
  return new CaptureFileError('E_CAPTURE_FORMAT', offset, `capture file is corrupt: ${reason}`);
}

/** The input stopped inside the record starting at `offset`. */
export function truncated(offset: number, have: number, need: number, unit: string): CaptureFileError {
  const reason = `capture file ends inside ${unit} (${need} bytes needed from there, ${have} present)`;
  return new CaptureFileError('E_CAPTURE_TRUNCATED', offset, reason);
}
