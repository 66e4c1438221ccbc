/**
 * Seeded fuzzing of one running `podsniff local` (replaying the sample, with a token, as a user runs
 * it): at least 100,000 generated requests over its HTTP and WebSocket endpoints — request lines,
 * targets, methods, headers, upgrades and WebSocket frames, query, cursor and filter values. Every
 * well-formed request gets an answer and none is a 500; the server still answers /healthz, logged no
 * uncaught error and counts none in /metrics. The same seed (PODSNIFF_TEST_SEED) sends the same requests.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, waitFor } from '../helpers/http.js';
import { startCli } from '../helpers/run-cli.js';
import { seededRandom, TEST_SEED } from '../support/seed.js';
import { RawConnection, type Outcome } from './support/raw-client.js';
import { generateRequest, websocketFrames, type GeneratedRequest } from './support/request-generator.js';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 100_000);
const CONNECTIONS = 8;
const TOKEN = 'fuzz-token-5b1c';
/** Hang guards, not speed limits: an answer that has not come by then will not come. */
const ANSWER_WAIT_MS = 30_000;
const SAMPLE = new URL('../../samples/demo.pcapng', import.meta.url).pathname;

interface Tally {
  sent: number;
  statuses: Map<number, number>;
  closedWithoutAnswer: { garbage: number; requests: string[] };
  timeouts: string[];
  internal: string[];
}

describe('podsniff local under 100,000 generated requests', () => {
  let child: ChildProcess;
  let port = 0;
  let stderr = '';
  const dir = mkdtempSync(join(tmpdir(), 'podsniff-fuzz-'));

  beforeAll(async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    child = startCli(['local', '--pcap', SAMPLE, '--port', '0', '--token-file', tokenFile, '--log-level', 'warn']);
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    port = Number(await waitFor(() => Promise.resolve(/127\.0\.0\.1:(\d+)\//.exec(stdout)?.[1]), 60_000, 20));
    await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/overview`, { headers: { authorization: `Bearer ${TOKEN}` } });
      return ((await res.json()) as { replay: { done: boolean } }).replay.done ? true : undefined;
    }, 60_000);
  }, 120_000);

  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it(`answers every request and keeps serving (seed ${TEST_SEED})`, async () => {
    const random = seededRandom('api-fuzz');
    const requests = Array.from({ length: REQUESTS }, () => generateRequest(random, TOKEN));
    const tally: Tally = { sent: 0, statuses: new Map(), closedWithoutAnswer: { garbage: 0, requests: [] }, timeouts: [], internal: [] };
    let nextIndex = 0;
    const lanes = Array.from({ length: CONNECTIONS }, (_, lane) => runLane(port, () => requests[nextIndex++], seededRandom(`ws-${lane}`), tally));
    await Promise.all(lanes);

    const summary = Object.fromEntries([...tally.statuses].sort(([a], [b]) => a - b));
    console.log(`api fuzz: ${tally.sent} requests, answers by status ${JSON.stringify(summary)}; ${tally.closedWithoutAnswer.garbage} pieces of garbage closed without one`);
    expect(tally.sent).toBeGreaterThanOrEqual(REQUESTS);
    expect(tally.internal, 'requests answered 500').toEqual([]);
    expect(tally.timeouts, 'requests never answered').toEqual([]);
    expect(tally.closedWithoutAnswer.requests, 'requests closed without an answer').toEqual([]);
    // The server is alive, logged no uncaught error, and counted none.
    expect((await getJson(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(metrics).toMatch(/^podsniff_uncaught_errors_total\{kind="exception"\} 0$/m);
    expect(metrics).toMatch(/^podsniff_uncaught_errors_total\{kind="rejection"\} 0$/m);
    expect(metrics).toMatch(/^podsniff_http_internal_errors_total 0$/m);
    expect(stderr).not.toMatch(/E_UNCAUGHT|E_INTERNAL/);
    expect(child.exitCode).toBeNull();
  }, 1_800_000);
});

/** Sends requests from the shared queue one at a time over keep-alive connections, opened as needed. */
async function runLane(port: number, take: () => GeneratedRequest | undefined, random: () => number, tally: Tally): Promise<void> {
  let conn: RawConnection | null = null;
  for (let request = take(); request; request = take()) {
    tally.sent++;
    if (request.malformed || request.upgrade) {
      await sendAlone(port, request, random, tally);
      continue;
    }
    if (!conn || conn.isClosed) conn = await RawConnection.open(port);
    conn.write(request.bytes);
    const outcome = await conn.next(request.head, ANSWER_WAIT_MS);
    record(tally, request, outcome);
    // As any client: an answer that says the connection closes ends it (node's parser rejected the request).
    if (outcome.kind === 'response' && /\r\nconnection: close/i.test(outcome.head)) conn.destroy();
  }
  conn?.destroy();
}

/**
 * Malformed requests and upgrades go on a connection of their own, which the server may close. After
 * garbage the client closes its side, so a cut-short request ends (in a 400) instead of waiting.
 */
async function sendAlone(port: number, request: GeneratedRequest, random: () => number, tally: Tally): Promise<void> {
  const conn = await RawConnection.open(port);
  conn.write(request.bytes, request.garbage);
  const outcome = await conn.next(request.head, ANSWER_WAIT_MS);
  record(tally, request, outcome);
  if (outcome.kind === 'response' && outcome.status === 101) conn.write(websocketFrames(random));
  await conn.drain(outcome.kind === 'response' && outcome.status === 101 ? 20 : 0);
}

function record(tally: Tally, request: GeneratedRequest, outcome: Outcome): void {
  const line = request.bytes.subarray(0, 120).toString('latin1').split('\r\n')[0]!;
  if (outcome.kind === 'timeout') return void tally.timeouts.push(line);
  if (outcome.kind === 'closed') {
    if (request.garbage) tally.closedWithoutAnswer.garbage++;
    else tally.closedWithoutAnswer.requests.push(line);
    return;
  }
  tally.statuses.set(outcome.status, (tally.statuses.get(outcome.status) ?? 0) + 1);
  if (outcome.status === 500 || outcome.status === 0) tally.internal.push(`${line} → ${outcome.head.split('\r\n')[0]} ${outcome.body.toString().slice(0, 200)}`);
}
