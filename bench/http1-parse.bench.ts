/**
 * `npx tsx bench/http1-parse.bench.ts`: messages per second of the HTTP/1 dissector's parser on ~50k
 * keep-alive request/response pairs held in memory (one message per chunk, like one per packet), and
 * of Node's internal llhttp-based parser (`_http_common`'s HTTPParser) on the same chunks in the same
 * run. Node's parser only tokenises (callbacks with header arrays); podsniff's also builds the
 * messages (bodies as base64 and text, decoded views), so the comparison is conservative.
 *
 * Environment: PAIRS (default 50000), PER_CONN (pairs per connection, default 100), ROUNDS (default 7).
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { ConnectionInfo } from '../src/model/index.js';
import { http1Dissector } from '../src/protocols/http1/index.js';
import type { MessageSink, ProtocolMessage } from '../src/protocols/types.js';

const PAIRS = Number(process.env.PAIRS ?? 50_000);
const PER_CONN = Number(process.env.PER_CONN ?? 100);
const ROUNDS = Number(process.env.ROUNDS ?? 7);

interface Conversation {
  readonly requests: Buffer[];
  readonly responses: Buffer[];
}

function pair(i: number): [Buffer, Buffer] {
  const id = 1000 + i;
  const kind = i % 10;
  if (kind < 6) {
    const body = JSON.stringify({ id, name: `item-${id}`, tags: ['a', 'b'], ok: true });
    return [
      Buffer.from(`GET /api/v1/items/${id}?expand=tags HTTP/1.1\r\nHost: items.default.svc.cluster.local:8080\r\nUser-Agent: podsniff-bench/1.0\r\nAccept: application/json\r\nX-Request-Id: req-${id}\r\n\r\n`),
      Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nDate: Fri, 27 Nov 2026 14:00:00 GMT\r\nServer: bench\r\n\r\n${body}`),
    ];
  }
  if (kind < 9) {
    const reqBody = JSON.stringify({ name: `new-${id}`, qty: i % 7 });
    return [
      Buffer.from(`POST /api/v1/items HTTP/1.1\r\nHost: items.default.svc.cluster.local:8080\r\nContent-Type: application/json\r\nContent-Length: ${reqBody.length}\r\nAuthorization: Bearer abc.def.ghi\r\n\r\n${reqBody}`),
      Buffer.from(`HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nLocation: /api/v1/items/${id}\r\nContent-Length: 12\r\n\r\n{"id":${String(id).padStart(5, '0')}}`),
    ];
  }
  return [
    Buffer.from(`GET /healthz HTTP/1.1\r\nHost: 10.0.0.1:8080\r\nUser-Agent: kube-probe/1.30\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n`),
    Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n`),
  ];
}

function conversations(): Conversation[] {
  const out: Conversation[] = [];
  for (let i = 0; i < PAIRS; i += PER_CONN) {
    const c: Conversation = { requests: [], responses: [] };
    for (let j = i; j < Math.min(PAIRS, i + PER_CONN); j++) {
      const [req, res] = pair(j);
      c.requests.push(req);
      c.responses.push(res);
    }
    out.push(c);
  }
  return out;
}

function runPodsniff(convs: Conversation[]): number {
  let messages = 0;
  const sink: MessageSink = { message: (_m: ProtocolMessage) => void messages++, anomaly: () => undefined };
  const ts = { sec: 1_800_000_000, nsec: 0 };
  convs.forEach((c, n) => {
    const conn: ConnectionInfo = { id: `c${n}`, transport: 'tcp', a: { ip: '10.0.0.2', port: 40000 + n }, b: { ip: '10.0.0.1', port: 8080 }, initiatorKnown: true };
    const s = http1Dissector.createSession(conn, sink);
    for (let i = 0; i < c.requests.length; i++) {
      s.onData(0, c.requests[i]!, ts);
      s.onData(1, c.responses[i]!, ts);
    }
    s.onEnd(ts);
  });
  return messages;
}

type NodeParser = {
  initialize(type: number, resource: object): void;
  execute(b: Buffer): unknown;
  finish(): unknown;
  close(): void;
  [k: number]: unknown;
};

function runNode(convs: Conversation[]): number {
  const require = createRequire(import.meta.url);
  const { HTTPParser } = require('node:_http_common') as { HTTPParser: { new (): NodeParser; REQUEST: number; RESPONSE: number; kOnHeadersComplete: number; kOnBody: number; kOnMessageComplete: number; kOnHeaders: number; kOnExecute: number } };
  let messages = 0;
  const make = (type: number): NodeParser => {
    const p = new HTTPParser();
    p.initialize(type, {});
    p[HTTPParser.kOnHeaders] = () => undefined;
    p[HTTPParser.kOnHeadersComplete] = () => 0;
    p[HTTPParser.kOnBody] = () => undefined;
    p[HTTPParser.kOnMessageComplete] = () => void messages++;
    return p;
  };
  for (const c of convs) {
    const req = make(HTTPParser.REQUEST);
    const res = make(HTTPParser.RESPONSE);
    for (let i = 0; i < c.requests.length; i++) {
      req.execute(c.requests[i]!);
      res.execute(c.responses[i]!);
    }
    req.finish();
    res.finish();
    req.close();
    res.close();
  }
  return messages;
}

function measure(name: string, run: () => number): { name: string; messages: number; bestMs: number; medianMs: number } {
  run(); // warm-up
  const times: number[] = [];
  let messages = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    messages = run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { name, messages, bestMs: times[0]!, medianMs: times[Math.floor(times.length / 2)]! };
}

const convs = conversations();
const bytes = convs.reduce((n, c) => n + c.requests.reduce((m, b) => m + b.length, 0) + c.responses.reduce((m, b) => m + b.length, 0), 0);
console.log(`${PAIRS} request/response pairs, ${convs.length} connections, ${(bytes / 1e6).toFixed(1)} MB, ${ROUNDS} rounds`);
const only = process.env.ONLY;
const runs = [
  ...(only === 'node' ? [] : [measure('podsniff http1', () => runPodsniff(convs))]),
  ...(only === 'podsniff' ? [] : [measure('node HTTPParser', () => runNode(convs))]),
];
for (const r of runs) {
  const rate = (r.messages / r.medianMs) * 1000;
  console.log(`${r.name.padEnd(16)} ${r.messages} messages  median ${r.medianMs.toFixed(1)} ms  best ${r.bestMs.toFixed(1)} ms  ${(rate / 1e6).toFixed(2)} M msg/s`);
}
