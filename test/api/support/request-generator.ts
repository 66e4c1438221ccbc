/**
 * Generates what a hostile or careless client sends an API server: request lines, targets, methods,
 * headers, query values, cursor values, filter expressions and WebSocket upgrades, from a seeded
 * random source (the same seed gives the same requests). Mostly near-valid requests (so routes and
 * the filter compiler are reached), mixed with plain garbage.
 *
 * A generated request is raw bytes plus whether the server may close the connection after answering it
 * (`closes`: malformed HTTP, or a refused upgrade), so the driver knows which requests to expect answers for.
 */
import { randomInt } from '../../support/seed.js';

export interface GeneratedRequest {
  readonly bytes: Buffer;
  /** A complete upgrade request to the stream that the server may accept (101). */
  readonly upgrade: boolean;
  /** Odd at the HTTP level (method, version, headers): the server may answer and close. */
  readonly malformed: boolean;
  /** Not a request at all, or cut short: sent, then the client closes its side; an answer is optional. */
  readonly garbage: boolean;
  /** A HEAD request: its answer has no body. */
  readonly head: boolean;
}

type Random = () => number;

const ROUTES = [
  '/healthz', '/readyz', '/metrics', '/api/v1/entries', '/api/v1/entries/', '/api/v1/servicemap', '/api/v1/query',
  '/api/v1/query/fields', '/api/v1/overview', '/api/v1/status', '/api/v1/connections', '/api/v1/connections/lookup',
  '/api/v1/capture', '/api/v1/stream', '/', '/index.html', '/assets/x.js', '/api/', '/api/v2/entries', '/favicon.ico',
];
const PARAMS = ['q', 'limit', 'before', 'after', 'scope', 'token', 'pid', 'netns', 'pod', 'container', 'proto', 'state', 'listening', 'local', 'remote', 'x'];
const METHODS = ['GET', 'GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'get', 'G\u00e9T', 'PRI', 'M-SEARCH'];
const FIELDS = ['http', 'dns', 'method', 'path', 'status_code', 'elapsed_ms', 'src.ip', 'dst.pod.name', 'request.headers["host"]', 'dns_questions', 'timestamp', 'request.body', 'url', 'nosuch.field', 'src.process.pid'];
const OPERATORS = ['==', '!=', '<', '<=', '>', '>=', '&&', '||', 'in', '+', '-', '!', '.', '(', ')', '[', ']', ','];
const LITERALS = ['"GET"', '500', '-1', '1e308', '0x1f', '"\\u0000"', '"unterminated', "'single'", 'true', 'null', '[1,2', 'now()', 'duration("5m")', 'duration("x")', '"a".matches("(a+)+$")', 'r"\\d+"', '9'.repeat(400)];
const FUNCTIONS = ['contains', 'startsWith', 'endsWith', 'matches', 'size', 'lowerAscii', 'upperAscii', 'nosuch'];
const HOSTS = ['127.0.0.1', '127.0.0.1:8898', 'localhost', '[::1]:8898', 'evil.example', '', '  ', 'a b', '[::1', 'localhost:99999', '\u00ff'];
const ORIGINS = ['http://127.0.0.1', 'http://evil.example', 'null', 'file://', 'http://[', '%%', 'https://localhost:8898'];
const NASTY = ['%', '%z', '%ff', '%C3%28', '%00', '..', '//', '\\', '?', '#', '&', '=', '+', ';', '\u00e9', '\ud83d\ude00', '<script>', '\u0000', '\t', 'A'.repeat(3000)];

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (random: Random, p: number): boolean => random() < p;

/** A filter expression: a few grammar pieces, sometimes broken on purpose. */
export function filterExpression(random: Random): string {
  const parts: string[] = [];
  const n = randomInt(random, 1, 8);
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.35) parts.push(`${pick(random, FIELDS)} ${pick(random, ['==', '!=', '>=', '<', 'in'])} ${pick(random, LITERALS)}`);
    else if (r < 0.55) parts.push(`${pick(random, FIELDS)}.${pick(random, FUNCTIONS)}(${pick(random, LITERALS)})`);
    else if (r < 0.75) parts.push(pick(random, OPERATORS));
    else if (r < 0.9) parts.push(pick(random, LITERALS));
    else parts.push('('.repeat(randomInt(random, 1, 100)));
  }
  return parts.join(pick(random, [' && ', ' || ', ' ', '']));
}

function queryValue(random: Random, name: string): string {
  if (name === 'q') return chance(random, 0.7) ? encodeURIComponent(filterExpression(random)) : pick(random, NASTY);
  const r = random();
  if (r < 0.3) return String(randomInt(random, -5, 200_000));
  if (r < 0.45) return pick(random, ['NaN', '1e999', '-0', '0x10', '9007199254740993', '', '1.5', ' 7', 'tcp', 'udp', 'connection', 'LISTEN', '1.2.3.4:80', '[::1]:53']);
  if (r < 0.6) return pick(random, NASTY);
  return encodeURIComponent(randomText(random, randomInt(random, 0, 40)));
}

function randomText(random: Random, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(randomInt(random, 0, 1) ? randomInt(random, 0x20, 0x7e) : randomInt(random, 0, 0x2fff));
  return text;
}

/** A request target: a route (often), an entry id, query parameters, sometimes junk. */
export function target(random: Random): string {
  let path = pick(random, ROUTES);
  if (path === '/api/v1/entries/') path += `${encodeURIComponent(randomText(random, randomInt(random, 0, 30)))}${chance(random, 0.4) ? '/pcap' : ''}`;
  if (chance(random, 0.15)) path += pick(random, NASTY);
  if (chance(random, 0.05)) path = pick(random, ['*', '//[', 'http://[/', 'http://127.0.0.1/healthz', 'a', '/\u0000', '%']);
  const params: string[] = [];
  const n = chance(random, 0.7) ? randomInt(random, 1, 5) : 0;
  for (let i = 0; i < n; i++) {
    const name = chance(random, 0.9) ? pick(random, PARAMS) : pick(random, NASTY);
    params.push(chance(random, 0.05) ? name : `${name}=${queryValue(random, name)}`);
  }
  return params.length ? `${path}?${params.join('&')}` : path;
}

function headers(random: Random, token: string): string[] {
  const out: string[] = [];
  if (chance(random, 0.9)) out.push(`Host: ${chance(random, 0.85) ? '127.0.0.1' : pick(random, HOSTS)}`);
  if (chance(random, 0.7)) out.push(`Authorization: Bearer ${chance(random, 0.85) ? token : pick(random, ['', 'x', token + 'x', 'Basic abc'])}`);
  if (chance(random, 0.1)) out.push(`Cookie: podsniff_token=${chance(random, 0.5) ? token : pick(random, NASTY)}`);
  if (chance(random, 0.15)) out.push(`Origin: ${pick(random, ORIGINS)}`);
  if (chance(random, 0.1)) out.push(`X-${randomInt(random, 0, 99)}: ${randomText(random, randomInt(random, 0, 200)).replace(/[\r\n]/g, ' ')}`);
  if (chance(random, 0.03)) out.push(`X-Big: ${'b'.repeat(randomInt(random, 1000, 20_000))}`);
  if (chance(random, 0.05)) out.push(pick(random, ['Bad Header', ': empty-name', 'X-Nul: a\u0000b', 'Content-Length: -1', 'Content-Length: 1, 2', 'Transfer-Encoding: gzip']));
  return out;
}

/** One request: mostly near-valid GETs, some bodies, some WebSocket upgrades, some garbage. */
export function generateRequest(random: Random, token: string): GeneratedRequest {
  const r = random();
  if (r < 0.04) return garbage(random);
  if (r < 0.12) return upgrade(random, token);
  const method = chance(random, 0.85) ? 'GET' : pick(random, METHODS);
  const version = chance(random, 0.97) ? 'HTTP/1.1' : pick(random, ['HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 extra', 'http/1.1', '']);
  const lines = [`${method} ${target(random)} ${version}`.trimEnd(), ...headers(random, token)];
  let body = '';
  if (chance(random, 0.05)) {
    body = randomText(random, randomInt(random, 0, 300));
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  } else if (chance(random, 0.02)) {
    body = `5\r\nhello\r\n${chance(random, 0.5) ? '0\r\n\r\n' : 'zz\r\n'}`;
    lines.push('Transfer-Encoding: chunked');
  }
  const text = `${lines.join('\r\n')}\r\n\r\n${body}`;
  const malformed = version !== 'HTTP/1.1' || method !== 'GET' || lines.some((l) => /Bad Header|: empty|X-Nul|Content-Length: (-1|1, 2)|Transfer-Encoding/.test(l)) || /[\u0000-\u001f\u007f-\uffff ]/.test(lines[0]!.split(' ')[1] ?? '') || /X-Big/.test(text);
  // PRI opens the HTTP/2 preface: the parser waits for the rest of it, so the client must end its side.
  return { bytes: Buffer.from(text, 'utf8'), upgrade: false, malformed, garbage: method === 'PRI', head: method === 'HEAD' };
}

function garbage(random: Random): GeneratedRequest {
  const samples = [
    'GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    '\r\n\r\n',
    'GET\r\n\r\n',
    'GET / HTTP/1.1\nHost: 127.0.0.1\n\n',
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n',
    `${randomText(random, randomInt(random, 1, 500))}\r\n\r\n`,
    'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
    '\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003',
  ];
  return { bytes: Buffer.from(pick(random, samples), 'latin1'), upgrade: false, malformed: true, garbage: true, head: false };
}

function upgrade(random: Random, token: string): GeneratedRequest {
  const keyOk = chance(random, 0.8);
  const lines = [
    `GET ${chance(random, 0.85) ? `/api/v1/stream${chance(random, 0.7) ? `?q=${queryValue(random, 'q')}&limit=${queryValue(random, 'limit')}` : ''}` : target(random)} HTTP/1.1`,
    'Host: 127.0.0.1',
    `Authorization: Bearer ${chance(random, 0.9) ? token : 'wrong'}`,
    `Connection: ${pick(random, ['Upgrade', 'upgrade, keep-alive', 'close'])}`,
    `Upgrade: ${chance(random, 0.9) ? 'websocket' : pick(random, ['h2c', 'WebSocket', 'x'])}`,
    `Sec-WebSocket-Version: ${chance(random, 0.9) ? '13' : pick(random, ['8', 'x', ''])}`,
    `Sec-WebSocket-Key: ${keyOk ? 'dGhlIHNhbXBsZSBub25jZQ==' : pick(random, ['', 'short', 'A'.repeat(100)])}`,
  ];
  if (chance(random, 0.2)) lines.push(`Origin: ${pick(random, ORIGINS)}`);
  if (chance(random, 0.1)) lines.push('Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits');
  return { bytes: Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'), upgrade: true, malformed: false, garbage: false, head: false };
}

/** WebSocket frames a client might send once upgraded: valid, oversized, unmasked, bad opcodes, closes. */
export function websocketFrames(random: Random): Buffer {
  const frames: Buffer[] = [];
  const n = randomInt(random, 0, 4);
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.3) frames.push(maskedFrame(0x1, Buffer.from(randomText(random, randomInt(random, 0, 50)))));
    else if (r < 0.45) frames.push(maskedFrame(0x9, Buffer.from('ping')));
    else if (r < 0.55) frames.push(maskedFrame(0x8, Buffer.from([0x03, 0xe8])));
    else if (r < 0.65) frames.push(Buffer.from([0x81, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f])); // unmasked: a protocol error
    else if (r < 0.75) frames.push(Buffer.from([0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4])); // 2^63 length
    else if (r < 0.85) frames.push(maskedFrame(randomInt(random, 3, 7), Buffer.from('x')));
    else frames.push(Buffer.from(randomText(random, randomInt(random, 1, 40)), 'latin1'));
  }
  return Buffer.concat(frames);
}

function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const head = payload.length < 126 ? Buffer.from([0x80 | opcode, 0x80 | payload.length]) : Buffer.from([0x80 | opcode, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([head, mask, masked]);
}
