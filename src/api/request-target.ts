/**
 * Parsing of a request's target (`req.url`) into a path and query, for routes to read without ever
 * throwing on what a client sent. A target the server cannot read is an `HttpError` 400 with a stable
 * code: `E_BAD_TARGET` (not origin-form or absolute-form, or not parseable as a URL) or `E_BAD_ENCODING`
 * (a `%` not followed by two hex digits, or percent-encoded bytes that are not UTF-8). Node's `URL`
 * accepts `%zz` and turns bad UTF-8 into U+FFFD silently; a filter or an id that arrived damaged must be
 * refused, not answered for a different text.
 */
import { HttpError } from './http-error.js';

/** The parts of a request target that routes read. `pathname` stays percent-encoded. */
export interface RequestTarget {
  readonly pathname: string;
  readonly searchParams: URLSearchParams;
}

/** A `%` that does not start a two-hex-digit escape. */
const MALFORMED_PERCENT = /%(?![0-9A-Fa-f]{2})/;

/** Parse `raw` (the request line's target); throws `HttpError` 400 on anything a route cannot trust. */
export function parseRequestTarget(raw: string | undefined): RequestTarget {
  const target = raw ?? '/';
  if (!target.startsWith('/') && !/^https?:\/\//i.test(target)) {
    throw new HttpError(400, 'E_BAD_TARGET', 'the request target must be a path such as /api/v1/entries');
  }
  if (MALFORMED_PERCENT.test(target)) {
    throw new HttpError(400, 'E_BAD_ENCODING', 'malformed percent-encoding in the request target: a "%" must be followed by two hex digits');
  }
  let url: URL;
  try {
    // Prefixed rather than resolved against a base, so `//x` stays a path instead of naming a host.
    url = new URL(target.startsWith('/') ? `http://localhost${target}` : target);
  } catch {
    throw new HttpError(400, 'E_BAD_TARGET', 'the request target is not a valid URL path');
  }
  checkPathEncoding(url.pathname);
  checkQueryEncoding(url.search);
  return { pathname: url.pathname, searchParams: url.searchParams };
}

/** Decode one percent-encoded path segment (an entry id); throws `HttpError` 400 when it is not UTF-8. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'E_BAD_ENCODING', 'malformed percent-encoding in the path: the bytes are not UTF-8');
  }
}

function checkPathEncoding(pathname: string): void {
  if (pathname.includes('%')) decodePathSegment(pathname);
}

function checkQueryEncoding(search: string): void {
  if (!search.includes('%')) return;
  try {
    decodeURIComponent(search.slice(1).replace(/\+/g, ' '));
  } catch {
    throw new HttpError(400, 'E_BAD_ENCODING', 'malformed percent-encoding in the query: the bytes are not UTF-8');
  }
}
