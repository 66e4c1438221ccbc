/** Request targets: what routes may trust, and the 400s for what they may not. */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/api/index.js';
import { decodePathSegment, parseRequestTarget } from '../../src/api/request-target.js';

function refusal(raw: string | undefined): { status: number; code: string } | null {
  try {
    parseRequestTarget(raw);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    return { status: (err as HttpError).status, code: (err as HttpError).code };
  }
}

describe('parseRequestTarget', () => {
  it('reads origin-form paths and queries', () => {
    const t = parseRequestTarget('/api/v1/entries?q=http%20%26%26%20status_code%20%3E%3D%20500&limit=5');
    expect(t.pathname).toBe('/api/v1/entries');
    expect(t.searchParams.get('q')).toBe('http && status_code >= 500');
    expect(t.searchParams.get('limit')).toBe('5');
  });

  it('keeps a target that starts with // a path (no host), as in `GET //[ HTTP/1.1`', () => {
    expect(parseRequestTarget('//[').pathname).toBe('//[');
    expect(parseRequestTarget('//evil.example/x').pathname).toBe('//evil.example/x');
  });

  it('reads absolute-form targets', () => {
    expect(parseRequestTarget('http://127.0.0.1:8898/healthz').pathname).toBe('/healthz');
  });

  it('refuses targets that are not paths', () => {
    expect(refusal('*')).toEqual({ status: 400, code: 'E_BAD_TARGET' });
    expect(refusal('example.com:443')).toEqual({ status: 400, code: 'E_BAD_TARGET' });
    expect(refusal('http://[')).toEqual({ status: 400, code: 'E_BAD_TARGET' });
  });

  it('refuses malformed percent-encoding in the path and in the query', () => {
    for (const raw of ['/api/%zz', '/api/v1/entries?q=%', '/a?b=%4', '/%', '/a?q=%FF', '/a?q=%C3%28', '/a?%E2%82=1']) {
      expect(refusal(raw), raw).toEqual({ status: 400, code: 'E_BAD_ENCODING' });
    }
  });

  it('accepts well-formed escapes, plus signs and UTF-8', () => {
    expect(parseRequestTarget('/a?q=caf%C3%A9+bar').searchParams.get('q')).toBe('café bar');
  });

  it('treats a missing target as /', () => {
    expect(parseRequestTarget(undefined).pathname).toBe('/');
  });
});

describe('decodePathSegment', () => {
  it('decodes an id and refuses bytes that are not UTF-8', () => {
    expect(decodePathSegment('abc%2Fdef')).toBe('abc/def');
    expect(() => decodePathSegment('%FF')).toThrow(HttpError);
  });
});
