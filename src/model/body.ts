/** Message bodies as entries carry them: the wire bytes kept, plus a decoded view for display. */

/** Bytes kept per body at most; the rest is counted in `size` and flagged `body-capped`. */
export const BODY_KEEP_LIMIT = 64 * 1024;

export interface Body {
  /** Body bytes on the wire after transfer decoding (chunked removed), before content decoding. */
  readonly size: number;
  /** Content-Encoding applied (`gzip`, `deflate`, `br`) or null. */
  readonly contentEncoding: string | null;
  /** Content-Type as sent, or null. */
  readonly contentType: string | null;
  /**
   * The first `BODY_KEEP_LIMIT` wire bytes, base64; null when `decoded` already holds exactly those
   * bytes (no content-encoding, and UTF-8 text that round-trips or base64), so they are not repeated,
   * and null when the body was redacted (the wire bytes held the secret; see `Entry.redacted`).
   */
  readonly raw: string | null;
  /** Decoded body (content-encoding undone) as UTF-8 text when it is text, else base64. */
  readonly decoded: string | null;
  readonly decodedEncoding: 'utf8' | 'base64' | null;
  /** True when `raw` holds fewer bytes than `size`, or the body was cut by close/gap/end of capture. */
  readonly truncated: boolean;
}
