/** fast-check generators of HTTP/1 exchanges: the bytes and the messages a parser should report. */
import fc from 'fast-check';
import type { Header } from '../../../src/model/index.js';

export interface GenMessage {
  readonly start: string;
  readonly headers: Header[];
  readonly body: Buffer;
  readonly framing: 'none' | 'length' | 'chunked';
  readonly chunks: number[];
  readonly trailers: Header[];
}

export interface GenExchange {
  readonly method: string;
  readonly request: GenMessage;
  readonly response: GenMessage;
  readonly status: number;
}

const token = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'.split('')), minLength: 1, maxLength: 12 });
const value = fc.string({ unit: fc.constantFrom(...' abcdefghijklmnopqrstuvwxyz0123456789=;,/.:()-'.split('')), maxLength: 30 }).map((v) => v.trim());
const reserved = /^(content-length|transfer-encoding|upgrade|content-encoding|connection|host|expect)$/i;
const headers = fc.array(fc.tuple(token, value), { maxLength: 8 }).map((hs) => hs.filter(([n]) => !reserved.test(n)) as Header[]);
const path = fc.string({ unit: fc.constantFrom(...'abcxyz0123/-_.'.split('')), maxLength: 20 }).map((p) => `/${p}`);
const query = fc.option(fc.string({ unit: fc.constantFrom(...'abc=&12'.split('')), maxLength: 10 }), { nil: undefined });
const bodyBytes = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b));

function framed(start: string, hs: Header[], body: Buffer, framing: GenMessage['framing'], cuts: number[], trailers: Header[]): GenMessage {
  const chunks: number[] = [];
  if (framing === 'chunked') {
    let at = 0;
    for (const c of [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b)) {
      if (c > at) chunks.push(c - at);
      at = Math.max(at, c);
    }
    if (body.length > at) chunks.push(body.length - at);
  }
  const fieldLines: Header[] = [...hs];
  if (framing === 'length') fieldLines.push(['Content-Length', String(body.length)]);
  if (framing === 'chunked') fieldLines.push(['Transfer-Encoding', 'chunked']);
  return { start, headers: fieldLines, body, framing, chunks, trailers: framing === 'chunked' ? trailers : [] };
}

export const exchange: fc.Arbitrary<GenExchange> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS'),
    path,
    query,
    reqHeaders: headers,
    reqBody: bodyBytes,
    reqFraming: fc.constantFrom('none', 'length', 'chunked'),
    reqCuts: fc.array(fc.nat(), { maxLength: 4 }),
    status: fc.constantFrom(200, 201, 204, 301, 304, 404, 500),
    resHeaders: headers,
    resBody: bodyBytes,
    resFraming: fc.constantFrom('length', 'chunked'),
    resCuts: fc.array(fc.nat(), { maxLength: 4 }),
    trailers: fc.array(fc.tuple(token, value), { maxLength: 2 }),
  })
  .map((r) => {
    const reqFraming = r.reqFraming;
    const reqBody = reqFraming === 'none' ? Buffer.alloc(0) : r.reqBody;
    const target = r.query === undefined ? r.path : `${r.path}?${r.query}`;
    const noBody = r.method === 'HEAD' || r.status === 204 || r.status === 304;
    const resFraming = r.resFraming as GenMessage['framing'];
    const request = framed(`${r.method} ${target} HTTP/1.1`, r.reqHeaders, reqBody, reqFraming, r.reqCuts, r.trailers);
    const response = framed(`HTTP/1.1 ${r.status} Reason`, r.resHeaders, noBody ? Buffer.alloc(0) : r.resBody, noBody && r.status !== 304 && r.method !== 'HEAD' ? 'none' : resFraming, r.resCuts, r.trailers);
    // A HEAD or 304 response may announce a length without sending a body.
    const resWire = r.method === 'HEAD' || r.status === 304 ? { ...response, headers: response.headers.map((h): Header => (h[0] === 'Content-Length' ? [h[0], String(r.resBody.length)] : h)) } : response;
    return { method: r.method, request, response: resWire, status: r.status };
  });

/** Wire bytes of a generated message. */
export function wire(m: GenMessage, bodyless = false): Buffer {
  const head = Buffer.from(`${m.start}\r\n${m.headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`, 'latin1');
  if (bodyless || m.framing === 'none') return head;
  if (m.framing === 'length') return Buffer.concat([head, m.body]);
  const parts: Buffer[] = [head];
  let at = 0;
  for (const n of m.chunks) {
    parts.push(Buffer.from(`${n.toString(16)}\r\n`), m.body.subarray(at, at + n), Buffer.from('\r\n'));
    at += n;
  }
  parts.push(Buffer.from(`0\r\n${m.trailers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`, 'latin1'));
  return Buffer.concat(parts);
}

/** True when the response to `e` carries no body on the wire. */
export const responseBodyless = (e: GenExchange): boolean => e.method === 'HEAD' || e.status === 204 || e.status === 304;
