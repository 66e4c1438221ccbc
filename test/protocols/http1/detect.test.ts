import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { http1Dissector } from '../../../src/protocols/http1/index.js';
import { conn } from '../_framing/harness.js';

const detect = (bytes: string | Buffer, initiatorKnown = true) =>
  http1Dissector.detect({ conn: conn({ initiatorKnown }), dir: 0, bytes: typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes });

describe('HTTP/1 detect', () => {
  it('matches request lines of known methods and status lines', () => {
    for (const line of ['GET / HTTP/1.1', 'POST /api HTTP/1.0', 'PATCH /x HTTP/1.1', 'PROPFIND /dav/ HTTP/1.1', 'M-SEARCH * HTTP/1.1', 'HTTP/1.1 200 OK', 'HTTP/1.0 404 Not Found', 'HTTP/1.1 204']) {
      expect(detect(`${line}\r\nHost: x\r\n`), line).toBe('match');
    }
  });

  it('says need-more while a prefix could still become a start line', () => {
    for (const p of ['', 'G', 'GE', 'GET', 'GET ', 'GET /pa', 'GET /path HTT', 'GET /path HTTP/1.1', 'GET /path HTTP/1.1\r', 'H', 'HTTP/1.', 'HTTP/1.1 2', 'HTTP/1.1 200 O', 'PROPF', '\r\n']) {
      expect(detect(p), JSON.stringify(p)).toBe('need-more');
    }
  });

  it('refuses what cannot be HTTP/1', () => {
    for (const p of ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'get / HTTP/1.1\r\n', 'GET / HTTP/2\r\n', 'BREW /pot HTTP/1.1\r\n', 'GET  HTTP/1.1\r\n', 'HTTP/2 200\r\n', 'HTTP/1.1 999 x\r\n', '\x16\x03\x01\x02\x00', '*3\r\n$3\r\nSET\r\n', 'GET / HTTP/1.1\n']) {
      expect(detect(p), JSON.stringify(p)).toBe('no-match');
    }
  });

  it('gives up on a first line longer than the line limit', () => {
    expect(detect('GET /' + 'a'.repeat(9000))).toBe('no-match');
  });

  it('mid-stream: finds a start line later in the bytes, also right after a body', () => {
    expect(detect('tail of a body\r\nmore\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n', false)).toBe('match');
    expect(detect('{"json":"body"}GET /next HTTP/1.1\r\nHost: a\r\n', false)).toBe('match');
    expect(detect('{"json":"body"}HTTP/1.1 200 OK\r\n', false)).toBe('match');
    expect(detect('binary \x00\x01 junk with no start line', false)).toBe('need-more');
    expect(detect(Buffer.alloc(9000, 0x41), false)).toBe('no-match');
    // With a known initiator the first bytes must be the start.
    expect(detect('tail of a body\r\nHTTP/1.1 200 OK\r\n', true)).toBe('no-match');
  });

  it('never throws and rarely matches random bytes', () => {
    let matches = 0;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, known) => {
        const v = detect(Buffer.from(bytes), known);
        expect(['match', 'no-match', 'need-more']).toContain(v);
        if (v === 'match') matches++;
      }),
      { numRuns: 2000 },
    );
    expect(matches).toBe(0);
  });
});
