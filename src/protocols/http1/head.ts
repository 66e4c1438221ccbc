/**
 * Message heads: the start line and header fields of one HTTP/1 message, plus what framing needs
 * (length, chunked, codings) read once while the fields are parsed. THE HOT PATH: one latin1 decode per
 * head, index arithmetic on that string, a name is lower-cased only when its length matches a field we
 * care about. Throws `Http1Error` on violations.
 */
import type { Header } from '../../model/index.js';
import { Http1Error } from './errors.js';
import { MAX_FIELDS, MAX_LINE_BYTES } from './limits.js';
import { readStartLine } from './start-line.js';

/** A parsed head. One class (one hidden shape) for requests and responses. */
export class Head {
  isRequest = false;
  method = '';
  target = '';
  status = 0;
  reason = '';
  version = '';
  headers: Header[] = [];
  /** Content-Length, or -1 when absent. */
  contentLength = -1;
  /** Transfer-Encoding ends in `chunked`. */
  chunked = false;
  /** Transfer-Encoding is present and does not end in `chunked`. */
  otherCoding = false;
  host: string | null = null;
  contentType: string | null = null;
  contentEncoding: string | null = null;
  /** An `Upgrade` field is present (the connection may switch protocols after this exchange). */
  upgrade = false;
}

/** Parses the head `text[0, end)` (without its final CRLFCRLF; `text` may run on past `end`). */
export function parseHead(text: string, end: number): Head {
  const head = new Head();
  let cr = text.indexOf('\r\n');
  if (cr < 0 || cr > end) cr = end;
  const lf = text.indexOf('\n');
  if ((lf >= 0 && lf < end && lf !== cr + 1) || cr + 1 > MAX_LINE_BYTES) throw new Http1Error('H1_BAD_START_LINE', 'bad start line');
  readStartLine(text.slice(0, cr), head);
  let at = cr + 2;
  let count = 0;
  while (at < end) {
    let stop = text.indexOf('\r\n', at);
    if (stop < 0 || stop > end) stop = end;
    if (++count > MAX_FIELDS) throw new Http1Error('H1_TOO_MANY_FIELDS', `more than ${MAX_FIELDS} header fields`);
    parseField(text, at, stop, head.headers, head);
    at = stop + 2;
  }
  return head;
}

/**
 * Parses the field line `text[at, stop)` into `fields`; `head` (when given) learns framing fields.
 * An obsolete folded line (starting with SP/HT) continues the previous field's value.
 */
export function parseField(text: string, at: number, stop: number, fields: Header[], head: Head | null): void {
  const c0 = text.charCodeAt(at);
  if (c0 === 0x20 || c0 === 0x09) return foldInto(text, at, stop, fields, head);
  const colon = text.indexOf(':', at);
  if (colon <= at || colon >= stop) throw badField(text, at, stop);
  const last = text.charCodeAt(colon - 1);
  if (last === 0x20 || last === 0x09) throw badField(text, at, stop);
  let vs = colon + 1;
  let ve = stop;
  while (vs < ve && isOws(text.charCodeAt(vs))) vs++;
  while (ve > vs && isOws(text.charCodeAt(ve - 1))) ve--;
  const name = text.slice(at, colon);
  const value = text.slice(vs, ve);
  fields.push([name, value]);
  if (head !== null) noteField(head, name, value);
}

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function foldInto(text: string, at: number, stop: number, fields: Header[], head: Head | null): void {
  const prev = fields[fields.length - 1];
  if (!prev) throw badField(text, at, stop);
  const value = `${prev[1]} ${text.slice(at, stop).trim()}`;
  fields[fields.length - 1] = [prev[0], value];
  if (head !== null) noteField(head, prev[0], value);
}

function badField(text: string, at: number, stop: number): Http1Error {
  return new Http1Error('H1_BAD_HEADER', `bad header field ${JSON.stringify(text.slice(at, Math.min(stop, at + 64)))}`);
}

/**
 * Records the fields framing and the message view need. A name is compared only when its length and
 * first letter (either case) fit; common spellings match by equality before any lower-casing.
 */
function noteField(head: Head, name: string, value: string): void {
  const c0 = name.charCodeAt(0) | 0x20;
  switch (name.length) {
    case 4:
      if (c0 === 0x68 && is(name, 'Host', 'host')) head.host = value;
      return;
    case 7:
      if (c0 === 0x75 && is(name, 'Upgrade', 'upgrade')) head.upgrade = true;
      return;
    case 12:
      if (c0 === 0x63 && is(name, 'Content-Type', 'content-type')) head.contentType = value;
      return;
    case 14:
      if (c0 === 0x63 && is(name, 'Content-Length', 'content-length')) head.contentLength = contentLength(value, head.contentLength);
      return;
    case 16:
      if (c0 === 0x63 && is(name, 'Content-Encoding', 'content-encoding')) head.contentEncoding = contentEncoding(value, head.contentEncoding);
      return;
    case 17:
      if (c0 === 0x74 && is(name, 'Transfer-Encoding', 'transfer-encoding')) transferEncoding(head, value);
      return;
  }
}

/** Case-insensitive equality with `lower`, trying the canonical spelling first. */
function is(name: string, canonical: string, lower: string): boolean {
  return name === canonical || name === lower || name.toLowerCase() === lower;
}

/** Content-Length: digits, or a list of identical values; conflicting values are a violation. */
function contentLength(value: string, previous: number): number {
  const fast = digits(value);
  if (fast >= 0 && (previous < 0 || previous === fast)) return fast;
  let n = -1;
  for (const part of value.includes(',') ? value.split(',') : [value]) {
    const v = part.trim();
    if (!/^\d{1,15}$/.test(v)) throw new Http1Error('H1_BAD_CONTENT_LENGTH', `bad Content-Length ${JSON.stringify(value.slice(0, 32))}`);
    const len = Number(v);
    if (n >= 0 && len !== n) throw new Http1Error('H1_BAD_CONTENT_LENGTH', 'conflicting Content-Length values');
    n = len;
  }
  if (previous >= 0 && previous !== n) throw new Http1Error('H1_BAD_CONTENT_LENGTH', 'conflicting Content-Length values');
  return n;
}

/** `value` as a decimal of at most 15 digits, or -1. */
function digits(value: string): number {
  const len = value.length;
  if (len === 0 || len > 15) return -1;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const d = value.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function contentEncoding(value: string, previous: string | null): string | null {
  const v = value.trim().toLowerCase();
  const joined = previous === null ? v : `${previous}, ${v}`;
  return joined === '' || joined === 'identity' ? null : joined;
}

/** Transfer-Encoding: chunked framing only when `chunked` is the final coding. */
function transferEncoding(head: Head, value: string): void {
  if (value === 'chunked') {
    head.chunked = true;
    head.otherCoding = false;
    return;
  }
  const codings = value.toLowerCase().split(',');
  const lastCoding = codings[codings.length - 1]!.trim();
  const chunked = lastCoding === 'chunked';
  if (lastCoding === '' && codings.length === 1) return;
  head.chunked = chunked;
  head.otherCoding = !chunked;
}
