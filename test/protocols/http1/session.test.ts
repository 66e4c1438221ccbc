import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BODY_KEEP_LIMIT } from '../../../src/model/index.js';
import { http1Dissector } from '../../../src/protocols/http1/index.js';
import { conn, data, expectChunkInvariant, feed, gap, tsOf, type Step } from '../_framing/harness.js';
import { chunked, get, msg, ok, requests, responses, sequence } from './fixtures.js';
import { keptBytes } from '../../helpers/body.js';

const run = (steps: Step[], c = conn()) => expectChunkInvariant(http1Dissector, steps, c);

describe('HTTP/1 session: framing', () => {
  it('pairs a GET and a Content-Length response with exact sizes and times', () => {
    const q = get('/items/7?expand=tags', 'items.default:8080', ['Accept: application/json']);
    const r = ok('{"id":7}', ['Content-Type: application/json']);
    const f = run([data(0, q), data(1, r)]);
    expect(sequence(f.messages)).toEqual(['GET /items/7?expand=tags', '200']);
    const [req] = requests(f.messages);
    const [res] = responses(f.messages);
    expect(req!.detail).toMatchObject({ method: 'GET', path: '/items/7', version: 'HTTP/1.1', host: 'items.default:8080', body: null, trailers: [] });
    expect(req!.detail.headers).toEqual([['Host', 'items.default:8080'], ['Accept', 'application/json']]);
    expect(req!.size).toBe(q.length);
    expect(req!.pairKey).toBeNull();
    expect([req!.startTs, req!.endTs]).toEqual([tsOf(0), tsOf(0)]);
    expect(res!.size).toBe(r.length);
    expect(res!.detail.body).toEqual({ size: 8, contentEncoding: null, contentType: 'application/json', raw: null, decoded: '{"id":7}', decodedEncoding: 'utf8', truncated: false });
    expect(res!.anomalies).toEqual([]);
  });

  it('takes startTs from the chunk with the first byte and endTs from the chunk with the last', () => {
    const r = ok('abcdef');
    const f = feed(http1Dissector, [data(0, get('/')), data(1, r.subarray(0, 10)), data(1, r.subarray(10, r.length - 2)), data(1, r.subarray(r.length - 2))]);
    const [res] = responses(f.messages);
    expect([res!.startTs, res!.endTs]).toEqual([tsOf(1), tsOf(3)]);
  });

  it('keeps header case, order and duplicates; folds obsolete continuation lines', () => {
    const q = msg('GET / HTTP/1.1', ['host: a', 'X-A: 1', 'x-a: 2', 'Set-Cookie: a=1', 'X-Long: part1', '  part2']);
    const f = run([data(0, q)]);
    expect(requests(f.messages)[0]!.detail.headers).toEqual([['host', 'a'], ['X-A', '1'], ['x-a', '2'], ['Set-Cookie', 'a=1'], ['X-Long', 'part1 part2']]);
  });

  it('emits pipelined requests and their responses in FIFO order', () => {
    const qs = Buffer.concat([get('/a'), msg('POST /b HTTP/1.1', ['Content-Length: 3'], 'xyz'), get('/c')]);
    const rs = Buffer.concat([ok('A'), ok('BB', [], '201 Created'), ok('CCC')]);
    const f = run([data(0, qs), data(1, rs)]);
    expect(sequence(f.messages)).toEqual(['GET /a', 'POST /b', 'GET /c', '200', '201', '200']);
    expect(requests(f.messages)[1]!.detail.body!.decoded).toBe('xyz');
  });

  it('reads chunked bodies with extensions and trailers, in requests and responses', () => {
    const body = chunked([['hello ', ';name=val'], ['world', ' ;x'], ['!']], ['Checksum: abc', 'X-Trace: 1']);
    const q = msg('POST /up HTTP/1.1', ['Transfer-Encoding: chunked'], chunked([['abc']]));
    const r = msg('HTTP/1.1 200 OK', ['Transfer-Encoding: gzip, chunked'.replace('gzip, ', ''), 'Content-Type: text/plain'], body);
    const f = run([data(0, q), data(1, r)]);
    const [req] = requests(f.messages);
    const [res] = responses(f.messages);
    expect(req!.detail.body!.decoded).toBe('abc');
    expect(req!.size).toBe(q.length);
    expect(res!.detail.body).toMatchObject({ size: 12, decoded: 'hello world!', truncated: false });
    expect(res!.detail.trailers).toEqual([['Checksum', 'abc'], ['X-Trace', '1']]);
    expect(res!.size).toBe(r.length);
  });

  it('reads a close-delimited body to the end of the connection, not truncated', () => {
    const r1 = msg('HTTP/1.1 200 OK', ['Connection: close'], 'until the very end');
    const f = run([data(0, get('/')), data(1, r1)]);
    expect(responses(f.messages)[0]!.detail.body).toMatchObject({ size: 18, decoded: 'until the very end', truncated: false });
    const r0 = msg('HTTP/1.0 200 OK', [], 'old');
    const f0 = run([data(0, msg('GET / HTTP/1.0')), data(1, r0)]);
    expect(responses(f0.messages)[0]!.detail).toMatchObject({ version: 'HTTP/1.0', body: { decoded: 'old' } });
    expect(f0.anomalies).toEqual([]);
  });

  it('gives HEAD responses, 204 and 304 no body', () => {
    const qs = Buffer.concat([msg('HEAD /big HTTP/1.1', ['Host: a']), msg('DELETE /x HTTP/1.1'), get('/cached'), get('/next')]);
    const rs = Buffer.concat([
      msg('HTTP/1.1 200 OK', ['Content-Length: 100000']),
      msg('HTTP/1.1 204 No Content'),
      msg('HTTP/1.1 304 Not Modified', ['Content-Length: 50']),
      ok('fine'),
    ]);
    const f = run([data(0, qs), data(1, rs)]);
    expect(sequence(f.messages)).toEqual(['HEAD /big', 'DELETE /x', 'GET /cached', 'GET /next', '200', '204', '304', '200']);
    const res = responses(f.messages);
    expect(res.map((r) => r.detail.body?.decoded ?? null)).toEqual([null, null, null, 'fine']);
    expect(res[0]!.size).toBe(msg('HTTP/1.1 200 OK', ['Content-Length: 100000']).length);
  });

  it('collects 100 Continue and 103 Early Hints into the final response', () => {
    const head = msg('PUT /obj HTTP/1.1', ['Content-Length: 4', 'Expect: 100-continue']);
    const f = run([
      data(0, head),
      data(1, msg('HTTP/1.1 100 Continue')),
      data(0, 'data'),
      data(1, Buffer.concat([msg('HTTP/1.1 103 Early Hints', ['Link: </s.css>; rel=preload']), ok('', [], '201 Created')])),
    ]);
    expect(sequence(f.messages)).toEqual(['PUT /obj', '201']);
    const [res] = responses(f.messages);
    expect(res!.detail.interim).toEqual([
      { status: 100, reason: 'Continue', headers: [] },
      { status: 103, reason: 'Early Hints', headers: [['Link', '</s.css>; rel=preload']] },
    ]);
    expect(res!.detail.body).toBeNull();
    expect(requests(f.messages)[0]!.detail.body!.decoded).toBe('data');
  });

  it('stops parsing after 101 Switching Protocols and counts the tunnelled bytes', () => {
    const q = get('/chat', 'a', ['Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: x']);
    const r = msg('HTTP/1.1 101 Switching Protocols', ['Upgrade: websocket', 'Connection: Upgrade']);
    const frames = Buffer.from([0x81, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]);
    const f = run([data(0, q), data(1, Buffer.concat([r, frames])), data(0, Buffer.concat([frames, get('/not-http-anymore')])), data(1, frames)]);
    expect(sequence(f.messages)).toEqual(['GET /chat', '101']);
    expect(responses(f.messages)[0]!.detail.upgraded).toBe(true);
    expect(f.anomalies).toEqual([]);
    const s = f.session as unknown as { tunnelBytes: readonly [number, number] };
    expect(s.tunnelBytes).toEqual([frames.length + get('/not-http-anymore').length, 2 * frames.length]);
  });

  it('holds bytes a client sends before the 101 arrives, then counts them as tunnel', () => {
    const q = get('/ws', 'a', ['Upgrade: websocket', 'Connection: Upgrade']);
    const f = run([data(0, Buffer.concat([q, Buffer.from([0x81, 0x00])])), data(1, msg('HTTP/1.1 101 Switching Protocols'))]);
    expect(sequence(f.messages)).toEqual(['GET /ws', '101']);
    expect(f.anomalies).toEqual([]);
  });

  it('resumes HTTP when an Upgrade request is refused', () => {
    const q = get('/h2c', 'a', ['Upgrade: h2c', 'Connection: Upgrade, HTTP2-Settings']);
    const f = run([data(0, Buffer.concat([q, get('/after')])), data(1, Buffer.concat([ok('no upgrade'), ok('after')]))]);
    // The held request is parsed as soon as the response head says "no switch": FIFO order holds.
    expect(sequence(f.messages)).toEqual(['GET /h2c', 'GET /after', '200', '200']);
    expect(responses(f.messages).every((r) => !r.detail.upgraded)).toBe(true);
  });

  it('tunnels after CONNECT 200 but keeps parsing after a refused CONNECT', () => {
    const connect = msg('CONNECT db.example:5432 HTTP/1.1', ['Host: db.example:5432']);
    const tls = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]);
    const t = run([data(0, connect), data(1, msg('HTTP/1.1 200 Connection established')), data(0, tls), data(1, tls)]);
    expect(sequence(t.messages)).toEqual(['CONNECT db.example:5432', '200']);
    expect(requests(t.messages)[0]!.detail).toMatchObject({ host: 'db.example:5432', path: 'db.example:5432' });
    expect(responses(t.messages)[0]!.detail.upgraded).toBe(true);
    const refused = run([data(0, connect), data(1, ok('auth', [], '407 Proxy Authentication Required')), data(0, get('/x')), data(1, ok('y'))]);
    expect(sequence(refused.messages)).toEqual(['CONNECT db.example:5432', '407', 'GET /x', '200']);
  });

  it('reports host and path of absolute-form targets', () => {
    const q = msg('GET http://user@proxy.example:3128/a/b?c=d HTTP/1.1', ['Host: ignored.example']);
    const f = run([data(0, q)]);
    expect(requests(f.messages)[0]!.detail).toMatchObject({ target: 'http://user@proxy.example:3128/a/b?c=d', path: '/a/b', host: 'proxy.example:3128' });
    const star = run([data(0, msg('OPTIONS * HTTP/1.1', ['Host: h']))]);
    expect(requests(star.messages)[0]!.detail).toMatchObject({ path: '*', host: 'h' });
  });

  it('learns the request direction from content, not from which side is `a`', () => {
    const f = run([data(1, get('/from-b')), data(0, ok('reply'))]);
    expect(sequence(f.messages)).toEqual(['GET /from-b', '200']);
    expect(requests(f.messages)[0]!.dir).toBe(1);
  });

  it('tolerates empty lines between messages', () => {
    const f = run([data(0, Buffer.concat([get('/a'), Buffer.from('\r\n\r\n'), get('/b')]))]);
    expect(sequence(f.messages)).toEqual(['GET /a', 'GET /b']);
    expect(f.anomalies).toEqual([]);
  });

  it('emits a response with no pending request (correlate reports it unpaired)', () => {
    const f = run([data(1, ok('orphan'))]);
    expect(sequence(f.messages)).toEqual(['200']);
  });

  it('holds an early response until its request is complete', () => {
    const head = msg('POST /upload HTTP/1.1', ['Content-Length: 10']);
    const f = run([data(0, head), data(1, ok('too big', [], '413 Payload Too Large')), data(0, '0123456789'), data(0, get('/next')), data(1, ok('n'))]);
    expect(sequence(f.messages)).toEqual(['POST /upload', '413', 'GET /next', '200']);
  });
});

describe('HTTP/1 session: bodies', () => {
  const text = 'The quick brown fox jumps over the lazy dog. '.repeat(20);
  const encodings: [string, Buffer][] = [
    ['gzip', gzipSync(text)],
    ['deflate', deflateSync(text)],
    ['deflate', deflateRawSync(text)],
    ['br', brotliCompressSync(text)],
  ];
  for (const [enc, bytes] of encodings) {
    it(`decodes ${enc} bodies (${bytes[0]!.toString(16)}…)`, () => {
      const r = msg('HTTP/1.1 200 OK', [`Content-Length: ${bytes.length}`, `Content-Encoding: ${enc}`, 'Content-Type: text/plain'], bytes);
      const f = run([data(0, get('/')), data(1, r)]);
      expect(responses(f.messages)[0]!.detail.body).toEqual({
        size: bytes.length,
        contentEncoding: enc,
        contentType: 'text/plain',
        raw: bytes.toString('base64'),
        decoded: text,
        decodedEncoding: 'utf8',
        truncated: false,
      });
    });
  }

  it('reports decode-failed for a corrupt gzip body and keeps the raw bytes', () => {
    const bad = Buffer.from('not gzip at all');
    const r = msg('HTTP/1.1 200 OK', [`Content-Length: ${bad.length}`, 'Content-Encoding: gzip'], bad);
    const f = run([data(0, get('/')), data(1, r)]);
    const [res] = responses(f.messages);
    expect(res!.detail.body).toMatchObject({ raw: bad.toString('base64'), decoded: null, decodedEncoding: null });
    expect(res!.anomalies.map((a) => a.code)).toEqual(['decode-failed']);
  });

  it('shows binary bodies as base64 and UTF-8 without NULs as text', () => {
    const bin = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80]);
    const f = run([data(0, get('/')), data(1, msg('HTTP/1.1 200 OK', [`Content-Length: ${bin.length}`, 'Content-Type: application/octet-stream'], bin))]);
    expect(responses(f.messages)[0]!.detail.body).toMatchObject({ decoded: bin.toString('base64'), decodedEncoding: 'base64' });
    const utf = Buffer.from('grüße ✓', 'utf8');
    const g = run([data(0, get('/')), data(1, msg('HTTP/1.1 200 OK', [`Content-Length: ${utf.length}`], utf))]);
    expect(responses(g.messages)[0]!.detail.body).toMatchObject({ decoded: 'grüße ✓', decodedEncoding: 'utf8' });
  });

  it('keeps only the first BODY_KEEP_LIMIT bytes of a large body and flags it', () => {
    const big = Buffer.alloc(BODY_KEEP_LIMIT + 5000, 0x61);
    const r = msg('HTTP/1.1 200 OK', [`Content-Length: ${big.length}`, 'Content-Type: text/plain'], big);
    const f = expectChunkInvariant(http1Dissector, [data(0, get('/')), data(1, r), data(0, get('/2')), data(1, ok('x'))], conn(), 8);
    const [res] = responses(f.messages);
    expect(res!.detail.body!.size).toBe(big.length);
    expect(keptBytes(res!.detail.body!).length).toBe(BODY_KEEP_LIMIT);
    expect(res!.detail.body!.truncated).toBe(true);
    expect(res!.anomalies.map((a) => a.code)).toEqual(['body-capped']);
    expect(res!.size).toBe(r.length);
    expect(sequence(f.messages)).toEqual(['GET /', '200', 'GET /2', '200']);
  });
});

describe('HTTP/1 session: mid-stream joins and gaps', () => {
  it('joined mid-stream: skips silently to the first message start', () => {
    const tail = Buffer.from('partial body of an earlier response\r\nwith lines\r\n');
    const f = run([data(1, Buffer.concat([tail, ok('next')])), data(0, Buffer.concat([Buffer.from('rest of a request body'), get('/later')])), data(1, ok('later'))], conn({ initiatorKnown: false }));
    expect(sequence(f.messages)).toEqual(['200', 'GET /later', '200']);
    expect(f.anomalies).toEqual([]);
  });

  it('a gap inside a body of known length keeps the framing and marks the message truncated', () => {
    const r = ok('0123456789abcdefghij');
    const cut = r.length - 15;
    const f = run([data(0, get('/a')), data(1, r.subarray(0, cut)), gap(1, 10), data(1, r.subarray(cut + 10)), data(0, get('/b')), data(1, ok('B'))]);
    expect(sequence(f.messages)).toEqual(['GET /a', '200', 'GET /b', '200']);
    const [res] = responses(f.messages);
    expect(res!.size).toBe(r.length);
    expect(res!.detail.body).toMatchObject({ size: 20, truncated: true, decoded: '01234fghij' });
    expect(res!.anomalies.map((a) => a.code)).toEqual(['truncated']);
    expect(f.anomalies).toEqual([]);
  });

  it('a gap inside a chunk keeps the framing', () => {
    const r = msg('HTTP/1.1 200 OK', ['Transfer-Encoding: chunked'], chunked([['0123456789'], ['abc']]));
    const at = r.indexOf('0123') + 3;
    const f = run([data(0, get('/a')), data(1, r.subarray(0, at)), gap(1, 4), data(1, r.subarray(at + 4))]);
    expect(responses(f.messages)[0]!.detail.body).toMatchObject({ size: 13, truncated: true });
    expect(responses(f.messages)[0]!.size).toBe(r.length);
  });

  it('a gap longer than the rest of the body emits the message cut and resynchronises', () => {
    const r = ok('short body');
    const f = run([data(0, Buffer.concat([get('/a'), get('/b')])), data(1, r.subarray(0, r.length - 4)), gap(1, 50), data(1, Buffer.concat([Buffer.from('junk of the lost part'), ok('B')]))]);
    expect(sequence(f.messages)).toEqual(['GET /a', 'GET /b', '200', '200']);
    expect(responses(f.messages)[0]!.anomalies.map((a) => a.code)).toEqual(['truncated']);
    expect(f.anomalies.map((a) => a.anomaly.code)).toEqual(['truncated']);
    expect(f.anomalies[0]!.anomaly.detail).toMatch(/skipped 21 bytes/);
  });

  it('a gap inside a head drops the partial message and resynchronises on the next one', () => {
    const q = get('/lost', 'a', ['X-Long: ' + 'v'.repeat(40)]);
    const f = run([data(0, q.subarray(0, 20)), gap(0, 30), data(0, Buffer.concat([q.subarray(50), get('/next')]))]);
    expect(sequence(f.messages)).toEqual(['GET /next']);
    expect(f.anomalies.map((a) => a.anomaly.code)).toEqual(['truncated']);
    expect(f.anomalies[0]!.anomaly.detail).toMatch(/incomplete message head lost in a gap; skipped \d+ bytes/);
  });

  it('a gap of unknown size in a body emits the message cut', () => {
    const f = run([data(0, get('/a')), data(1, ok('0123456789').subarray(0, 45)), gap(1, null), data(1, ok('x'))]);
    expect(sequence(f.messages)).toEqual(['GET /a', '200', '200']);
    expect(responses(f.messages)[0]!.detail.body!.truncated).toBe(true);
  });
});

describe('HTTP/1 session: violations and the end', () => {
  it('reports a bad request line and resynchronises on the next request', () => {
    const f = run([data(0, Buffer.concat([Buffer.from('BREW /pot HTCPCP/1.0\r\nX: y\r\n\r\n'), get('/ok')])), data(1, ok('fine'))]);
    expect(sequence(f.messages)).toEqual(['GET /ok', '200']);
    expect(f.anomalies.map((a) => a.anomaly.code)).toEqual(['protocol-violation']);
    expect(f.anomalies[0]!.anomaly.detail).toMatch(/^H1_BAD_START_LINE.*skipped 30 bytes$/);
  });

  it('reports a bad chunk size on the message and resynchronises', () => {
    const r = msg('HTTP/1.1 200 OK', ['Transfer-Encoding: chunked'], '5\r\nhello\r\nzz\r\n');
    const f = run([data(0, Buffer.concat([get('/a'), get('/b')])), data(1, Buffer.concat([r, ok('B')]))]);
    expect(sequence(f.messages)).toEqual(['GET /a', 'GET /b', '200', '200']);
    expect(responses(f.messages)[0]!.anomalies.map((a) => a.code)).toEqual(['protocol-violation', 'truncated']);
    expect(responses(f.messages)[0]!.detail.body!.decoded).toBe('hello');
    expect(f.anomalies.map((a) => a.anomaly.detail)).toEqual([expect.stringMatching(/^H1_BAD_CHUNK_SIZE.*skipped 4 bytes$/)]);
  });

  it('caps a head that never ends at 64 KiB, then finds the next message', () => {
    const huge = Buffer.concat([Buffer.from('GET /x HTTP/1.1\r\n'), Buffer.from(('X-Filler: ' + 'f'.repeat(90) + '\r\n').repeat(800))]);
    const steps = [data(0, Buffer.concat([huge, Buffer.from('\r\n'), get('/after')]))];
    const f = expectChunkInvariant(http1Dissector, steps, conn(), 5);
    expect(sequence(f.messages)).toEqual(['GET /after']);
    expect(f.anomalies.map((a) => a.anomaly.detail)).toEqual([expect.stringMatching(/^H1_HEAD_TOO_LARGE/)]);
    const s = feed(http1Dissector, [data(0, huge)], undefined, conn(), false).session as unknown as { bufferedBytes: number };
    expect(s.bufferedBytes).toBeLessThanOrEqual(8 * 1024);
  });

  it('rejects more than 200 header fields', () => {
    const q = msg('GET /many HTTP/1.1', Array.from({ length: 201 }, (_, i) => `X-${i}: v`));
    const f = run([data(0, Buffer.concat([q, get('/fine')]))]);
    expect(sequence(f.messages)).toEqual(['GET /fine']);
    expect(f.anomalies[0]!.anomaly.detail).toMatch(/^H1_TOO_MANY_FIELDS/);
  });

  it('rejects conflicting Content-Length values', () => {
    const q = msg('POST /x HTTP/1.1', ['Content-Length: 3', 'Content-Length: 4']);
    const f = run([data(0, Buffer.concat([q, get('/y')]))]);
    expect(sequence(f.messages)).toEqual(['GET /y']);
    expect(f.anomalies[0]!.anomaly.detail).toMatch(/^H1_BAD_CONTENT_LENGTH/);
  });

  it('at the end: emits a message whose head was complete as truncated, drops an incomplete head', () => {
    const f = run([data(0, get('/a')), data(1, ok('0123456789').subarray(0, 40))]);
    expect(sequence(f.messages)).toEqual(['GET /a', '200']);
    expect(responses(f.messages)[0]!.anomalies.map((a) => a.code)).toEqual(['truncated']);
    const g = run([data(0, get('/a').subarray(0, 10))]);
    expect(g.messages).toEqual([]);
    expect(g.anomalies.map((a) => a.anomaly.detail)).toEqual(['incomplete message head (10 bytes) dropped at end']);
  });
});
