/**
 * Who may talk to the API: only the user's own browser, the hub and tools run by someone who holds the
 * token. Checked for every request and WebSocket upgrade except `/healthz` and `/readyz` (probes):
 *
 * - `Host` must be an IP literal, `localhost`, or a name given with `--allow-host`. A web page cannot
 *   reach the API by DNS rebinding (its requests carry the attacker's name as Host). The hub reaches
 *   workers by IP, so it always passes. A request without Host (HTTP/1.0 tools) passes.
 * - `Origin`, when sent (browsers send it on every WebSocket handshake and cross-origin fetch), must be
 *   this server's own origin or name an allowed host: another site open in the same browser cannot read
 *   `ws://127.0.0.1:8898/api/v1/stream`. `Origin: null` (sandboxed frames, files) is refused.
 * - With a token (`--token-file`), `Authorization: Bearer TOKEN` or the `podsniff_token` cookie the
 *   dashboard gets from a `?token=` link. Compared in constant time (SHA-256 of both sides, so not even
 *   the length leaks).
 *
 * Refusals are `HttpError`s: 403 `E_HOST_NOT_ALLOWED` / `E_ORIGIN_NOT_ALLOWED`, 401 `E_UNAUTHORIZED`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { HttpError } from './http-error.js';

/** Access settings of one server. */
export interface AccessOptions {
  /** DNS names accepted in Host and Origin besides IP literals and `localhost`; `*.example.com` matches subdomains. */
  readonly allowHosts?: readonly string[];
  /** The bearer token every route but health requires; null or absent: none. */
  readonly token?: string | null;
}

/** Cookie that carries the token for the dashboard (set from a `?token=` link). */
export const TOKEN_COOKIE = 'podsniff_token';

/** Paths that answer without any check: the probes. */
const OPEN_PATHS = new Set(['/healthz', '/readyz']);

/** Checks requests against one server's access settings. Stateless; safe to share. */
export class AccessPolicy {
  private readonly allowHosts: readonly string[];
  private readonly tokenDigest: Buffer | null;

  constructor(options: AccessOptions = {}) {
    this.allowHosts = (options.allowHosts ?? []).map((h) => h.toLowerCase().replace(/\.$/, ''));
    this.tokenDigest = options.token ? digest(options.token) : null;
  }

  /** True when a token is required. */
  get requiresToken(): boolean {
    return this.tokenDigest !== null;
  }

  /** Throws the refusal for a request to `pathname` with `headers`; returns when it may proceed. */
  check(pathname: string, headers: IncomingHttpHeaders): void {
    this.checkSite(pathname, headers);
    this.checkToken(pathname, headers);
  }

  /** The Host and Origin checks alone (a `?token=` login link is checked by them, then by its token). */
  checkSite(pathname: string, headers: IncomingHttpHeaders): void {
    if (OPEN_PATHS.has(pathname)) return;
    this.checkHost(headers.host);
    this.checkOrigin(headers.origin, headers.host);
  }

  private checkToken(pathname: string, headers: IncomingHttpHeaders): void {
    if (OPEN_PATHS.has(pathname)) return;
    if (this.tokenDigest && !this.hasToken(headers)) {
      throw new HttpError(
        401,
        'E_UNAUTHORIZED',
        'this podsniff requires a token: send "Authorization: Bearer TOKEN" (the content of its --token-file), or open the dashboard link it printed',
        {},
        { 'www-authenticate': 'Bearer realm="podsniff"' },
      );
    }
  }

  /** True when `candidate` is the token (constant time). */
  tokenMatches(candidate: string): boolean {
    return this.tokenDigest !== null && timingSafeEqual(digest(candidate), this.tokenDigest);
  }

  private hasToken(headers: IncomingHttpHeaders): boolean {
    const auth = headers.authorization;
    const bearer = auth && /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (bearer) return this.tokenMatches(bearer[1]!);
    const cookie = cookieValue(headers.cookie, TOKEN_COOKIE);
    return cookie !== null && this.tokenMatches(cookie);
  }

  private checkHost(host: string | undefined): void {
    if (host === undefined) return;
    const name = hostName(host);
    if (name !== null && this.nameAllowed(name)) return;
    throw new HttpError(
      403,
      'E_HOST_NOT_ALLOWED',
      `Host "${clip(host)}" is not allowed: podsniff answers requests addressed to an IP address or localhost; to reach it by a DNS name, start it with --allow-host NAME`,
    );
  }

  private checkOrigin(origin: string | undefined, host: string | undefined): void {
    if (origin === undefined) return;
    const parsed = parseOrigin(origin);
    if (parsed && host !== undefined && parsed.host === host.toLowerCase().replace(/:80$/, '')) return;
    if (parsed && !isIP(unbracket(parsed.hostname)) && parsed.hostname !== 'localhost' && this.listed(parsed.hostname)) return;
    throw new HttpError(
      403,
      'E_ORIGIN_NOT_ALLOWED',
      `Origin "${clip(origin)}" is not allowed: only pages served by this podsniff may use its API; to allow another site, start it with --allow-host NAME`,
    );
  }

  private nameAllowed(name: string): boolean {
    return isIP(name) !== 0 || name === 'localhost' || this.listed(name);
  }

  private listed(name: string): boolean {
    return this.allowHosts.some((allowed) => (allowed.startsWith('*.') ? name.endsWith(allowed.slice(1)) : name === allowed));
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The host name of a Host header (`name`, `name:port`, `[v6]:port`), lower case; null when malformed. */
export function hostName(host: string): string | null {
  const value = host.trim().toLowerCase();
  const v6 = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(value);
  if (v6) return isIP(v6[1]!) === 6 ? v6[1]! : null;
  const plain = /^([a-z0-9._-]+)(?::\d{1,5})?$/.exec(value);
  return plain ? plain[1]!.replace(/\.$/, '') : null;
}

function parseOrigin(origin: string): { host: string; hostname: string } | null {
  if (origin === 'null') return null;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return { host: url.host.toLowerCase(), hostname: url.hostname.toLowerCase().replace(/\.$/, '') };
  } catch {
    return null;
  }
}

function unbracket(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}

/** The value of cookie `name` in a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function clip(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
