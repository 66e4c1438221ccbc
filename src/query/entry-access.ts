/**
 * Defensive readers of `Entry` parts for the field table. Entries may come from older writers or be
 * partially filled, so every reader tolerates missing objects and returns the empty value instead.
 * Pod name/namespace are read as optional properties: `PodRef` carries only `uid` until the Kubernetes
 * watcher fills in more.
 */
import type { DnsMessageDetail, Entry, Header } from '../model/index.js';

const NO_HEADERS: readonly Header[] = Object.freeze([]);
const NO_STRINGS: readonly string[] = Object.freeze([]);

export type Side = 'src' | 'dst';

/** A string property of an object that may lack it. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A finite number, else 0. */
export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function httpRequest(e: Entry) {
  return e.protocol === 'http' ? e.request : null;
}

export function httpResponse(e: Entry) {
  return e.protocol === 'http' ? e.response : null;
}

export function requestHeaders(e: Entry): readonly Header[] {
  return httpRequest(e)?.headers ?? NO_HEADERS;
}

export function responseHeaders(e: Entry): readonly Header[] {
  return httpResponse(e)?.headers ?? NO_HEADERS;
}

/** Decoded body text when it decoded as UTF-8, else "". */
export function bodyText(body: { decoded: string | null; decodedEncoding: string | null } | null | undefined): string {
  return body?.decodedEncoding === 'utf8' ? str(body.decoded) : '';
}

/** The message whose questions describe the query: the request, else the response. */
function dnsQuery(e: Entry): DnsMessageDetail | null {
  if (e.protocol !== 'dns') return null;
  return e.request ?? e.response ?? null;
}

/** A DNS name as filters see it: lower-case, without the trailing root dot. */
export function dnsName(name: string): string {
  const lower = name.toLowerCase();
  return lower.length > 1 && lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

export function dnsQuestionNames(e: Entry): readonly string[] {
  const questions = dnsQuery(e)?.questions;
  return questions?.length ? questions.map((q) => dnsName(str(q.name))) : NO_STRINGS;
}

export function dnsQuestionTypes(e: Entry): readonly string[] {
  const questions = dnsQuery(e)?.questions;
  return questions?.length ? questions.map((q) => str(q.type)) : NO_STRINGS;
}

/** Answer data as presentation text, a trailing root dot removed (`93.184.216.34`, `target.example.com`). */
export function dnsAnswerData(e: Entry): readonly string[] {
  const answers = e.protocol === 'dns' ? e.response?.answers : undefined;
  return answers?.length ? answers.map((a) => stripRootDot(str(a.data))) : NO_STRINGS;
}

function stripRootDot(s: string): string {
  return s.length > 1 && s.endsWith('.') ? s.slice(0, -1) : s;
}

export function dnsRcode(e: Entry): string {
  return e.protocol === 'dns' ? str(e.response?.rcode) : '';
}

/** The query string of an HTTP target (after `?`, before `#`), "" when none. */
export function queryString(target: string): string {
  const q = target.indexOf('?');
  if (q < 0) return '';
  const hash = target.indexOf('#', q);
  return target.slice(q + 1, hash < 0 ? undefined : hash);
}

export function anomalyCodes(e: Entry): readonly string[] {
  const list = e.anomalies;
  return list?.length ? list.map((a) => str(a.code)) : NO_STRINGS;
}
