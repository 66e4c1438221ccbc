import { describe, expect, it } from 'vitest';
import { Http1Error } from '../../../src/protocols/http1/errors.js';
import { parseHead } from '../../../src/protocols/http1/head.js';

const parse = (text: string) => parseHead(text, text.length);
const code = (text: string) => {
  try {
    parse(text);
    return null;
  } catch (err) {
    return (err as Http1Error).code;
  }
};

describe('HTTP/1 head', () => {
  it('reads request framing fields in any case', () => {
    const h = parse('POST /x HTTP/1.1\r\nhOsT: a\r\ncontent-LENGTH: 12\r\nContent-Type: text/plain\r\nCONTENT-ENCODING: GZip\r\nUpgrade: websocket');
    expect(h).toMatchObject({ isRequest: true, method: 'POST', target: '/x', version: 'HTTP/1.1', host: 'a', contentLength: 12, contentType: 'text/plain', contentEncoding: 'gzip', upgrade: true });
  });

  it('reads status lines with and without a reason', () => {
    expect(parse('HTTP/1.1 404 Not Found')).toMatchObject({ isRequest: false, status: 404, reason: 'Not Found', version: 'HTTP/1.1' });
    expect(parse('HTTP/1.0 200')).toMatchObject({ status: 200, reason: '', version: 'HTTP/1.0' });
    expect(parse('HTTP/1.1 200 ')).toMatchObject({ status: 200, reason: '' });
  });

  it('trims optional whitespace around values and keeps empty values', () => {
    expect(parse('GET / HTTP/1.1\r\nA:  x y \t\r\nB:\r\nC:z').headers).toEqual([['A', 'x y'], ['B', ''], ['C', 'z']]);
  });

  it('decides chunked framing by the final transfer coding', () => {
    expect(parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked')).toMatchObject({ chunked: true, otherCoding: false });
    expect(parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip')).toMatchObject({ chunked: false, otherCoding: true });
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 5, 5')).toMatchObject({ contentLength: 5 });
  });

  it('accepts any token method in a detected stream', () => {
    expect(parse('FROBNICATE /x HTTP/1.1')).toMatchObject({ method: 'FROBNICATE' });
  });

  it('rejects malformed heads with stable codes', () => {
    expect(code('GET / HTTP/1.2')).toBe('H1_BAD_START_LINE');
    expect(code('GET /\nX HTTP/1.1')).toBe('H1_BAD_START_LINE');
    expect(code('HTTP/1.1 20 OK')).toBe('H1_BAD_START_LINE');
    expect(code('HTTP/1.1 200OK')).toBe('H1_BAD_START_LINE');
    expect(code('G(T / HTTP/1.1')).toBe('H1_BAD_START_LINE');
    expect(code('GET / HTTP/1.1\r\nNoColon')).toBe('H1_BAD_HEADER');
    expect(code('GET / HTTP/1.1\r\nName : v')).toBe('H1_BAD_HEADER');
    expect(code('GET / HTTP/1.1\r\n: v')).toBe('H1_BAD_HEADER');
    expect(code('GET / HTTP/1.1\r\n folded-first')).toBe('H1_BAD_HEADER');
    expect(code('GET / HTTP/1.1\r\nContent-Length: -1')).toBe('H1_BAD_CONTENT_LENGTH');
    expect(code('GET / HTTP/1.1\r\nContent-Length: 1, 2')).toBe('H1_BAD_CONTENT_LENGTH');
    expect(code('GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2')).toBe('H1_BAD_CONTENT_LENGTH');
    expect(code(`GET /${'a'.repeat(9000)} HTTP/1.1`)).toBe('H1_BAD_START_LINE');
    expect(code('GET / HTTP/1.1' + '\r\nX: y'.repeat(201))).toBe('H1_TOO_MANY_FIELDS');
    expect(code('GET / HTTP/1.1' + '\r\nX: y'.repeat(200))).toBeNull();
  });

  it('errors are typed', () => {
    expect(() => parse('nope')).toThrow(Http1Error);
  });
});
