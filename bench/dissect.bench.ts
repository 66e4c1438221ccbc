/**
 * `npm run bench:dissect` (root): podsniff `read --json` against tshark on the same HTTP/1.1 capture.
 *
 * The capture is made by this script from real traffic: a Node HTTP server and keep-alive clients on
 * loopback, recorded by tcpdump until it holds at least 100,000 packets. Then, in the same run and on
 * the same file: `podsniff read --json FILE` and `tshark -Y http -T fields -e http.request.method -e
 * http.request.uri -e http.response.code FILE`, each timed (wall) over several runs; request and
 * response counts must agree. Also reports packets/s and entries/s of podsniff's pipeline in-process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, request, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { dissectFile } from '../src/worker/index.js';

const CLI = fileURLToPath(new URL('../bin/podsniff.js', import.meta.url));
const TARGET_PACKETS = Number(process.env.PACKETS ?? 110_000);
const RUNS = Number(process.env.RUNS ?? 3);

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root: tcpdump records the benchmark capture');
  const dir = mkdtempSync(join(tmpdir(), 'podsniff-bench-'));
  try {
    const file = join(dir, 'http.pcap');
    const made = await recordHttpCapture(file, TARGET_PACKETS);
    console.log(`capture: ${made.packets} packets, ${made.requests} requests sent, ${(statSync(file).size / 1e6).toFixed(1)} MB`);
    compare(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Serve on loopback, capture with tcpdump, send keep-alive requests until enough packets. */
async function recordHttpCapture(file: string, packets: number): Promise<{ packets: number; requests: number }> {
  const bodies = [Buffer.alloc(64, 'a'), Buffer.alloc(512, 'b'), Buffer.from(JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ i })) }))];
  const server = createServer((req, res) => {
    const body = bodies[req.url!.length % bodies.length]!;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const tcpdump = spawn('tcpdump', ['-i', 'lo', '-U', '-s', '0', '-B', '65536', '-w', file, 'tcp', 'port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  tcpdump.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  while (!err.includes('listening on')) await sleep(20);
  // About 2 packets per keep-alive exchange on loopback (request and response; ACKs ride along).
  const requests = Math.ceil(packets / 1.9);
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < requests) {
      const n = sent++;
      await get(agent, port, `/api/v1/items/${n}?page=${n % 7}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  agent.destroy();
  await sleep(200);
  tcpdump.kill('SIGINT');
  await new Promise((r) => tcpdump.once('close', r));
  server.close();
  const captured = Number(/(\d+) packets captured/.exec(err)?.[1] ?? 0);
  return { packets: captured, requests: sent };
}

function get(agent: Agent, port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { 'user-agent': 'podsniff-bench' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
}

function compare(file: string): void {
  // In-process: the pipeline alone, for packets/s and entries/s on one core.
  let requestsIn = 0;
  let responsesIn = 0;
  const t0 = performance.now();
  const summary = dissectFile(file, (e) => {
    if (e.request) requestsIn++;
    if (e.response) responsesIn++;
  });
  const inProcessMs = performance.now() - t0;

  const podsniff = timeRuns(() => spawnSync(process.execPath, [CLI, 'read', '--json', file], { maxBuffer: 1 << 30, encoding: 'utf8' }));
  const lines = podsniff.last.stdout.split('\n').filter(Boolean);
  let requests = 0;
  let responses = 0;
  for (const line of lines) {
    const entry = JSON.parse(line) as { request: unknown; response: unknown };
    if (entry.request) requests++;
    if (entry.response) responses++;
  }
  const tshark = timeRuns(() =>
    spawnSync('tshark', ['-r', file, '-Y', 'http', '-T', 'fields', '-e', 'http.request.method', '-e', 'http.request.uri', '-e', 'http.response.code'], {
      maxBuffer: 1 << 30,
      encoding: 'utf8',
    }),
  );
  const rows = tshark.last.stdout.split('\n').filter(Boolean).map((l) => l.split('\t'));
  const tsharkRequests = rows.filter((r) => r[0]).length;
  const tsharkResponses = rows.filter((r) => r[2]).length;

  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`\npodsniff read --json : ${fmt(podsniff.times)}  (median ${median(podsniff.times).toFixed(0)} ms)`);
  console.log(`tshark -Y http       : ${fmt(tshark.times)}  (median ${median(tshark.times).toFixed(0)} ms)`);
  console.log(`speed-up (median)    : ${(median(tshark.times) / median(podsniff.times)).toFixed(1)}x`);
  console.log(`requests  podsniff ${requests}  tshark ${tsharkRequests}  ${requests === tsharkRequests ? 'same' : 'DIFFERENT'}`);
  console.log(`responses podsniff ${responses}  tshark ${tsharkResponses}  ${responses === tsharkResponses ? 'same' : 'DIFFERENT'}`);
  console.log(
    `in-process pipeline  : ${inProcessMs.toFixed(0)} ms for ${summary.packets} packets, ${summary.entries} entries ` +
      `(${requestsIn} requests, ${responsesIn} responses) → ${Math.round(summary.packets / (inProcessMs / 1000)).toLocaleString('en')} packets/s, ` +
      `${Math.round(summary.entries / (inProcessMs / 1000)).toLocaleString('en')} entries/s on one core`,
  );
  if (requests !== tsharkRequests || responses !== tsharkResponses) process.exitCode = 1;
}

function timeRuns<T>(run: () => T): { times: number[]; last: T } {
  const times: number[] = [];
  let last!: T;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    last = run();
    times.push(performance.now() - t);
  }
  return { times, last };
}

const fmt = (xs: number[]): string => xs.map((x) => `${x.toFixed(0)} ms`).join(', ');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
