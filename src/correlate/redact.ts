/**
 * Redaction: secrets are replaced by a marker before an entry leaves the pipeline, so they are never
 * stored, streamed or shown. Pure and deterministic: the same entry and policy give the same result.
 *
 * What is redacted (names compare case-insensitively):
 * - headers (request, response, trailers, interim responses) named `Authorization`,
 *   `Proxy-Authorization`, `Cookie`, `Set-Cookie`, plus every name the operator adds (`--redact NAME`).
 *   What is not secret stays readable: the scheme of an authorization (`Bearer [REDACTED]`), the names
 *   of cookies (`session=[REDACTED]`) and the attributes of a Set-Cookie (`Path=/; HttpOnly`).
 * - fields named with `--redact` in JSON bodies (at any depth), form bodies and the request target's
 *   query (`?token=[REDACTED]`). A JSON body that does not parse (cut at the body cap) is redacted
 *   textually (`"NAME": value`).
 *
 * The field stays, with the marker as its value, so a filter still sees that it was there. A body that
 * was redacted loses its raw wire bytes (`raw: null`): they held the secret. `Entry.redacted` lists
 * what was replaced (`request.headers.authorization`, `request.body.password`, `request.query.token`);
 * entries with nothing to redact are returned unchanged (the same object).
 */
import type { Body, Entry, Header, HttpEntry, HttpRequestDetail, HttpResponseDetail } from '../model/index.js';

/** What replaces a secret. */
export const REDACTED = '[REDACTED]';

/** Headers redacted by default. */
export const DEFAULT_REDACTED_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

/** What to redact; build it with `redactionPolicy`. */
export interface RedactionPolicy {
  /** Header names, lower case. */
  readonly headers: ReadonlySet<string>;
  /** JSON/form/query field names, lower case. */
  readonly fields: ReadonlySet<string>;
}

/** The default headers plus `names` (each applies to headers and to body and query fields). */
export function redactionPolicy(names: readonly string[] = []): RedactionPolicy {
  const extra = names.map((n) => n.trim().toLowerCase()).filter(Boolean);
  return { headers: new Set([...DEFAULT_REDACTED_HEADERS, ...extra]), fields: new Set(extra) };
}

/** `entry` with its secrets replaced, or `entry` itself when it holds none. */
export function redactEntry(entry: Entry, policy: RedactionPolicy): Entry {
  if (entry.protocol !== 'http') return entry;
  const found: string[] = [];
  const request = entry.request && redactRequest(entry.request, policy, found);
  const response = entry.response && redactResponse(entry.response, policy, found);
  if (found.length === 0) return entry;
  const redacted: HttpEntry = {
    ...entry,
    summary: request && entry.summary.target !== null ? { ...entry.summary, target: request.target } : entry.summary,
    request,
    response,
    redacted: [...new Set(found)],
  };
  return redacted;
}

function redactRequest(req: HttpRequestDetail, policy: RedactionPolicy, found: string[]): HttpRequestDetail {
  const before = found.length;
  const headers = redactHeaders(req.headers, policy, 'request.headers', found);
  const trailers = redactHeaders(req.trailers, policy, 'request.trailers', found);
  const target = redactQuery(req.target, policy, found);
  const body = req.body && redactBody(req.body, policy, 'request.body', found);
  return found.length === before ? req : { ...req, headers, trailers, target, body };
}

function redactResponse(res: HttpResponseDetail, policy: RedactionPolicy, found: string[]): HttpResponseDetail {
  const before = found.length;
  const headers = redactHeaders(res.headers, policy, 'response.headers', found);
  const trailers = redactHeaders(res.trailers, policy, 'response.trailers', found);
  const interim = res.interim.map((i) => ({ ...i, headers: redactHeaders(i.headers, policy, 'response.interim.headers', found) }));
  const body = res.body && redactBody(res.body, policy, 'response.body', found);
  return found.length === before ? res : { ...res, headers, trailers, interim, body };
}

function redactHeaders(headers: readonly Header[], policy: RedactionPolicy, where: string, found: string[]): readonly Header[] {
  if (!headers.some(([name]) => policy.headers.has(name.toLowerCase()))) return headers;
  return headers.map(([name, value]) => {
    const lower = name.toLowerCase();
    if (!policy.headers.has(lower)) return [name, value] as const;
    found.push(`${where}.${lower}`);
    return [name, maskHeaderValue(lower, value)] as const;
  });
}

/** The marker in place of the secret part of a header value, keeping what is not secret. */
export function maskHeaderValue(name: string, value: string): string {
  if (name === 'authorization' || name === 'proxy-authorization') {
    const scheme = /^([A-Za-z][A-Za-z0-9_-]*)\s+\S/.exec(value);
    return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
  }
  if (name === 'cookie') return value.split(';').map((pair) => maskPair(pair.trim())).join('; ');
  if (name === 'set-cookie') {
    const [first = '', ...attributes] = value.split(';');
    return [maskPair(first.trim()), ...attributes.map((a) => a.trim())].join('; ');
  }
  return REDACTED;
}

function maskPair(pair: string): string {
  const eq = pair.indexOf('=');
  return eq > 0 ? `${pair.slice(0, eq)}=${REDACTED}` : REDACTED;
}

function redactQuery(target: string, policy: RedactionPolicy, found: string[]): string {
  const q = target.indexOf('?');
  if (q < 0 || policy.fields.size === 0) return target;
  const redacted = redactPairs(target.slice(q + 1), policy, 'request.query', found);
  return redacted === null ? target : `${target.slice(0, q + 1)}${redacted}`;
}

/** `a=1&b=2` with the values of listed names replaced; null when none is listed. */
function redactPairs(text: string, policy: RedactionPolicy, where: string, found: string[]): string | null {
  let changed = false;
  const pairs = text.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = safeDecode(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
    if (!policy.fields.has(name)) return pair;
    changed = true;
    found.push(`${where}.${name}`);
    return `${eq < 0 ? pair : pair.slice(0, eq)}=${REDACTED}`;
  });
  return changed ? pairs.join('&') : null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function redactBody(body: Body, policy: RedactionPolicy, where: string, found: string[]): Body {
  if (policy.fields.size === 0 || body.decoded === null || body.decodedEncoding !== 'utf8') return body;
  const type = (body.contentType ?? '').toLowerCase();
  const text = body.decoded;
  const redacted = type.includes('x-www-form-urlencoded')
    ? redactPairs(text, policy, where, found)
    : type.includes('json') || /^\s*[[{]/.test(text)
      ? redactJsonText(text, policy, where, found)
      : null;
  return redacted === null ? body : { ...body, decoded: redacted, raw: null };
}

function redactJsonText(text: string, policy: RedactionPolicy, where: string, found: string[]): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return redactJsonTextually(text, policy, where, found);
  }
  const before = found.length;
  const result = redactJsonValue(value, policy, where, found);
  return found.length === before ? null : JSON.stringify(result);
}

function redactJsonValue(value: unknown, policy: RedactionPolicy, where: string, found: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => redactJsonValue(v, policy, where, found));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (policy.fields.has(key.toLowerCase())) {
      found.push(`${where}.${key.toLowerCase()}`);
      out[key] = REDACTED;
    } else out[key] = redactJsonValue(v, policy, where, found);
  }
  return out;
}

/**
 * A JSON text cut short (the body cap, a gap): `"name": value` for each listed name, where value is a
 * string (possibly unterminated), a number or a literal. A listed name whose value is an object or an
 * array cannot be delimited in a cut text: the text ends there, with the marker.
 */
function redactJsonTextually(text: string, policy: RedactionPolicy, where: string, found: string[]): string | null {
  const pattern = /"((?:[^"\\]|\\.)*)"(\s*:\s*)("(?:[^"\\]|\\.)*(?:"|$)|[-+0-9.eE]+|true|false|null|(?=[{[]))/g;
  let out = '';
  let from = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const name = m[1]!.toLowerCase();
    if (!policy.fields.has(name)) continue;
    found.push(`${where}.${name}`);
    out += `${text.slice(from, m.index)}"${m[1]}"${m[2]}"${REDACTED}"`;
    from = m.index + m[0].length;
    if (m[3] === '') return out;
  }
  return from === 0 ? null : out + text.slice(from);
}
