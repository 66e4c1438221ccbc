/**
 * Redaction: the default headers and the operator's names are replaced by the marker in headers,
 * trailers, interim responses, JSON (whole or cut), form bodies and the query; what is not secret
 * stays readable; entries without secrets come back as the same object. A seeded property: whatever
 * the secret, it never survives in the redacted entry's JSON, and redacting twice changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskHeaderValue, REDACTED, redactEntry, redactionPolicy } from '../../src/correlate/index.js';
import { compileFilter } from '../../src/query/index.js';
import type { Body, HttpEntry } from '../../src/model/index.js';
import { dnsQuery, httpPost500 } from '../query/fixtures.js';
import { TEST_SEED } from '../support/seed.js';


function body(text: string, contentType: string): Body {
  return { size: text.length, contentEncoding: null, contentType, raw: Buffer.from(text).toString('base64'), decoded: text, decodedEncoding: 'utf8', truncated: false };
}

function withSecrets(overrides: { requestBody?: Body; target?: string; secret?: string } = {}): HttpEntry {
  const secret = overrides.secret ?? 'hunter2';
  const target = overrides.target ?? '/login?user=ann&token=q-tok-991&x';
  return {
    ...httpPost500,
    summary: { ...httpPost500.summary, target },
    request: {
      ...httpPost500.request!,
      target,
      headers: [
        ['Host', 'api.shop'],
        ['Authorization', `Bearer ${secret}`],
        ['Cookie', `session=${secret}; theme=dark`],
        ['X-Api-Key', secret],
        ['Content-Type', 'application/json'],
      ],
      trailers: [['Proxy-Authorization', `Basic ${secret}`]],
      body: overrides.requestBody ?? body(JSON.stringify({ user: 'ann', password: secret, nested: [{ Password: secret, keep: 1 }] }), 'application/json'),
    },
    response: {
      ...httpPost500.response!,
      headers: [
        ['Set-Cookie', `session=${secret}; Path=/; HttpOnly`],
        ['Content-Type', 'text/plain'],
      ],
      interim: [{ status: 100, reason: 'Continue', headers: [['Set-Cookie', `early=${secret}`]] }],
    },
  };
}

const policy = redactionPolicy(['password', 'X-Api-Key', 'token']);

describe('redactEntry', () => {
  it('replaces the default headers, keeping the scheme, cookie names and Set-Cookie attributes', () => {
    const out = redactEntry(withSecrets(), redactionPolicy()) as HttpEntry;
    expect(out.request!.headers).toEqual([
      ['Host', 'api.shop'],
      ['Authorization', `Bearer ${REDACTED}`],
      ['Cookie', `session=${REDACTED}; theme=${REDACTED}`],
      ['X-Api-Key', 'hunter2'],
      ['Content-Type', 'application/json'],
    ]);
    expect(out.request!.trailers).toEqual([['Proxy-Authorization', `Basic ${REDACTED}`]]);
    expect(out.response!.headers[0]).toEqual(['Set-Cookie', `session=${REDACTED}; Path=/; HttpOnly`]);
    expect(out.response!.interim[0]!.headers).toEqual([['Set-Cookie', `early=${REDACTED}`]]);
    expect(out.redacted).toEqual([
      'request.headers.authorization',
      'request.headers.cookie',
      'request.trailers.proxy-authorization',
      'response.headers.set-cookie',
      'response.interim.headers.set-cookie',
    ]);
    // Without --redact names, bodies and queries stay as they were.
    expect(out.request!.body!.decoded).toContain('"password":"hunter2"');
    expect(out.request!.target).toBe('/login?user=ann&token=q-tok-991&x');
  });

  it("replaces the operator's names in headers, JSON at any depth, the query and the summary", () => {
    const out = redactEntry(withSecrets(), policy) as HttpEntry;
    expect(out.request!.headers.find(([n]) => n === 'X-Api-Key')).toEqual(['X-Api-Key', REDACTED]);
    expect(JSON.parse(out.request!.body!.decoded!)).toEqual({ user: 'ann', password: REDACTED, nested: [{ Password: REDACTED, keep: 1 }] });
    expect(out.request!.body!.raw).toBeNull();
    expect(out.request!.target).toBe(`/login?user=ann&token=${REDACTED}&x`);
    expect(out.summary.target).toBe(out.request!.target);
    expect(out.redacted).toContain('request.body.password');
    expect(out.redacted).toContain('request.query.token');
    expect(JSON.stringify(out)).not.toContain('hunter2');
    expect(JSON.stringify(out)).not.toContain('q-tok-991');
  });

  it('redacts form bodies and JSON cut short by the body cap', () => {
    const form = redactEntry(withSecrets({ requestBody: body('user=ann&password=hunter2&remember=1', 'application/x-www-form-urlencoded') }), policy) as HttpEntry;
    expect(form.request!.body!.decoded).toBe(`user=ann&password=${REDACTED}&remember=1`);
    const cut = '{"user":"ann","password":"hunter2","next":{"token":"q-tok-991"},"more":"x", "password": "hunt';
    const out = redactEntry(withSecrets({ requestBody: body(cut, 'application/json') }), policy) as HttpEntry;
    expect(out.request!.body!.decoded).toBe(`{"user":"ann","password":"${REDACTED}","next":{"token":"${REDACTED}"},"more":"x", "password": "${REDACTED}"`);
    const objectValue = redactEntry(withSecrets({ requestBody: body('{"a":1,"password":{"hash":"hunter2","salt', 'application/json') }), policy) as HttpEntry;
    expect(objectValue.request!.body!.decoded).toBe(`{"a":1,"password":"${REDACTED}"`);
  });

  it('leaves entries without secrets, and DNS entries, as the same object', () => {
    expect(redactEntry(httpPost500, policy)).toBe(httpPost500);
    expect(redactEntry(dnsQuery, policy)).toBe(dnsQuery);
  });

  it('keeps the field visible to the filter language', () => {
    const out = redactEntry(withSecrets(), policy);
    expect(compileFilter(`request.headers["authorization"] == "Bearer ${REDACTED}"`).matches(out)).toBe(true);
    expect(compileFilter('request.headers["cookie"].contains("session=")').matches(out)).toBe(true);
  });

  it('masks header values', () => {
    expect(maskHeaderValue('authorization', 'Bearer')).toBe(REDACTED);
    expect(maskHeaderValue('authorization', 'Digest username="a", response="b"')).toBe(`Digest ${REDACTED}`);
    expect(maskHeaderValue('cookie', 'novalue')).toBe(REDACTED);
    expect(maskHeaderValue('x-other', 'v')).toBe(REDACTED);
  });

  it(`never lets the secret through, and is idempotent (seed ${TEST_SEED})`, () => {
    const secretArb = fc.string({ minLength: 6, maxLength: 40 }).filter((s) => /^[A-Za-z0-9+/_-]+$/.test(s) && !/redacted/i.test(s));
    fc.assert(
      fc.property(secretArb, fc.boolean(), (secret, cut) => {
        const json = JSON.stringify({ password: secret, list: [{ token: secret }] });
        const requestBody = body(cut ? json.slice(0, -3) : json, 'application/json');
        const entry = withSecrets({ secret, requestBody, target: `/p?token=${secret}` });
        const once = redactEntry(entry, policy);
        const text = JSON.stringify(once);
        expect(text.includes(secret), text).toBe(false);
        expect(JSON.stringify(redactEntry(once, policy))).toBe(text);
      }),
      { seed: TEST_SEED, numRuns: 300 },
    );
  });
});
