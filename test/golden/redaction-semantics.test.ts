/**
 * Redaction on real traffic (the http-secrets fixture, recorded from curl and a node:http server):
 * by default the Authorization headers (Basic and Bearer), the Cookie and the Set-Cookie are replaced;
 * with `--redact password --redact api_key --redact token` also the JSON and form passwords, the query
 * key and the token in the response body. No secret value survives anywhere in the entries, whatever the
 * chunking of the file; `podsniff read` redacts by default and shows everything with --no-redact.
 */
import { describe, expect, it } from 'vitest';
import { redactionPolicy } from '../../src/correlate/index.js';
import type { HttpEntry } from '../../src/model/index.js';
import { runCli } from '../helpers/run-cli.js';
import { byteByByte, bytesOf, fixture, httpEntries, read } from './support.js';

const f = fixture('http-secrets');
const HEADER_SECRETS = ['YW5uOmh1bnRlcjItYmFzaWM=', 'tok-B3ar3r-5150', 'srv-S3ss10n-4471'];
const FIELD_SECRETS = ['pw-S3cr3t-77', 'pw-F0rm-8080', 'q-K3y-1234', 'resp-T0k3n-9090'];
const NAMES = ['password', 'api_key', 'token'];

function byTarget(entries: HttpEntry[], target: string): HttpEntry {
  const e = entries.find((x) => x.request?.target.startsWith(target));
  if (!e) throw new Error(`no entry for ${target}`);
  return e;
}

describe('redaction of http-secrets', () => {
  it('replaces the default headers and keeps the bodies and query without --redact names', () => {
    const entries = httpEntries(read([bytesOf(f)], { redaction: redactionPolicy() }));
    const text = JSON.stringify(entries);
    for (const secret of HEADER_SECRETS) expect(text).not.toContain(secret);
    for (const secret of FIELD_SECRETS) expect(text).toContain(secret);
    const login = byTarget(entries, '/login?client=cli');
    expect(login.request!.headers).toContainEqual(['Authorization', 'Basic [REDACTED]']);
    expect(login.response!.headers).toContainEqual(['Set-Cookie', 'session=[REDACTED]; Path=/; HttpOnly']);
    const account = byTarget(entries, '/account');
    expect(account.request!.headers).toContainEqual(['Cookie', 'session=[REDACTED]; theme=[REDACTED]']);
    expect([...account.redacted!].sort()).toEqual(['request.headers.authorization', 'request.headers.cookie']);
  });

  it('replaces the named fields too, whatever the chunking', () => {
    const policy = redactionPolicy(NAMES);
    const whole = httpEntries(read([bytesOf(f)], { redaction: policy }));
    const text = JSON.stringify(whole);
    for (const secret of [...HEADER_SECRETS, ...FIELD_SECRETS]) expect(text).not.toContain(secret);
    expect(JSON.stringify(httpEntries(read(byteByByte(bytesOf(f)), { redaction: policy })))).toBe(text);
    const login = byTarget(whole, '/login?client=cli');
    expect(login.request!.target).toBe('/login?client=cli&api_key=[REDACTED]');
    expect(JSON.parse(login.request!.body!.decoded!)).toEqual({ user: 'ann', password: '[REDACTED]', remember: true });
    expect(JSON.parse(login.response!.body!.decoded!)).toEqual({ ok: true, token: '[REDACTED]', user: 'ann' });
    expect(login.request!.body!.raw).toBeNull();
    const form = whole.find((e) => e.request?.target === '/login')!;
    expect(form.request!.body!.decoded).toBe('user=bob&password=[REDACTED]');
  });

  it('`podsniff read` redacts by default, takes --redact, and shows everything with --no-redact', async () => {
    const byDefault = await runCli(['read', '--json', f.path]);
    expect(byDefault.code, byDefault.stderr).toBe(0);
    for (const secret of HEADER_SECRETS) expect(byDefault.stdout).not.toContain(secret);
    const named = await runCli(['read', '--json', ...NAMES.flatMap((n) => ['--redact', n]), f.path]);
    for (const secret of [...HEADER_SECRETS, ...FIELD_SECRETS]) expect(named.stdout).not.toContain(secret);
    const raw = await runCli(['read', '--json', '--no-redact', f.path]);
    for (const secret of [...HEADER_SECRETS, ...FIELD_SECRETS]) expect(raw.stdout).toContain(secret);
  });
});
