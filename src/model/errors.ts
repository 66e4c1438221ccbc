/**
 * Typed errors with stable codes. Every error a user can see is a `PodsniffError`: `code` never changes
 * meaning between releases, `message` says what happened, `hint` says what to do about it.
 */

/** Stable error codes. Add, never rename. */
export type ErrorCode =
  | 'E_USAGE'
  | 'E_PROCFS_UNREADABLE'
  | 'E_PORT_IN_USE'
  | 'E_LISTEN'
  | 'E_BAD_ADDRESS'
  | 'E_BAD_QUERY'
  | 'E_NOT_IMPLEMENTED'
  | 'E_SCAN_CANCELLED'
  /** A capture file is not pcap/pcapng, or is corrupt at a byte offset. */
  | 'E_CAPTURE_FORMAT'
  /** A capture file ends in the middle of a record. */
  | 'E_CAPTURE_TRUNCATED'
  /** A capture file or interface cannot be opened (missing, permission, no such device). */
  | 'E_CAPTURE_OPEN'
  /** Live capture is not available in this installation (libpcap binding missing). */
  | 'E_CAPTURE_UNAVAILABLE'
  /** A BPF filter expression did not compile. */
  | 'E_BAD_FILTER'
  /** A link type podsniff cannot decode. */
  | 'E_UNSUPPORTED_LINK'
  /** A dashboard filter expression does not parse or does not type-check (has a position). */
  | 'E_QUERY_SYNTAX'
  | 'E_QUERY_TYPE'
  /** A filter is over a safety bound (length, nesting, list size, regex shape). */
  | 'E_QUERY_LIMIT'
  /** The entry store cannot be opened or written (path, permission, disk, corruption). */
  | 'E_STORE_OPEN'
  | 'E_STORE_WRITE'
  /** Live capture needs a privilege this process lacks (CAP_NET_RAW). */
  | 'E_CAPTURE_PERMISSION'
  /** A live capture that was running stopped (its thread failed); it is restarted with backoff. */
  | 'E_CAPTURE_FAILED'
  /** A file named on the command line is missing, unreadable, or not the kind of file expected. */
  | 'E_FILE'
  /** A bad value for an option (duration, size, state, …) outside commander's own parsing. */
  | 'E_BAD_OPTION'
  /** An error nothing caught; logged and counted, the process goes on. */
  | 'E_UNCAUGHT'
  /** A bug: an error podsniff did not expect (run with --debug for its stack). */
  | 'E_INTERNAL';

/** Base class of podsniff errors. */
export class PodsniffError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PodsniffError';
    this.code = code;
    this.hint = hint;
  }

  /** One line for a terminal: message, then the hint. */
  toLine(): string {
    return this.hint ? `${this.message}; ${this.hint}` : this.message;
  }
}
