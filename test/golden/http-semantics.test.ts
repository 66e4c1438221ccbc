/**
 * What the recorded HTTP fixtures must say, checked against what the recorder's clients sent and its
 * servers answered (test/fixtures/record/), independently of the golden files.
 */
import { describe, expect, it } from 'vitest';
import { BODY_KEEP_LIMIT } from '../../src/model/index.js';
import { codes, httpEntries, line, readFixture } from './support.js';
import { keptBytes } from '../helpers/body.js';

describe('http-basic', () => {
  const r = readFixture('http-basic');
  const http = httpEntries(r);
  const sorted = [...http].sort((a, b) => a.startedAtMs - b.startedAtMs);

  it('has one entry per request sent, with the methods, targets and statuses sent', () => {
    expect(r.entries).toHaveLength(12);
    expect(sorted.map(line)).toEqual([
      'GET /api/v1/pods?namespace=default&limit=2 200',
      'POST /api/v1/namespaces/default/pods 201',
      'PUT /api/v1/items/7 200',
      'DELETE /api/v1/items/7 200',
      'GET /missing 404',
      'HEAD /api/v1/pods 200',
      'GET /empty 204',
      'GET /etag 304',
      'GET /ka/1 200',
      'GET /ka/2 200',
      'GET /ka/3 200',
      'GET /v6 200',
    ]);
    expect(r.summary).toMatchObject({ entries: 12, anomalies: 0, byProtocol: { http: 12 } });
  });

  it('attributes both ends: client ephemeral port to server port 8080, over IPv4 and IPv6', () => {
    for (const e of http) {
      expect(e.transport).toBe('tcp');
      expect(e.dst.port).toBe(8080);
      expect(e.src.port).not.toBe(e.dst.port);
      expect(e.elapsedMs).toBeGreaterThanOrEqual(0);
      expect(e.anomalies).toEqual([]);
      expect(e.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    }
    expect(sorted.slice(0, 11).every((e) => e.src.ip === '10.250.1.1' && e.dst.ip === '10.250.1.2')).toBe(true);
    expect([sorted[11]!.src.ip, sorted[11]!.dst.ip]).toEqual(['fd00:250::1:1', 'fd00:250::1:2']);
  });

  it('keeps one connection for the three kept-alive requests and one per other request', () => {
    const ka = sorted.slice(8, 11).map((e) => e.connectionId);
    expect(new Set(ka).size).toBe(1);
    expect(new Set(http.map((e) => e.connectionId)).size).toBe(10);
    expect(new Set(http.map((e) => e.id)).size).toBe(12);
  });

  it('parses targets, hosts and bodies', () => {
    const [get, post, put] = sorted;
    expect(get!.request).toMatchObject({ path: '/api/v1/pods', host: '10.250.1.2:8080' });
    expect(get!.request!.version).toMatch(/1\.1$/);
    expect(JSON.parse(get!.response!.body!.decoded!)).toMatchObject({ kind: 'PodList', query: '?namespace=default&limit=2' });
    expect(post!.request!.body?.decoded).toBe('{"metadata":{"name":"web-2"},"spec":{"replicas":1}}');
    expect(post!.request!.body?.contentType).toBe('application/json');
    expect(put!.request!.body?.decoded).toBe('replicas=3');
    expect(sorted[4]!.response!.body?.decoded).toBe('not found\n');
  });

  it('knows that HEAD, 204 and 304 responses carry no body', () => {
    for (const e of [sorted[5]!, sorted[6]!, sorted[7]!]) {
      expect(e.response!.body?.size ?? 0).toBe(0);
      expect(e.anomalies).toEqual([]);
    }
    const length = sorted[5]!.response!.headers.find(([n]) => n.toLowerCase() === 'content-length');
    expect(Number(length?.[1])).toBeGreaterThan(0);
  });
});

describe('http-bodies', () => {
  const r = readFixture('http-bodies');
  const http = httpEntries(r);
  const byPath = (p: string): (typeof http)[number] => {
    const e = http.find((x) => x.request?.path === p);
    if (e === undefined) throw new Error(`no entry for ${p}`);
    return e;
  };

  it('has the eight exchanges', () => {
    expect(http.map(line).sort()).toEqual(
      ['GET /chunked 200', 'GET /gzip 200', 'GET /deflate 200', 'GET /br 200', 'GET /large 200', 'GET /close 200', 'POST /upload 201', 'GET /ws 101'].sort(),
    );
  });

  it('undoes chunked transfer coding and keeps the trailers', () => {
    const res = byPath('/chunked').response!;
    expect(res.body?.decoded).toBe('chunk one\nchunk two\nchunk three\n');
    expect(res.trailers).toEqual([['X-Checksum', 'sha1-fixture']]);
  });

  it.each(['gzip', 'deflate', 'br'])('decodes a %s body', (enc) => {
    const body = byPath(`/${enc}`).response!.body!;
    expect(body.contentEncoding).toBe(enc);
    expect(body.decodedEncoding).toBe('utf8');
    expect(body.decoded).toMatch(/^podsniff compressed body: all work and no play/);
    expect(byPath(`/${enc}`).anomalies).toEqual([]);
  });

  it('counts a large body whole and keeps only its first BODY_KEEP_LIMIT bytes', () => {
    const e = byPath('/large');
    expect(e.response!.body).toMatchObject({ size: 150_000, truncated: true });
    expect(keptBytes(e.response!.body!).length).toBe(BODY_KEEP_LIMIT);
    expect(codes(e).filter((c) => c !== 'body-capped')).toEqual([]);
  });

  it('ends an HTTP/1.0 body at the close', () => {
    const e = byPath('/close');
    expect(e.dst.port).toBe(8081);
    expect(e.response!.status).toBe(200);
    expect(e.response!.version).toMatch(/1\.0$/);
    expect(e.response!.body?.decoded).toBe('this body has no length: it ends when the server closes the connection.\n'.repeat(8));
    expect(e.anomalies).toEqual([]);
  });

  it('shows 100 Continue as an interim response of the upload', () => {
    const e = byPath('/upload');
    expect(e.response!.interim.map((i) => i.status)).toEqual([100]);
    expect(e.request!.headers).toContainEqual(['Expect', '100-continue']);
    expect(e.request!.body?.size).toBe(3000);
  });

  it('ends HTTP at a 101 upgrade without reading the frames as HTTP', () => {
    const e = byPath('/ws');
    expect(e.response).toMatchObject({ status: 101, upgraded: true });
    expect(e.anomalies).toEqual([]);
    expect(http).toHaveLength(8);
  });
});

describe('http-pipelined', () => {
  it('pairs three pipelined requests in order on one connection', () => {
    const http = httpEntries(readFixture('http-pipelined'));
    expect(http.map(line)).toEqual(['GET /p/1 200', 'POST /p/2 200', 'GET /p/3 200']);
    expect(new Set(http.map((e) => e.connectionId)).size).toBe(1);
    expect(http[1]!.request!.body?.decoded).toBe('{"pipelined":true}');
    expect(http[2]!.response!.body?.decoded).toBe('GET /p/3 ok (request body 0 bytes)\n');
  });
});

describe('http-odd-ports', () => {
  const r = readFixture('http-odd-ports');

  it('finds HTTP on port 5432 by its content', () => {
    expect(httpEntries(r).map(line)).toEqual(['GET /odd/get?port=5432 200', 'POST /odd/post 200']);
    expect(r.entries.every((e) => e.dst.port === 5432)).toBe(true);
  });

  it('makes no entry for the binary protocol on port 80', () => {
    expect(r.entries.filter((e) => e.dst.port === 80 || e.src.port === 80)).toEqual([]);
    expect(r.summary.streams).toBeGreaterThanOrEqual(3);
  });
});
