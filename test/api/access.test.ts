/** The access policy: Host (DNS rebinding), Origin (other sites' pages) and the bearer token. */
import { describe, expect, it } from 'vitest';
import { AccessPolicy, HttpError } from '../../src/api/index.js';
import { cookieValue, hostName } from '../../src/api/access.js';

function outcome(policy: AccessPolicy, headers: Record<string, string>, path = '/api/v1/entries'): string {
  try {
    policy.check(path, headers);
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    return `${(err as HttpError).status} ${(err as HttpError).code}`;
  }
}

describe('Host', () => {
  const open = new AccessPolicy();

  it('accepts IP literals and localhost, with or without a port', () => {
    for (const host of ['127.0.0.1', '127.0.0.1:8898', '10.1.2.3:48999', '[::1]:8898', '[fe80::1]', 'localhost', 'LOCALHOST:8898', 'localhost.']) {
      expect(outcome(open, { host }), host).toBe('ok');
    }
  });

  it('refuses DNS names (a rebinding page sends its own name) unless allowed', () => {
    for (const host of ['evil.example', 'evil.example:8898', '127.0.0.1.nip.io', 'localhost.evil.example']) {
      expect(outcome(open, { host }), host).toBe('403 E_HOST_NOT_ALLOWED');
    }
    const allowing = new AccessPolicy({ allowHosts: ['podsniff.internal', '*.corp.example'] });
    expect(outcome(allowing, { host: 'podsniff.internal:8898' })).toBe('ok');
    expect(outcome(allowing, { host: 'a.b.corp.example' })).toBe('ok');
    expect(outcome(allowing, { host: 'corp.example.evil' })).toBe('403 E_HOST_NOT_ALLOWED');
  });

  it('refuses malformed Host values', () => {
    for (const host of ['', ' ', '[::1', '1.2.3.4:port', 'a b', '[zz::1]:80', 'evil.example:99999999']) {
      expect(outcome(open, { host }), host).toBe('403 E_HOST_NOT_ALLOWED');
    }
  });

  it('lets requests without Host through (HTTP/1.0 tools) and never checks the probes', () => {
    expect(outcome(open, {})).toBe('ok');
    expect(outcome(open, { host: 'evil.example', origin: 'http://evil.example' }, '/healthz')).toBe('ok');
    expect(outcome(open, { host: 'evil.example' }, '/readyz')).toBe('ok');
  });
});

describe('Origin', () => {
  const open = new AccessPolicy({ allowHosts: ['dash.example'] });

  it("accepts the server's own origin", () => {
    expect(outcome(open, { host: '127.0.0.1:8898', origin: 'http://127.0.0.1:8898' })).toBe('ok');
    expect(outcome(open, { host: 'localhost:8898', origin: 'http://LOCALHOST:8898' })).toBe('ok');
    expect(outcome(open, { host: '127.0.0.1', origin: 'http://127.0.0.1' })).toBe('ok');
  });

  it('refuses other origins, null and junk; accepts allowed names', () => {
    expect(outcome(open, { host: '127.0.0.1:8898', origin: 'http://evil.example' })).toBe('403 E_ORIGIN_NOT_ALLOWED');
    expect(outcome(open, { host: '127.0.0.1:8898', origin: 'http://127.0.0.1:3000' })).toBe('403 E_ORIGIN_NOT_ALLOWED');
    expect(outcome(open, { host: '127.0.0.1:8898', origin: 'null' })).toBe('403 E_ORIGIN_NOT_ALLOWED');
    expect(outcome(open, { host: '127.0.0.1:8898', origin: 'file://' })).toBe('403 E_ORIGIN_NOT_ALLOWED');
    expect(outcome(open, { host: '127.0.0.1:8898', origin: '%%%' })).toBe('403 E_ORIGIN_NOT_ALLOWED');
    expect(outcome(open, { host: '127.0.0.1:8898', origin: 'https://dash.example' })).toBe('ok');
  });
});

describe('token', () => {
  const locked = new AccessPolicy({ token: 's3cret-token' });

  it('requires the bearer token or the cookie on every route but the probes', () => {
    expect(outcome(locked, { host: '127.0.0.1' })).toBe('401 E_UNAUTHORIZED');
    expect(outcome(locked, { host: '127.0.0.1', authorization: 'Bearer wrong' })).toBe('401 E_UNAUTHORIZED');
    expect(outcome(locked, { host: '127.0.0.1', authorization: 'Basic czNjcmV0LXRva2Vu' })).toBe('401 E_UNAUTHORIZED');
    expect(outcome(locked, { host: '127.0.0.1', authorization: 'Bearer s3cret-token' })).toBe('ok');
    expect(outcome(locked, { host: '127.0.0.1', authorization: 'bearer  s3cret-token ' })).toBe('ok');
    expect(outcome(locked, { host: '127.0.0.1', cookie: 'a=1; podsniff_token=s3cret-token' })).toBe('ok');
    expect(outcome(locked, { host: '127.0.0.1', cookie: 'podsniff_token=s3cret-token2' })).toBe('401 E_UNAUTHORIZED');
    expect(outcome(locked, {}, '/healthz')).toBe('ok');
    expect(outcome(locked, {}, '/metrics')).toBe('401 E_UNAUTHORIZED');
  });

  it('checks Host before the token: a rebinding page learns nothing either way', () => {
    expect(outcome(locked, { host: 'evil.example', authorization: 'Bearer s3cret-token' })).toBe('403 E_HOST_NOT_ALLOWED');
  });

  it('compares any candidate, of any length, without throwing', () => {
    for (const candidate of ['', 's', 's3cret-token', 's3cret-token'.repeat(1000), '\u0000\uffff']) {
      expect(typeof locked.tokenMatches(candidate)).toBe('boolean');
    }
    expect(new AccessPolicy().tokenMatches('anything')).toBe(false);
  });
});

describe('helpers', () => {
  it('hostName and cookieValue', () => {
    expect(hostName('[::1]:80')).toBe('::1');
    expect(hostName('Example.COM.:8080')).toBe('example.com');
    expect(hostName('a:b:c')).toBeNull();
    expect(cookieValue('x=1;  podsniff_token = abc ;y=2', 'podsniff_token')).toBe('abc');
    expect(cookieValue(undefined, 'x')).toBeNull();
  });
});
