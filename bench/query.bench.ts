/**
 * `npx tsx bench/query.bench.ts`: compiles the example filters and measures `matches()` per second
 * over 100k synthetic entries, against a hand-written JS predicate doing the same check (the peer
 * baseline: what a developer would write inline). Prints both rates and compiled/hand ratio; the match
 * counts of both must agree.
 */
import type { DnsEntry, Entry, EntryEndpoint, HttpEntry } from '../src/model/index.js';
import { compileFilter } from '../src/query/index.js';

const N = Number(process.env.ENTRIES ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const NOW = Date.parse('2026-11-27T10:00:00Z');
const clock = (): number => NOW;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function endpoint(r: () => number, ip: string): EntryEndpoint {
  const known = r() < 0.7;
  const pod = known ? ({ uid: `uid-${Math.floor(r() * 50)}`, name: pick(r, ['checkout-1', 'cart-2', 'web-0', 'checkout-9']), namespace: pick(r, ['shop', 'kube-system', 'default']) } as EntryEndpoint['pod']) : null;
  const process = r() < 0.6 ? { pid: 100 + Math.floor(r() * 1000), comm: pick(r, ['curl', 'node', 'envoy', 'python3']), exe: '/usr/bin/x' } : null;
  return { ip, port: 1000 + Math.floor(r() * 60000), process, container: null, pod, netns: null, resolution: known ? 'resolved' : 'unresolved' };
}

/** HTTP and DNS message parts, pooled: entries share them, as the filter only reads them. */
function httpParts(method: string, path: string, status: number): Pick<HttpEntry, 'summary' | 'request' | 'response'> {
  return {
    summary: { method, target: path, statusCode: status, status: String(status) },
    request: { method, target: path, path, version: '1.1', headers: [['Host', 'svc'], ['Content-Type', 'application/json']], trailers: [], body: null, host: 'svc' },
    response: { status, reason: '', version: '1.1', headers: [], trailers: [], body: null, interim: [], upgraded: false },
  };
}

function dnsParts(name: string): Pick<DnsEntry, 'summary' | 'request' | 'response'> {
  const msg = { id: 1, opcode: 'QUERY', rcode: 'NOERROR', flags: [], questions: [{ name, type: 'A', class: 'IN' }], answers: [], authorities: [], additionals: [] };
  return { summary: { method: 'QUERY', target: `${name} A`, statusCode: null, status: 'NOERROR' }, request: msg, response: msg };
}

const HTTP_POOL = ['GET', 'GET', 'POST', 'PUT', 'DELETE'].flatMap((m) =>
  ['/api/v1/orders', '/api/v2/cart', '/healthz', '/api/v3/x', '/static/app.js'].flatMap((p) => [200, 200, 201, 404, 500, 503].map((s) => httpParts(m, p, s))),
);
const DNS_POOL = ['example.com.', 'Example.COM.', 'kubernetes.default.svc.cluster.local.', 'api.github.com.'].map(dnsParts);

function makeEntries(): Entry[] {
  const r = rng(42);
  const out: Entry[] = [];
  for (let i = 0; i < N; i++) {
    const http = r() < 0.8;
    const parts = http ? pick(r, HTTP_POOL) : pick(r, DNS_POOL);
    out.push({
      schema: 1,
      id: `e-${i}`,
      protocol: http ? 'http' : 'dns',
      transport: http ? 'tcp' : 'udp',
      connectionId: `c-${i % 1000}`,
      src: endpoint(r, `10.0.${i % 256}.${(i >> 8) % 256}`),
      dst: endpoint(r, `10.1.${i % 16}.1`),
      startedAt: '',
      startedAtMs: NOW - Math.floor(r() * 600_000),
      elapsedMs: r() < 0.9 ? r() * 400 : null,
      requestSize: 100,
      responseSize: 200,
      anomalies: [],
      ...parts,
    } as Entry);
  }
  return out;
}

const podName = (ep: EntryEndpoint): string => (ep.pod as { name?: string } | null)?.name ?? '';
const API = /^\/api\/v[12]\//;
const VM_CASE = /v[12]\/.*s$/;

/** Each example with the predicate a developer would hand-write for it; the first `EXAMPLES` are the brief's. */
const EXAMPLES = 8;
const CASES: [string, (e: Entry) => boolean][] = [
  ['http && method == "POST" && status_code >= 500', (e) => e.protocol === 'http' && (e.summary.method ?? '') === 'POST' && (e.summary.statusCode ?? 0) >= 500],
  ['dst.pod.name.startsWith("checkout")', (e) => podName(e.dst).startsWith('checkout')],
  ['src.process.comm == "curl"', (e) => (e.src.process?.comm ?? '') === 'curl'],
  [
    'dns && "example.com" in dns_questions',
    (e) => e.protocol === 'dns' && (e.request ?? e.response)!.questions.some((q) => q.name.toLowerCase().replace(/\.$/, '') === 'example.com'),
  ],
  ['elapsed_ms > 200', (e) => (e.elapsedMs ?? 0) > 200],
  ['path.matches("^/api/v[12]/")', (e) => API.test(e.protocol === 'http' ? (e.request?.path ?? '') : '')],
  ['!(src.pod.namespace in ["kube-system"])', (e) => !['kube-system'].includes((e.src.pod as { namespace?: string } | null)?.namespace ?? '')],
  ['timestamp > now() - duration("5m")', (e) => e.startedAtMs > clock() - 300_000],
  // Beyond the examples: a regex that runs on the linear-time VM (unanchored, variable repetition),
  // against the native RegExp a developer would write; and a header lookup.
  ['path.matches("v[12]/.*s$")', (e) => VM_CASE.test(e.protocol === 'http' ? (e.request?.path ?? '') : '')],
  [
    'request.headers["content-type"].contains("json")',
    (e) => (e.protocol === 'http' ? (e.request?.headers.find((h) => h[0].toLowerCase() === 'content-type')?.[1] ?? '') : '').includes('json'),
  ],
];

type Loop = (entries: readonly Entry[], pred: (e: Entry) => boolean) => number;

let loops = 0;

/**
 * A fresh counting loop per measurement (distinct source, so V8 gives it its own type feedback):
 * otherwise the one shared loop turns megamorphic and penalises whichever predicate runs later.
 */
function freshLoop(): Loop {
  loops++;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('entries', 'pred', `/* loop ${loops} */ let c = 0; for (let i = 0; i < entries.length; i++) if (pred(entries[i])) c++; return c;`) as Loop;
}

function rate(entries: readonly Entry[], pred: (e: Entry) => boolean): { perSec: number; count: number } {
  const loop = freshLoop();
  let best = Infinity;
  let count = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = process.hrtime.bigint();
    count = loop(entries, pred);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { perSec: entries.length / best, count };
}

function main(): void {
  const entries = makeEntries();
  const fmt = (n: number): string => `${(n / 1e6).toFixed(1)}M/s`;
  console.log(`entries: ${N}, best of ${ROUNDS} rounds, node ${process.version}`);
  console.log(['filter'.padEnd(48), 'compile', 'compiled'.padStart(10), 'hand'.padStart(10), 'ratio'.padStart(7), 'matches'.padStart(8)].join(' '));
  const ratios: number[] = [];
  for (const [index, [text, hand]] of CASES.entries()) {
    if (index === EXAMPLES) console.log('-- beyond the examples (not in the mean):');
    const c0 = process.hrtime.bigint();
    const f = compileFilter(text, { now: clock });
    const compileUs = Number(process.hrtime.bigint() - c0) / 1e3;
    const a = rate(entries, (e) => f.matches(e));
    const b = rate(entries, hand);
    if (a.count !== b.count) throw new Error(`${text}: compiled matched ${a.count}, hand-written ${b.count}`);
    const ratio = a.perSec / b.perSec;
    if (index < EXAMPLES) ratios.push(ratio);
    console.log([text.padEnd(48), `${compileUs.toFixed(0)}us`.padStart(7), fmt(a.perSec).padStart(10), fmt(b.perSec).padStart(10), ratio.toFixed(2).padStart(7), String(a.count).padStart(8)].join(' '));
  }
  const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
  console.log(`geometric mean ratio compiled/hand-written over the 8 examples: ${geo.toFixed(2)} (1.00 = as fast as hand-written JS)`);
}

main();
