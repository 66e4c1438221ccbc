/**
 * Realistic entries for filter tests: an HTTP POST answered 500 with headers and a JSON body, a DNS
 * query with questions and answers, an HTTP GET between attributed pods/processes, and an entry whose
 * endpoints are unresolved (no identity at all).
 */
import type { DnsEntry, Entry, EntryEndpoint, HttpEntry } from '../../src/model/index.js';

export const NOW = Date.parse('2026-11-27T10:00:00Z');

function endpoint(ip: string, port: number, extra: Partial<EntryEndpoint> = {}): EntryEndpoint {
  return { ip, port, process: null, container: null, pod: null, netns: null, resolution: 'unresolved', ...extra };
}

const jsonBody = '{"order":"A-17","items":[{"sku":"x","qty":2}]}';

/** POST /api/v1/orders → 500, 250 ms, two minutes before NOW. */
export const httpPost500: HttpEntry = {
  schema: 1,
  id: 'e-1',
  protocol: 'http',
  transport: 'tcp',
  connectionId: 'c-1',
  src: endpoint('10.1.0.5', 43512, {
    process: { pid: 4242, comm: 'curl', exe: '/usr/bin/curl' },
    resolution: 'resolved',
    netns: { inode: 4026532001, name: null },
  }),
  dst: endpoint('10.1.0.9', 8080, {
    pod: { uid: 'pod-checkout-uid', name: 'checkout-7d9f', namespace: 'shop' } as EntryEndpoint['pod'],
    container: { id: 'abc123', runtime: 'containerd' },
    resolution: 'resolved',
  }),
  startedAt: '2026-11-27T09:58:00.000Z',
  startedAtMs: NOW - 120_000,
  elapsedMs: 250,
  requestSize: 412,
  responseSize: 180,
  summary: { method: 'POST', target: '/api/v1/orders?dry=1', statusCode: 500, status: '500' },
  anomalies: [{ code: 'truncated', detail: 'response body cut' }],
  request: {
    method: 'POST',
    target: '/api/v1/orders?dry=1',
    path: '/api/v1/orders',
    version: '1.1',
    headers: [
      ['Host', 'checkout.shop.svc'],
      ['Content-Type', 'application/json'],
      ['X-Trace', 'one'],
      ['x-trace', 'two'],
    ],
    trailers: [],
    body: { size: jsonBody.length, contentEncoding: null, contentType: 'application/json', raw: null, decoded: jsonBody, decodedEncoding: 'utf8', truncated: false },
    host: 'checkout.shop.svc',
  },
  response: {
    status: 500,
    reason: 'Internal Server Error',
    version: '1.1',
    headers: [['Content-Type', 'text/plain']],
    trailers: [],
    body: { size: 5, contentEncoding: 'gzip', contentType: 'text/plain', raw: 'AAAA', decoded: 'H4sI', decodedEncoding: 'base64', truncated: false },
    interim: [],
    upgraded: false,
  },
};

/** DNS A query for Example.COM. (0x20 case), answered NOERROR, ten minutes before NOW. */
export const dnsQuery: DnsEntry = {
  schema: 1,
  id: 'e-2',
  protocol: 'dns',
  transport: 'udp',
  connectionId: 'u-7',
  src: endpoint('10.1.0.5', 53000, { pod: { uid: 'pod-web-uid', name: 'web-0', namespace: 'kube-system' } as EntryEndpoint['pod'], resolution: 'resolved' }),
  dst: endpoint('10.96.0.10', 53, { resolution: 'pending' }),
  startedAt: '2026-11-27T09:50:00.000Z',
  startedAtMs: NOW - 600_000,
  elapsedMs: 3.5,
  requestSize: 40,
  responseSize: 56,
  summary: { method: 'QUERY', target: 'Example.COM. A', statusCode: null, status: 'NOERROR' },
  anomalies: [],
  request: {
    id: 4660,
    opcode: 'QUERY',
    rcode: 'NOERROR',
    flags: ['rd'],
    questions: [{ name: 'Example.COM.', type: 'A', class: 'IN' }],
    answers: [],
    authorities: [],
    additionals: [],
  },
  response: {
    id: 4660,
    opcode: 'QUERY',
    rcode: 'NOERROR',
    flags: ['qr', 'rd', 'ra'],
    questions: [{ name: 'Example.COM.', type: 'A', class: 'IN' }],
    answers: [
      { name: 'example.com.', type: 'CNAME', class: 'IN', ttl: 60, data: 'edge.example.net.' },
      { name: 'edge.example.net.', type: 'A', class: 'IN', ttl: 60, data: '93.184.216.34' },
    ],
    authorities: [],
    additionals: [],
  },
};

/** GET /healthz between two attributed pods; 200 in 12 ms, 30 s before NOW. */
export const httpGetAttributed: HttpEntry = {
  ...httpPost500,
  id: 'e-3',
  connectionId: 'c-3',
  src: endpoint('10.1.0.7', 51000, {
    process: { pid: 77, comm: 'frontend', exe: '/app/frontend' },
    container: { id: 'def456', runtime: 'cri-o' },
    pod: { uid: 'pod-frontend-uid', name: 'frontend-1', namespace: 'shop' } as EntryEndpoint['pod'],
    netns: { inode: 4026532002, name: 'frontend-ns' },
    resolution: 'resolved',
  }),
  dst: endpoint('10.1.0.9', 8080, { pod: { uid: 'pod-checkout-uid' }, resolution: 'resolved' }),
  startedAt: '2026-11-27T09:59:30.000Z',
  startedAtMs: NOW - 30_000,
  elapsedMs: 12,
  summary: { method: 'GET', target: '/healthz', statusCode: 200, status: '200' },
  anomalies: [],
  request: { ...httpPost500.request!, method: 'GET', target: '/healthz', path: '/healthz', headers: [['Host', 'checkout']], body: null, host: 'checkout' },
  response: { ...httpPost500.response!, status: 200, reason: 'OK', headers: [], body: null },
};

/** An HTTP request with no response and no identity on either side. */
export const unresolvedNoResponse: HttpEntry = {
  ...httpPost500,
  id: 'e-4',
  src: endpoint('192.168.5.5', 40000),
  dst: endpoint('192.168.5.6', 80),
  startedAtMs: NOW - 3_600_000,
  elapsedMs: null,
  summary: { method: 'GET', target: '/v2/items', statusCode: null, status: null },
  anomalies: [{ code: 'no-response', detail: 'connection closed' }],
  request: { ...httpPost500.request!, method: 'GET', target: '/v2/items', path: '/v2/items', headers: [], body: null, host: null },
  response: null,
};

export const ALL: readonly Entry[] = [httpPost500, dnsQuery, httpGetAttributed, unresolvedNoResponse];

/** A large regex the filter language allows, for a value longer than MAX_MATCH_INPUT (limits test, bench:api). */
export const LARGE_ALLOWED_REGEX = String.raw`(?i)^(get|post|put)?[a-z0-9_/.-]*(\d{1,3}\.){3}\d{1,3}[^x]*(abc|def|ghi)+x{2,40}\w*\s*$`;
