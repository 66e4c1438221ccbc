/**
 * Body collection for message dissectors: counts every body byte, keeps (copies) only the first
 * BODY_KEEP_LIMIT, and builds the model's `Body` with content decoding and a text/binary view.
 * Contract: each body byte is copied at most once; `addLast` keeps a reference to the caller's bytes
 * without copying and is only valid when `build` runs before the caller's call returns.
 */
import { BODY_KEEP_LIMIT, type Anomaly, type Body } from '../../model/index.js';
import { ContentDecodeError, decodeContent, isTextualType, looksLikeText } from './content.js';
import { base64, utf8 } from './slices.js';

/** The body of one message while it arrives: a byte count and the kept prefix. */
export class BodyCollector {
  /** Body bytes seen, including bytes lost in gaps. */
  size = 0;
  /** The body was cut short (gap, or the message ended early). */
  cut = false;
  private parts: Buffer[] | null = null;
  private kept = 0;
  private last: Buffer | null = null;
  private lastStart = 0;
  private lastEnd = 0;

  /** Counts `view[s, e)` and copies what fits under the keep limit. */
  add(view: Buffer, s: number, e: number): void {
    this.size += e - s;
    const take = Math.min(e - s, BODY_KEEP_LIMIT - this.kept);
    if (take <= 0) return;
    const parts = (this.parts ??= []);
    parts.push(Buffer.from(view.subarray(s, s + take)));
    this.kept += take;
    // Many tiny pieces (1-byte chunks) would cost far more than their bytes: coalesce now and then.
    if (parts.length > 32) this.parts = [Buffer.concat(parts, this.kept)];
  }

  /** Counts `view[s, e)` as the final bytes, referencing them without a copy (build in this call). */
  addLast(view: Buffer, s: number, e: number): void {
    if (this.parts !== null || this.last !== null) return this.add(view, s, e);
    this.size += e - s;
    this.last = view;
    this.lastStart = s;
    this.lastEnd = s + Math.min(e - s, BODY_KEEP_LIMIT);
  }

  /** `n` body bytes were lost. */
  skip(n: number): void {
    this.size += n;
    this.cut = true;
  }

  /** The body (null when there were no body bytes); pushes body anomalies into `anomalies`. */
  build(contentEncoding: string | null, contentType: string | null, anomalies: Anomaly[]): Body | null {
    if (this.size === 0 && !this.cut) return null;
    if (this.last !== null) {
      return buildBody(this.last, this.lastStart, this.lastEnd, this.size, this.cut, contentEncoding, contentType, anomalies);
    }
    const parts = this.parts ?? [];
    const kept = parts.length === 1 ? parts[0]! : Buffer.concat(parts, this.kept);
    return buildBody(kept, 0, kept.length, this.size, this.cut, contentEncoding, contentType, anomalies);
  }
}

/**
 * Builds a `Body` from the kept bytes `buf[s, e)` of a body of `size` bytes; pushes `body-capped` /
 * `decode-failed` into `anomalies`.
 */
export function buildBody(
  buf: Buffer,
  s: number,
  e: number,
  size: number,
  cut: boolean,
  contentEncoding: string | null,
  contentType: string | null,
  anomalies: Anomaly[],
): Body {
  const keptLen = e - s;
  if (keptLen >= BODY_KEEP_LIMIT && size > keptLen) anomalies.push({ code: 'body-capped', detail: `kept ${keptLen} of ${size} body bytes` });
  const partial = keptLen < size || cut;
  let plain: Buffer | null = buf;
  let ps = s;
  let pe = e;
  if (contentEncoding !== null && keptLen > 0) {
    const decoded = decodeContent(buf.subarray(s, e), contentEncoding);
    if (decoded instanceof ContentDecodeError) {
      anomalies.push({ code: 'decode-failed', detail: `${decoded.code}: ${decoded.message}` });
      plain = null;
    } else {
      plain = decoded;
      ps = 0;
      pe = decoded.length;
    }
  }
  if (plain === null) return { size, contentEncoding, contentType, raw: base64(buf, s, e), decoded: null, decodedEncoding: null, truncated: partial };
  const text = isTextualType(contentType) || looksLikeText(plain.subarray(ps, pe), partial);
  const decoded = text ? utf8(plain, ps, pe) : base64(plain, ps, pe);
  // Without a content-encoding, `decoded` often already is the wire bytes: then `raw` would only
  // repeat them (half the output of a read), so it is null. Text counts only if it round-trips.
  const same = plain === buf && (!text || (!decoded.includes('\uFFFD') && Buffer.byteLength(decoded) === keptLen));
  return {
    size,
    contentEncoding,
    contentType,
    raw: same ? null : base64(buf, s, e),
    decoded,
    decodedEncoding: text ? 'utf8' : 'base64',
    truncated: partial,
  };
}
