/**
 * Content decoding for message bodies: undoes `Content-Encoding` (gzip, deflate in zlib or raw form,
 * br) with zlib's synchronous functions, capped in output, and tells text from binary. Contract: never
 * throws; a failure is returned as a `ContentDecodeError` value with a stable code.
 */
import { isUtf8 } from 'node:buffer';
import { brotliDecompressSync, constants, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/** Decoded output per body at most (a compression bomb stops here). */
export const DECODED_LIMIT = 8 * 1024 * 1024;

export type ContentDecodeCode = 'E_CONTENT_UNSUPPORTED' | 'E_CONTENT_CORRUPT' | 'E_CONTENT_TOO_LARGE';

/** Why a body could not be content-decoded. */
export class ContentDecodeError extends Error {
  constructor(
    readonly code: ContentDecodeCode,
    message: string,
  ) {
    super(message);
    this.name = 'ContentDecodeError';
  }
}

const ZLIB_OPTS = { maxOutputLength: DECODED_LIMIT, finishFlush: constants.Z_SYNC_FLUSH };
const BROTLI_OPTS = { maxOutputLength: DECODED_LIMIT, finishFlush: constants.BROTLI_OPERATION_FLUSH };

/**
 * Undoes `encoding` (a Content-Encoding value, possibly a list applied left to right). `bytes` may be
 * a cut-off prefix of the body: the decoders flush what they can instead of failing on a short input.
 */
export function decodeContent(bytes: Buffer, encoding: string): Buffer | ContentDecodeError {
  const codings = encoding.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c && c !== 'identity');
  let out = bytes;
  for (let i = codings.length - 1; i >= 0; i--) {
    const step = decodeOne(out, codings[i]!);
    if (step instanceof ContentDecodeError) return step;
    out = step;
  }
  return out;
}

function decodeOne(bytes: Buffer, coding: string): Buffer | ContentDecodeError {
  try {
    switch (coding) {
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(bytes, ZLIB_OPTS);
      case 'deflate':
        return looksLikeZlib(bytes) ? inflateSync(bytes, ZLIB_OPTS) : inflateRawSync(bytes, ZLIB_OPTS);
      case 'br':
        return brotliDecompressSync(bytes, BROTLI_OPTS);
      default:
        return new ContentDecodeError('E_CONTENT_UNSUPPORTED', `unsupported content-encoding ${coding}`);
    }
  } catch (err) {
    const tooLarge = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    return tooLarge
      ? new ContentDecodeError('E_CONTENT_TOO_LARGE', `${coding} output exceeds ${DECODED_LIMIT} bytes`)
      : new ContentDecodeError('E_CONTENT_CORRUPT', `${coding}: ${(err as Error).message}`);
  }
}

/** RFC 1950 header: CM=8 and the check bits. "deflate" is often sent raw (RFC 1951) instead. */
function looksLikeZlib(b: Buffer): boolean {
  return b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0;
}

const TEXT_TYPE = /^(?:text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|javascript|ecmascript|x-www-form-urlencoded|graphql|yaml|x-yaml|x-ndjson|problem\+json)\b)|\+(?:json|xml)\b/i;

const typeCache = new Map<string, boolean>();

/** True when a Content-Type names a textual media type. Verdicts are cached (few distinct values). */
export function isTextualType(contentType: string | null): boolean {
  if (contentType === null) return false;
  if (contentType.startsWith('application/json') || contentType.startsWith('text/')) return true;
  let v = typeCache.get(contentType);
  if (v === undefined) {
    v = TEXT_TYPE.test(contentType);
    if (typeCache.size >= 512) typeCache.clear();
    typeCache.set(contentType, v);
  }
  return v;
}

/**
 * True when `bytes` read as UTF-8 text: valid UTF-8 without NUL. When `cut` (a prefix of a longer body),
 * a multi-byte character split at the end is tolerated.
 */
export function looksLikeText(bytes: Buffer, cut: boolean): boolean {
  if (bytes.indexOf(0) !== -1) return false;
  return isUtf8(cut ? bytes.subarray(0, completeUtf8Length(bytes)) : bytes);
}

/** Length of `bytes` without a trailing incomplete UTF-8 sequence. */
function completeUtf8Length(bytes: Buffer): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const c = bytes[n - back]!;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}
