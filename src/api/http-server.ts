/**
 * A small JSON HTTP server on node:http: exact-path routes, JSON bodies, errors as JSON with a stable
 * code. node:http rather than a framework because it is listening within milliseconds of process start
 * (DESIGN.md rule 1: health is never behind work) and the routes are few; measured here, importing a
 * framework and its plugins costs more CPU than the whole time-to-listen budget under a 0.25 CPU quota.
 *
 * Contract: handlers receive the parsed URL and return a `Reply` (or a promise of one); a thrown
 * `HttpError` becomes its status and JSON body, anything else a 500 that is logged, never a crash.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { PodsniffError } from '../model/index.js';

/** What a handler returns. `body` is JSON-serialised unless it is a string or bytes (sent as-is). */
export interface Reply {
  status?: number;
  body: unknown;
  contentType?: string;
  /** Extra response headers (e.g. content-disposition, cache-control). */
  headers?: Record<string, string>;
}

/** Takes over a connection that asked to upgrade (WebSocket). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** A route handler. */
export type Handler = (url: URL, req: IncomingMessage) => Reply | Promise<Reply>;

/** An error that maps to an HTTP status with a JSON body `{error: {code, message, ...details}}`. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The JSON body of this error. */
  body(): { error: Record<string, unknown> } {
    return { error: { ...this.details, code: this.code, message: this.message } };
  }
}

/** JSON API server. Routes can be added before or after `listen()`. */
export class ApiServer {
  private readonly routes = new Map<string, Handler>();
  /** Prefix routes, longest prefix first. */
  private readonly prefixes: { prefix: string; handler: Handler }[] = [];
  private readonly server: Server;
  private readonly upgrades = new Map<string, UpgradeHandler>();
  private readonly closers: (() => void)[] = [];
  private onError: (err: unknown, path: string) => void = () => {};

  constructor() {
    this.server = createServer((req, res) => this.dispatch(req, res));
    this.server.keepAliveTimeout = 5000;
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.dispatchUpgrade(req, socket, head));
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

  /** Listen; resolves with the bound port. Rejects with E_PORT_IN_USE / E_LISTEN. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const fail = (err: NodeJS.ErrnoException): void => {
        const code = err.code === 'EADDRINUSE' ? 'E_PORT_IN_USE' : 'E_LISTEN';
        const hint = err.code === 'EADDRINUSE' ? 'stop the other process or pass --port' : 'check --host and --port';
        reject(new PodsniffError(code, `cannot listen on ${host}:${port}: ${err.code ?? err.message}`, hint, { cause: err }));
      };
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

  private dispatchUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handler = this.upgrades.get(path);
    if (!handler) {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      return;
    }
    try {
      handler(req, socket, head);
    } catch (err) {
      this.onError(err, path);
      socket.destroy();
    }
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handler = this.routes.get(url.pathname) ?? this.prefixes.find((p) => url.pathname.startsWith(p.prefix))?.handler;
    if (!handler) return send(res, 404, { error: { code: 'E_NOT_FOUND', message: `no route ${url.pathname}` } });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, { error: { code: 'E_METHOD', message: `${req.method ?? ''} is not allowed here; use GET` } });
    }
    Promise.resolve()
      .then(() => handler(url, req))
      .then(
        (reply) => send(res, reply.status ?? 200, reply.body, reply.contentType, reply.headers, req.method === 'HEAD'),
        (err: unknown) => {
          if (err instanceof HttpError) return send(res, err.status, err.body());
          this.onError(err, url.pathname);
          send(res, 500, { error: { code: 'E_INTERNAL', message: 'internal error; see the worker log' } });
        },
      );
  }
}

function send(res: ServerResponse, status: number, body: unknown, contentType?: string, headers?: Record<string, string>, headOnly = false): void {
  const raw = body instanceof Uint8Array;
  const payload = raw || typeof body === 'string' ? body : JSON.stringify(body);
  const fallbackType = raw ? 'application/octet-stream' : typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  res.writeHead(status, {
    'content-type': contentType ?? fallbackType,
    'content-length': raw ? body.length : Buffer.byteLength(payload),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(headOnly ? undefined : payload);
}
