/**
 * HTTP/1 start lines. Parsing inside a detected connection is lenient about the method (any token);
 * detection and resynchronisation are strict (known methods, `HTTP/1.0|1.1`, no spaces in the target)
 * so random bytes do not look like a message start. `PRI * HTTP/2.0` (the HTTP/2 preface) is not HTTP/1.
 */
import { Http1Error } from './errors.js';

/** Methods recognised by detection and resynchronisation (RFC 9110, WebDAV, PATCH, common extensions). */
export const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT', 'MKACTIVITY',
  'CHECKOUT', 'MERGE', 'MKCALENDAR', 'ACL', 'BIND', 'UNBIND', 'REBIND', 'VERSION-CONTROL', 'MKWORKSPACE',
  'UPDATE', 'LABEL', 'BASELINE-CONTROL', 'ORDERPATCH', 'M-SEARCH', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE',
  'PURGE', 'LINK', 'UNLINK', 'SOURCE',
]);
const METHOD_LIST = [...KNOWN_METHODS];

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const STRICT_REQUEST = /^([A-Z][A-Z-]*) [\x21-\x7e]+ HTTP\/1\.[01]$/;
const STRICT_STATUS = /^HTTP\/1\.[01] [1-5]\d\d(?: [^\r\n]*)?$/;

/** Which start lines a resynchronising direction accepts. */
export type StartRole = 'request' | 'response' | 'any';

/** Where start-line fields are written (a message head). */
export interface StartLineFields {
  isRequest: boolean;
  method: string;
  target: string;
  status: number;
  reason: string;
  version: string;
}

/** Parses a request line (without CRLF) into `out`, leniently; throws `H1_BAD_START_LINE`. */
export function readRequestLine(line: string, out: StartLineFields): void {
  const sp1 = line.indexOf(' ');
  const sp2 = line.lastIndexOf(' ');
  if (sp1 <= 0 || sp2 <= sp1 + 1 || sp2 !== line.length - 9) throw badStart(line);
  const version = line.slice(sp2 + 1);
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0') throw badStart(line);
  const method = line.slice(0, sp1);
  if (method !== 'GET' && method !== 'POST' && !KNOWN_METHODS.has(method) && !TOKEN.test(method)) throw badStart(line);
  out.isRequest = true;
  out.method = method;
  out.target = line.slice(sp1 + 1, sp2);
  out.version = version;
}

/** Parses a status line (without CRLF) into `out`; throws `H1_BAD_START_LINE`. */
export function readStatusLine(line: string, out: StartLineFields): void {
  const v = line.charCodeAt(7);
  if (!line.startsWith('HTTP/1.') || (v !== 0x30 && v !== 0x31) || line.charCodeAt(8) !== 0x20) throw badStart(line);
  const status = threeDigits(line, 9);
  if (status < 100 || (line.length > 12 && line.charCodeAt(12) !== 0x20)) throw badStart(line);
  out.status = status;
  out.reason = line.length > 13 ? line.slice(13) : '';
  out.version = v === 0x31 ? 'HTTP/1.1' : 'HTTP/1.0';
}

/** Parses either start line (without CRLF) into `out`; throws `H1_BAD_START_LINE`. */
export function readStartLine(line: string, out: StartLineFields): void {
  if (line.charCodeAt(0) === 0x48 && line.startsWith('HTTP/')) readStatusLine(line, out);
  else readRequestLine(line, out);
}

function threeDigits(s: string, at: number): number {
  let n = 0;
  for (let i = at; i < at + 3; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

function badStart(line: string): Http1Error {
  return new Http1Error('H1_BAD_START_LINE', `bad start line ${JSON.stringify(line.slice(0, 64))}`);
}

/** Strict check of a complete start line (without CRLF) for detection and resynchronisation. */
export function isStrictStartLine(line: string, role: StartRole): boolean {
  if (line.startsWith('HTTP/')) return role !== 'request' && STRICT_STATUS.test(line);
  if (role === 'response') return false;
  const m = STRICT_REQUEST.exec(line);
  return m !== null && KNOWN_METHODS.has(m[1]!);
}

/**
 * Strict check of the line `buf[s, lf)` where `buf[lf]` is LF: it must end with CR, fit the line limit
 * and be a start line for `role`.
 */
export function isStrictStartLineAt(buf: Uint8Array, s: number, lf: number, role: StartRole, maxLine: number): boolean {
  const len = lf - s;
  if (len < 13 || len > maxLine || buf[lf - 1] !== 0x0d) return false;
  const c = buf[s]!;
  if (c < 0x41 || c > 0x5a) return false;
  return isStrictStartLine(Buffer.from(buf.buffer, buf.byteOffset + s, len - 1).toString('latin1'), role);
}

/** True while `partial` (a first line without LF, maybe ending in CR) can still become a strict start line. */
export function couldBecomeStartLine(partial: string): boolean {
  return couldBecomeStatusLine(partial) || couldBecomeRequestLine(partial);
}

function couldBecomeStatusLine(s: string): boolean {
  if (s.length <= 9) return 'HTTP/1.1 '.startsWith(s) || 'HTTP/1.0 '.startsWith(s);
  return /^HTTP\/1\.[01] \d{0,3}$/.test(s) || /^HTTP\/1\.[01] [1-5]\d\d(?: [^\r\n]*)?\r?$/.test(s);
}

function couldBecomeRequestLine(s: string): boolean {
  const sp1 = s.indexOf(' ');
  if (sp1 < 0) return METHOD_LIST.some((m) => m.startsWith(s));
  if (!KNOWN_METHODS.has(s.slice(0, sp1))) return false;
  const sp2 = s.indexOf(' ', sp1 + 1);
  if (sp2 < 0) return /^[\x21-\x7e]*$/.test(s.slice(sp1 + 1));
  if (sp2 === sp1 + 1 || !/^[\x21-\x7e]+$/.test(s.slice(sp1 + 1, sp2))) return false;
  const version = s.slice(sp2 + 1);
  return 'HTTP/1.1\r'.startsWith(version) || 'HTTP/1.0\r'.startsWith(version);
}
