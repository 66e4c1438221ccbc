/** Typed HTTP/1 protocol violations. Codes are stable; they appear in anomaly details. */

export type Http1ErrorCode =
  | 'H1_BAD_START_LINE'
  | 'H1_BAD_HEADER'
  | 'H1_HEAD_TOO_LARGE'
  | 'H1_TOO_MANY_FIELDS'
  | 'H1_BAD_CONTENT_LENGTH'
  | 'H1_BAD_TRANSFER_ENCODING'
  | 'H1_BAD_CHUNK_SIZE'
  | 'H1_BAD_CHUNK_END'
  | 'H1_BAD_TRAILER'
  | 'H1_LINE_TOO_LONG';

/** Bytes that violate HTTP/1 framing; the session reports them and resynchronises. */
export class Http1Error extends Error {
  constructor(
    readonly code: Http1ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'Http1Error';
  }

  /** The anomaly detail: code and message. */
  get detail(): string {
    return `${this.code}: ${this.message}`;
  }
}
