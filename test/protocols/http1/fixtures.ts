/** HTTP/1 byte fixtures and accessors shared by the HTTP/1 tests. */
import type { HttpRequestMessage, HttpResponseMessage, ProtocolMessage } from '../../../src/protocols/types.js';

export const CRLF = '\r\n';

/** A message from a start line, header lines and a body (bytes as latin1). */
export function msg(start: string, headers: readonly string[] = [], body: string | Buffer = ''): Buffer {
  const head = Buffer.from([start, ...headers].join(CRLF) + CRLF + CRLF, 'latin1');
  return Buffer.concat([head, typeof body === 'string' ? Buffer.from(body, 'latin1') : body]);
}

export const get = (path: string, host = 'svc.local', extra: readonly string[] = []): Buffer => msg(`GET ${path} HTTP/1.1`, [`Host: ${host}`, ...extra]);

export function ok(body: string, extra: readonly string[] = [], status = '200 OK'): Buffer {
  return msg(`HTTP/1.1 ${status}`, [`Content-Length: ${Buffer.byteLength(body, 'latin1')}`, ...extra], body);
}

/** Chunked body text from chunks (each `[data, ext?]`), then the trailer lines. */
export function chunked(chunks: readonly (readonly [string, string?])[], trailers: readonly string[] = []): string {
  const parts = chunks.map(([d, ext]) => `${d.length.toString(16)}${ext ?? ''}${CRLF}${d}${CRLF}`);
  return parts.join('') + `0${CRLF}` + trailers.map((t) => t + CRLF).join('') + CRLF;
}

export const requests = (ms: readonly ProtocolMessage[]): HttpRequestMessage[] =>
  ms.filter((m): m is HttpRequestMessage => m.protocol === 'http' && m.kind === 'request');
export const responses = (ms: readonly ProtocolMessage[]): HttpResponseMessage[] =>
  ms.filter((m): m is HttpResponseMessage => m.protocol === 'http' && m.kind === 'response');

/** A compact view of the emitted sequence: `GET /a`, `200`, ... */
export const sequence = (ms: readonly ProtocolMessage[]): string[] =>
  ms.map((m) => (m.protocol === 'http' ? (m.kind === 'request' ? `${m.detail.method} ${m.detail.target}` : String(m.detail.status)) : 'dns'));
