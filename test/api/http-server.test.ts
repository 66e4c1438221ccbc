/**
 * The API server against what clients really send: malformed request lines and targets, bad
 * percent-encoding, oversized headers, wrong methods and upgrades, handlers that fail, the token and
 * its dashboard login, and a WebSocket from another site. Every case ends in an answer and the
 * server keeps answering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AccessPolicy, ApiServer, HttpError } from '../../src/api/index.js';
import { jsonBodyOf, rawExchange, statusOf } from '../helpers/raw-http.js';

describe('ApiServer against hostile requests', () => {
  const server = new ApiServer();
  const reported: string[] = [];
  let port: number;

  beforeAll(async () => {
    server.reportErrorsTo((err) => reported.push(String(err)));
    server.get('/healthz', () => ({ body: { status: 'ok' } }));
    server.get('/boom', () => {
      throw new TypeError('handler bug');
    });
    server.get('/reject', () => Promise.reject(new Error('async handler bug')));
    server.get('/cyclic', () => {
      const body: Record<string, unknown> = {};
      body.self = body;
      return { body };
    });
    server.get('/teapot', () => {
      throw new HttpError(418, 'E_TEAPOT', 'short and stout');
    });
    server.getPrefix('/items/', (t) => ({ body: { rest: t.pathname } }));
    server.upgrade('/ws', () => {
      throw new Error('upgrade handler bug');
    });
    port = await server.listen(0, '127.0.0.1');
  });

  afterAll(() => server.close());

  const health = async (): Promise<number | null> => statusOf(await rawExchange(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));

  it('answers `GET //[ HTTP/1.1` (which stopped the server before) with 404 and keeps serving', async () => {
    const reply = await rawExchange(port, 'GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(statusOf(reply)).toBe(404);
    expect(await health()).toBe(200);
  });

  it('refuses unreadable targets and bad percent-encoding with 400 and a code', async () => {
    for (const [target, code] of [
      ['*', 'E_BAD_TARGET'],
      ['http://[/x', 'E_BAD_TARGET'],
      ['/healthz%zz', 'E_BAD_ENCODING'],
      ['/items/%FF', 'E_BAD_ENCODING'],
      ['/healthz?q=%', 'E_BAD_ENCODING'],
      ['/healthz?q=%C3%28', 'E_BAD_ENCODING'],
    ]) {
      const reply = await rawExchange(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(statusOf(reply), target).toBe(400);
      expect(jsonBodyOf(reply)?.error.code, target).toBe(code);
    }
    expect(await health()).toBe(200);
  });

  it('answers malformed HTTP with a JSON 400, and headers over 16 KiB with 431', async () => {
    for (const bytes of ['GARBAGE\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n', 'GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n', '\u0000\u0001\u0002\r\n\r\n']) {
      const reply = await rawExchange(port, bytes);
      expect(statusOf(reply), JSON.stringify(bytes)).toBe(400);
      expect(jsonBodyOf(reply)?.error.code).toBe('E_BAD_REQUEST');
    }
    const huge = await rawExchange(port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(statusOf(huge)).toBe(431);
    expect(jsonBodyOf(huge)?.error.code).toBe('E_HEADERS_TOO_LARGE');
    expect(server.counters().malformed).toBeGreaterThanOrEqual(6);
    expect(await health()).toBe(200);
  });

  it('answers CONNECT with 405 (node would close it silently) and a request without Host with 400', async () => {
    const connect = await rawExchange(port, 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n');
    expect(statusOf(connect)).toBe(405);
    const noHost = await rawExchange(port, 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(statusOf(noHost)).toBe(400);
    expect(jsonBodyOf(noHost)?.error.code).toBe('E_BAD_REQUEST');
    const http10 = await rawExchange(port, 'GET /healthz HTTP/1.0\r\n\r\n');
    expect(statusOf(http10)).toBe(200);
  });

  it('answers other methods with 405 and Allow, HEAD without a body', async () => {
    const post = await rawExchange(port, 'POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc');
    expect(statusOf(post)).toBe(405);
    expect(post).toMatch(/\r\nallow: GET, HEAD\r\n/i);
    const head = await rawExchange(port, 'HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(statusOf(head)).toBe(200);
    expect(head.endsWith('\r\n\r\n')).toBe(true);
  });

  it('turns handler failures into 500 E_INTERNAL, reported and counted, never a crash', async () => {
    const before = server.counters().internalErrors;
    for (const path of ['/boom', '/reject']) {
      const reply = await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(statusOf(reply), path).toBe(500);
      expect(jsonBodyOf(reply)?.error.code).toBe('E_INTERNAL');
    }
    const cyclic = await rawExchange(port, 'GET /cyclic HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(statusOf(cyclic)).toBe(null); // the body could not be written: the connection is closed
    expect(server.counters().internalErrors).toBe(before + 3);
    expect(reported.some((r) => r.includes('handler bug'))).toBe(true);
    const teapot = await rawExchange(port, 'GET /teapot HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(statusOf(teapot)).toBe(418);
    expect(await health()).toBe(200);
  });

  it('ends every upgrade in an answer', async () => {
    const upgrade = (path: string, extra = ''): Promise<string> =>
      rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`);
    expect(statusOf(await upgrade('/nowhere'))).toBe(404);
    expect(statusOf(await upgrade('//['))).toBe(404);
    expect(statusOf(await upgrade('/ws%zz'))).toBe(400);
    expect(statusOf(await upgrade('/ws'))).toBe(500);
    const h2c = await rawExchange(port, 'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
    expect(statusOf(h2c)).toBe(400);
    expect(await health()).toBe(200);
  });

  it('sets headers that keep other sites from framing or sniffing answers', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('ApiServer with a token', () => {
  const server = new ApiServer({ access: new AccessPolicy({ token: 'tok-123' }) });
  let port: number;
  let received: string | null = null;

  beforeAll(async () => {
    server.get('/healthz', () => ({ body: { status: 'ok' } }));
    server.get('/api/v1/thing', () => ({ body: { thing: 1 } }));
    server.getPrefix('/', (t) => ({ body: `page ${t.pathname}` }));
    server.upgrade('/api/v1/stream', (_req, socket) => {
      received = 'upgraded';
      socket.destroy();
    });
    port = await server.listen(0, '127.0.0.1');
  });

  afterAll(() => server.close());

  it('answers the probes without it and everything else only with it', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const refused = await fetch(`http://127.0.0.1:${port}/api/v1/thing`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/thing`, { headers: { authorization: 'Bearer tok-123' } })).status).toBe(200);
    expect(server.counters().refused).toBeGreaterThanOrEqual(1);
  });

  it('logs the dashboard in from a ?token= link: an HttpOnly same-site cookie, then the page without it', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/?q=http&token=tok-123`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/?q=http');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^podsniff_token=tok-123; HttpOnly; SameSite=Strict; Path=\//);
    const page = await fetch(`http://127.0.0.1:${port}/?q=http`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/?token=wrong`)).status).toBe(401);
    // API routes never take the token from the URL.
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/thing?token=tok-123`)).status).toBe(401);
  });

  it('refuses a WebSocket from another site even with the cookie, and one without the token', async () => {
    const attempt = (headers: Record<string, string>): Promise<number> =>
      new Promise((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/stream`, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(-1));
        ws.on('open', () => resolve(101));
      });
    expect(await attempt({ cookie: 'podsniff_token=tok-123', origin: 'http://evil.example' })).toBe(403);
    expect(await attempt({ origin: `http://127.0.0.1:${port}` })).toBe(401);
    expect(received).toBeNull();
    await attempt({ cookie: 'podsniff_token=tok-123', origin: `http://127.0.0.1:${port}` });
    expect(received).toBe('upgraded');
  });
});
