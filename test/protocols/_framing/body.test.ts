import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BODY_KEEP_LIMIT, type Anomaly } from '../../../src/model/index.js';
import { BodyCollector, buildBody, DECODED_LIMIT, decodeContent, isTextualType, looksLikeText, type ContentDecodeError } from '../../../src/protocols/_framing/index.js';
import { keptBytes } from '../../helpers/body.js';

describe('content decoding', () => {
  it('undoes gzip, deflate (zlib and raw), br and lists of codings', () => {
    const text = Buffer.from('podsniff '.repeat(50));
    expect(decodeContent(gzipSync(text), 'gzip')).toEqual(text);
    expect(decodeContent(gzipSync(text), 'x-gzip')).toEqual(text);
    expect(decodeContent(deflateRawSync(text), 'deflate')).toEqual(text);
    expect(decodeContent(brotliCompressSync(text), 'br')).toEqual(text);
    expect(decodeContent(brotliCompressSync(gzipSync(text)), 'gzip, br')).toEqual(text);
    expect(decodeContent(text, 'identity')).toEqual(text);
  });

  it('decodes what it can of a cut-off body', () => {
    const text = Buffer.from('abcdefghij'.repeat(2000));
    const gz = gzipSync(text);
    const out = decodeContent(gz.subarray(0, gz.length >> 1), 'gzip');
    expect(out).toBeInstanceOf(Buffer);
  });

  it('returns typed errors: unsupported, corrupt, too large', () => {
    expect((decodeContent(Buffer.from('x'), 'zstd') as ContentDecodeError).code).toBe('E_CONTENT_UNSUPPORTED');
    expect((decodeContent(Buffer.from('not gzip'), 'gzip') as ContentDecodeError).code).toBe('E_CONTENT_CORRUPT');
    const bomb = gzipSync(Buffer.alloc(DECODED_LIMIT + 1));
    expect((decodeContent(bomb, 'gzip') as ContentDecodeError).code).toBe('E_CONTENT_TOO_LARGE');
  });

  it('tells text from binary', () => {
    expect(isTextualType('application/json; charset=utf-8')).toBe(true);
    expect(isTextualType('application/vnd.api+json')).toBe(true);
    expect(isTextualType('text/html')).toBe(true);
    expect(isTextualType('application/x-www-form-urlencoded')).toBe(true);
    expect(isTextualType('image/png')).toBe(false);
    expect(isTextualType(null)).toBe(false);
    expect(looksLikeText(Buffer.from('plain ✓'), false)).toBe(true);
    expect(looksLikeText(Buffer.from([0x61, 0]), false)).toBe(false);
    const cutChar = Buffer.from('ab✓').subarray(0, 4);
    expect(looksLikeText(cutChar, false)).toBe(false);
    expect(looksLikeText(cutChar, true)).toBe(true);
  });
});

describe('bodies', () => {
  it('keeps only the first BODY_KEEP_LIMIT bytes and counts the rest', () => {
    const c = new BodyCollector();
    const part = Buffer.alloc(40_000, 0x61);
    c.add(part, 0, part.length);
    c.add(part, 0, part.length);
    const anomalies: Anomaly[] = [];
    const body = c.build(null, 'text/plain', anomalies)!;
    expect(body.size).toBe(80_000);
    expect(keptBytes(body).length).toBe(BODY_KEEP_LIMIT);
    expect(body.truncated).toBe(true);
    expect(anomalies.map((a) => a.code)).toEqual(['body-capped']);
  });

  it('counts bytes lost in gaps and marks the body truncated', () => {
    const c = new BodyCollector();
    c.add(Buffer.from('abc'), 0, 3);
    c.skip(10);
    const anomalies: Anomaly[] = [];
    expect(c.build(null, null, anomalies)).toMatchObject({ size: 13, truncated: true, decoded: 'abc' });
    expect(anomalies).toEqual([]);
  });

  it('is null without body bytes', () => {
    expect(new BodyCollector().build(null, null, [])).toBeNull();
  });

  it('leaves raw null only when decoded already is the exact wire bytes', () => {
    const anomalies: Anomaly[] = [];
    const utf8 = Buffer.from('{"ok":"é"}');
    expect(buildBody(utf8, 0, utf8.length, utf8.length, false, null, 'application/json', anomalies)).toMatchObject({ raw: null, decoded: '{"ok":"é"}' });
    const binary = Buffer.from([0, 1, 2, 255]);
    expect(buildBody(binary, 0, 4, 4, false, null, 'application/octet-stream', anomalies)).toMatchObject({ raw: null, decoded: 'AAEC/w==', decodedEncoding: 'base64' });
    // Declared text that is not valid UTF-8: decoding loses bytes, so raw keeps them.
    const invalid = Buffer.from([0x61, 0xff, 0x62]);
    const body = buildBody(invalid, 0, 3, 3, false, null, 'text/plain', anomalies);
    expect(body.raw).toBe(invalid.toString('base64'));
    expect(keptBytes(body)).toEqual(invalid);
  });

  it('shows non-text decoded content as base64 and keeps raw when decoding fails', () => {
    const anomalies: Anomaly[] = [];
    const bin = gzipSync(Buffer.from([0, 1, 2, 3]));
    expect(buildBody(bin, 0, bin.length, bin.length, false, 'gzip', null, anomalies)).toMatchObject({ decoded: 'AAECAw==', decodedEncoding: 'base64' });
    const bad = Buffer.from('zz');
    expect(buildBody(bad, 0, 2, 2, false, 'br', null, anomalies)).toMatchObject({ raw: 'eno=', decoded: null, decodedEncoding: null });
    expect(anomalies.map((a) => a.code)).toEqual(['decode-failed']);
  });
});
