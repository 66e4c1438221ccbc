/**
 * Synthetic but realistic entries for store tests and `npm run bench:store`: mixed HTTP (≈80%) and DNS,
 * statuses mostly 2xx with some 4xx/5xx, 50 pods, headers and small JSON bodies; ≈1.2 KB of JSON each.
 * Deterministic: entry `i` is the same on every call.
 */
import type { DnsEntry, Entry, EntryEndpoint, HttpEntry } from '../../../src/model/index.js';

const PODS = 50;
const METHODS = ['GET', 'GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
const PATHS = ['/api/v1/pods', '/api/v1/namespaces/default/services', '/healthz', '/apis/apps/v1/deployments', '/metrics', '/v1/orders'];

/** A small deterministic hash of `i` and a salt, 0..2^32-1. */
export function mix(i: number, salt: number): number {
  let x = (i + 1) * 0x9e3779b1 + salt * 0x85ebca6b;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

export function podUid(n: number): string {
  const h = (n * 2654435761) >>> 0;
  return `${h.toString(16).padStart(8, '0')}-7c1e-4d2a-9b3f-${String(n).padStart(12, '0')}`;
}

export function podIp(n: number): string {
  return `10.244.${n % 8}.${10 + n}`;
}

function endpoint(pod: number | null, ip: string, port: number): EntryEndpoint {
  return {
    ip,
    port,
    process: pod === null ? null : { pid: 1000 + pod, comm: `app-${pod}`, exe: `/usr/local/bin/app-${pod}` },
    container: pod === null ? null : { id: podUid(pod).replace(/-/g, '').slice(0, 32), runtime: 'containerd' },
    pod: pod === null ? null : { uid: podUid(pod) },
    netns: pod === null ? null : { inode: 4026531840 + pod, name: null },
    resolution: pod === null ? 'unresolved' : 'resolved',
  };
}

function status(i: number): number {
  const r = mix(i, 3) % 100;
  return r < 80 ? 200 : r < 85 ? 201 : r < 92 ? 404 : r < 95 ? 403 : r < 98 ? 500 : 503;
}

function base(i: number, t0: number) {
  const client = mix(i, 1) % PODS;
  const server = mix(i, 2) % PODS;
  const startedAtMs = t0 + i * 10 + (mix(i, 4) % 1000) / 1000;
  return {
    schema: 1 as const,
    id: `e${i}`,
    connectionId: `c${Math.floor(i / 4)}`,
    src: endpoint(client % 2 === 0 ? null : client, podIp(client), 30000 + (i % 30000)),
    startedAt: new Date(startedAtMs).toISOString(),
    startedAtMs,
    elapsedMs: (mix(i, 5) % 50000) / 100,
    anomalies: mix(i, 6) % 50 === 0 ? [{ code: 'tcp.gap' as const, detail: 'lost 1448 bytes' }] : [],
    server,
  };
}

function httpEntry(i: number, t0: number): HttpEntry {
  const { server, ...b } = base(i, t0);
  const method = METHODS[mix(i, 7) % METHODS.length]!;
  const path = PATHS[mix(i, 8) % PATHS.length]!;
  const code = status(i);
  const body = `{"kind":"Status","items":[{"name":"item-${i % 97}","ready":${i % 2 === 0}}]}`;
  const host = `${podIp(server)}:8080`;
  return {
    ...b,
    transport: 'tcp',
    protocol: 'http',
    dst: endpoint(server % 3 === 0 ? null : server, podIp(server), 8080),
    requestSize: 180,
    responseSize: 260 + body.length,
    summary: { method, target: `${path}?limit=${i % 500}`, statusCode: code, status: String(code) },
    request: {
      method,
      target: `${path}?limit=${i % 500}`,
      path,
      version: 'HTTP/1.1',
      headers: [['Host', host], ['User-Agent', 'kubectl/v1.31.2'], ['Accept', 'application/json']],
      trailers: [],
      body: null,
      host,
    },
    response: {
      status: code,
      reason: code < 300 ? 'OK' : code < 500 ? 'Not Found' : 'Internal Server Error',
      version: 'HTTP/1.1',
      headers: [['Content-Type', 'application/json'], ['Content-Length', String(body.length)]],
      trailers: [],
      body: { size: body.length, contentEncoding: null, contentType: 'application/json', raw: null, decoded: body, decodedEncoding: 'utf8', truncated: false },
      interim: [],
      upgraded: false,
    },
  };
}

function dnsEntry(i: number, t0: number): DnsEntry {
  const { server: _server, ...b } = base(i, t0);
  const name = `svc-${i % 40}.default.svc.cluster.local`;
  const nx = mix(i, 9) % 10 === 0;
  const question = { name, type: 'A', class: 'IN' };
  return {
    ...b,
    transport: 'udp',
    protocol: 'dns',
    dst: endpoint(null, '10.96.0.10', 53),
    requestSize: 60,
    responseSize: 120,
    summary: { method: 'QUERY', target: `${name} A`, statusCode: null, status: nx ? 'NXDOMAIN' : 'NOERROR' },
    request: { id: i & 0xffff, opcode: 'QUERY', rcode: 'NOERROR', flags: ['rd'], questions: [question], answers: [], authorities: [], additionals: [] },
    response: {
      id: i & 0xffff,
      opcode: 'QUERY',
      rcode: nx ? 'NXDOMAIN' : 'NOERROR',
      flags: ['qr', 'rd', 'ra', 'aa'],
      questions: [question],
      answers: nx ? [] : [{ name, type: 'A', class: 'IN', ttl: 30, data: `10.96.${i % 200}.${i % 250}` }],
      authorities: [],
      additionals: [],
    },
  };
}

/** Entry number `i` (`t0`: start time in ms; entry i starts ≈ i × 10 ms later). */
export function makeEntry(i: number, t0 = 1_795_790_788_000): Entry {
  return mix(i, 0) % 5 === 0 ? dnsEntry(i, t0) : httpEntry(i, t0);
}

/** Entries `from` .. `from + n - 1`. */
export function makeEntries(from: number, n: number, t0?: number): Entry[] {
  return Array.from({ length: n }, (_, k) => makeEntry(from + k, t0));
}
