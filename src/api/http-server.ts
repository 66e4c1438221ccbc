/**
 * A small JSON HTTP server on node:http: exact-path routes, JSON bodies, errors as JSON with a stable
 * code. node:http rather than a framework because it is listening within milliseconds of process start
 * (DESIGN.md rule 1: health is never behind work) and the routes are few; measured here, importing a
 * framework and its plugins costs more CPU than the whole time-to-listen budget under a 0.25 CPU quota.
 *
 * Contract: nothing a client sends stops the server. Every request and upgrade ends in an answer: a
 * target that cannot be parsed or is badly percent-encoded is a 400, a request the access policy
 * refuses a 401/403 (see access.ts), a thrown `HttpError` its status, anything else a 500 `E_INTERNAL`
 * that is reported (logged) and counted, never a crash. Malformed HTTP (node's parser errors, headers
 * over 16 KiB, slow clients) gets a JSON 400/431/408 and the connection closed. Handlers receive the
 * parsed `RequestTarget` and return a `Reply` (or a promise of one).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { PodsniffError } from '../model/index.js';
import { AccessPolicy, TOKEN_COOKIE } from './access.js';
import { HttpError } from './http-error.js';
import { parseRequestTarget, type RequestTarget } from './request-target.js';
import { createLimitedServer } from './server-limits.js';

export { HttpError } from './http-error.js';
export type { RequestTarget } from './request-target.js';

/** What a handler returns. `body` is JSON-serialised unless it is a string or bytes (sent as-is). */
export interface Reply {
  status?: number;
  body: unknown;
  contentType?: string;
  /** Extra response headers (e.g. content-disposition, cache-control). */
  headers?: Record<string, string>;
}

/** Takes over a connection that asked to upgrade (WebSocket). Access was checked before it runs. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, target: RequestTarget) => void;

/** A route handler. */
export type Handler = (target: RequestTarget, req: IncomingMessage) => Reply | Promise<Reply>;

/** Answers by outcome since start: what `/metrics` exports. */
export interface HttpCounters {
  /** Responses by status class (`2xx`, `4xx`, …). */
  readonly responses: Record<string, number>;
  /** Requests refused by the access policy (Host, Origin, token). */
  readonly refused: number;
  /** Handler failures answered with 500 `E_INTERNAL`. */
  readonly internalErrors: number;
  /** Requests node's HTTP parser rejected (malformed, too large, too slow). */
  readonly malformed: number;
}

export interface ApiServerOptions {
  /** A server already listening (created by `createLimitedServer`), taken over as it is. */
  readonly adopt?: Server;
  readonly access?: AccessPolicy;
}

/** Headers on every answer: no sniffing, no framing by other sites, no referrer to elsewhere. */
const SAFE_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** JSON API server. Routes can be added before or after `listen()`. */
export class ApiServer {
  private readonly routes = new Map<string, Handler>();
  /** Prefix routes, longest prefix first. */
  private readonly prefixes: { prefix: string; handler: Handler }[] = [];
  private readonly server: Server;
  private readonly upgrades = new Map<string, UpgradeHandler>();
  private readonly closers: (() => void)[] = [];
  private readonly access: AccessPolicy;
  private onError: (err: unknown, path: string) => void = () => {};
  private readonly counts = { responses: {} as Record<string, number>, refused: 0, internalErrors: 0, malformed: 0 };

  constructor(options: ApiServerOptions = {}) {
    this.server = options.adopt ?? createLimitedServer();
    this.access = options.access ?? new AccessPolicy();
    // An adopted server answered health on its own until now; from here on this dispatcher does.
    this.server.removeAllListeners('request');
    this.server.removeAllListeners('upgrade');
    this.server.removeAllListeners('clientError');
    this.server.removeAllListeners('connect');
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => this.dispatch(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.dispatchUpgrade(req, socket, head));
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => this.answerClientError(err, socket));
    // node hands CONNECT to this event (and closes the socket silently when nobody listens).
    this.server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
      socket.on('error', () => socket.destroy());
      refuseUpgrade(socket, new HttpError(405, 'E_METHOD', 'CONNECT is not allowed here; use GET', {}, { allow: 'GET, HEAD' }));
    });
    // After listening, node reports failures to accept (EMFILE under a connection flood) here; they
    // cost the connection that could not be accepted, never the server.
    this.server.on('error', (err) => {
      if (this.server.listening) this.report(err, 'accept');
    });
  }

  /** The access policy requests are checked against. */
  get policy(): AccessPolicy {
    return this.access;
  }

  /** Register an upgrade (WebSocket) endpoint at `path`. */
  upgrade(path: string, handler: UpgradeHandler): void {
    this.upgrades.set(path, handler);
  }

  /** Run `fn` when the server closes (to end long-lived connections such as WebSockets). */
  onClose(fn: () => void): void {
    this.closers.push(fn);
  }

  /** Register `GET path`. */
  get(path: string, handler: Handler): void {
    this.routes.set(path, handler);
  }

  /** Register `GET prefix*` for paths no exact route matches (longest prefix wins). */
  getPrefix(prefix: string, handler: Handler): void {
    this.prefixes.push({ prefix, handler });
    this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** Where unexpected handler errors are reported (logging). */
  reportErrorsTo(onError: (err: unknown, path: string) => void): void {
    this.onError = onError;
  }

  /** Answers so far, by outcome. */
  counters(): HttpCounters {
    return { ...this.counts, responses: { ...this.counts.responses } };
  }

  /**
   * Listen; resolves with the bound port. Rejects with E_PORT_IN_USE / E_LISTEN. An adopted server that
   * is already listening resolves with its port.
   */
  listen(port: number, host: string): Promise<number> {
    if (this.server.listening) return Promise.resolve((this.server.address() as AddressInfo).port);
    return new Promise((resolve, reject) => {
      const fail = (err: NodeJS.ErrnoException): void => reject(listenError(err, host, port));
      this.server.once('error', fail);
      this.server.listen(port, host, () => {
        this.server.off('error', fail);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Stop accepting, close idle and active connections. */
  close(): Promise<void> {
    for (const fn of this.closers.splice(0)) fn();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    res.on('error', () => res.destroy());
    let path = '?';
    try {
      const target = parseRequestTarget(req.url);
      path = target.pathname;
      requireHost(req);
      const login = this.tokenLogin(target, req);
      this.checkAccess(() => (login ? this.access.checkSite(path, req.headers) : this.access.check(path, req.headers)));
      if (login) return this.send(res, login, req);
      const handler = this.routes.get(path) ?? this.prefixes.find((p) => path.startsWith(p.prefix))?.handler;
      if (!handler) throw new HttpError(404, 'E_NOT_FOUND', `no route ${clip(path)}`);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw new HttpError(405, 'E_METHOD', `${clip(req.method ?? '')} is not allowed here; use GET`, {}, { allow: 'GET, HEAD' });
      }
      Promise.resolve()
        .then(() => handler(target, req))
        .then(
          (reply) => this.send(res, reply, req),
          (err: unknown) => this.fail(res, req, err, path),
        );
    } catch (err) {
      this.fail(res, req, err, path);
    }
  }

  private checkAccess(check: () => void): void {
    try {
      check();
    } catch (err) {
      this.counts.refused++;
      throw err;
    }
  }

  /**
   * `GET /any/page?token=TOKEN` (the link `podsniff local --token-file` prints): when the token is right,
   * set it as an HttpOnly, same-site cookie and redirect to the page without it, so it leaves the
   * address bar and the history. API routes never take a token from the URL.
   */
  private tokenLogin(target: RequestTarget, req: IncomingMessage): Reply | null {
    const token = target.searchParams.get('token');
    if (token === null || req.method !== 'GET' || target.pathname.startsWith('/api/') || !this.access.tokenMatches(token)) return null;
    const rest = new URLSearchParams(target.searchParams);
    rest.delete('token');
    const query = rest.toString();
    const secure = (req.socket as { encrypted?: boolean }).encrypted ? '; Secure' : '';
    return {
      status: 303,
      body: '',
      headers: {
        location: `${target.pathname}${query ? `?${query}` : ''}`,
        'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/${secure}`,
      },
    };
  }

  private fail(res: ServerResponse, req: IncomingMessage, err: unknown, path: string): void {
    if (err instanceof HttpError) return this.send(res, { status: err.status, body: err.body(), headers: err.headers }, req);
    this.counts.internalErrors++;
    this.report(err, path);
    this.send(res, { status: 500, body: { error: { code: 'E_INTERNAL', message: 'internal error; see the server log' } } }, req);
  }

  private report(err: unknown, path: string): void {
    try {
      this.onError(err, path);
    } catch {
      // a failing logger must not turn one failed request into a crash
    }
  }

  private send(res: ServerResponse, reply: Reply, req: IncomingMessage): void {
    const status = reply.status ?? 200;
    const key = `${Math.floor(status / 100)}xx`;
    this.counts.responses[key] = (this.counts.responses[key] ?? 0) + 1;
    if (res.headersSent || res.destroyed) return;
    try {
      writeReply(res, status, reply, req.method === 'HEAD');
    } catch (err) {
      // A body that cannot be serialised, or a socket gone mid-write: the client gets a closed connection.
      this.counts.internalErrors++;
      this.report(err, req.url ?? '?');
      res.destroy();
    }
  }

  private dispatchUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    let path = '?';
    try {
      const target = parseRequestTarget(req.url);
      path = target.pathname;
      requireHost(req);
      this.checkAccess(() => this.access.check(path, req.headers));
      const handler = this.upgrades.get(path);
      if (!handler) throw new HttpError(404, 'E_NOT_FOUND', `no WebSocket endpoint at ${clip(path)}`);
      if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
        throw new HttpError(400, 'E_BAD_UPGRADE', 'only "Upgrade: websocket" is served here');
      }
      handler(req, socket, head, target);
    } catch (err) {
      if (!(err instanceof HttpError)) {
        this.counts.internalErrors++;
        this.report(err, path);
      }
      refuseUpgrade(socket, err instanceof HttpError ? err : new HttpError(500, 'E_INTERNAL', 'internal error; see the server log'));
    }
  }

  private answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
    this.counts.malformed++;
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, code, message] = clientErrorAnswer(err);
    const body = JSON.stringify({ error: { code, message } });
    socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  }
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** HTTP/1.1 requires a Host header (RFC 9112 §3.2); HTTP/1.0 clients may leave it out. */
function requireHost(req: IncomingMessage): void {
  if (req.headers.host === undefined && req.httpVersion !== '1.0') {
    throw new HttpError(400, 'E_BAD_REQUEST', 'an HTTP/1.1 request needs a Host header');
  }
}

function clientErrorAnswer(err: NodeJS.ErrnoException): [number, string, string] {
  if (err.code === 'HPE_HEADER_OVERFLOW') return [431, 'E_HEADERS_TOO_LARGE', 'request headers are over 16 KiB'];
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'E_REQUEST_TIMEOUT', 'the request was not received in time'];
  return [400, 'E_BAD_REQUEST', `malformed HTTP request (${err.code ?? 'parse error'})`];
}

function writeReply(res: ServerResponse, status: number, reply: Reply, headOnly: boolean): void {
  const body = reply.body;
  const raw = body instanceof Uint8Array;
  const payload = raw || typeof body === 'string' ? body : JSON.stringify(body);
  const fallbackType = raw ? 'application/octet-stream' : typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  res.writeHead(status, {
    'content-type': reply.contentType ?? fallbackType,
    'content-length': raw ? body.length : Buffer.byteLength(payload),
    'cache-control': 'no-store',
    ...SAFE_HEADERS,
    ...reply.headers,
  });
  res.end(headOnly ? undefined : payload);
}

function refuseUpgrade(socket: Duplex, err: HttpError): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify(err.body());
  const extra = Object.entries(err.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${err.status} ${STATUS_TEXT[err.status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}connection: close\r\n\r\n${body}`);
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): PodsniffError {
  const code = err.code === 'EADDRINUSE' ? 'E_PORT_IN_USE' : 'E_LISTEN';
  const hint = err.code === 'EADDRINUSE' ? 'stop the other process or pass --port' : 'check --host and --port';
  return new PodsniffError(code, `cannot listen on ${host}:${port}: ${err.code ?? err.message}`, hint, { cause: err });
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
