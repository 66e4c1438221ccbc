/**
 * `npm run bench:health`: how fast a worker in a 0.25 CPU quota answers its health probes while it works
 * — the timings the worker tests no longer assert (they assert only that every probe is answered).
 * Root only; builds the same simulated node and flood as test/worker/throttle and test/worker/flood.
 *
 * Prints absolute figures against the goals (no peer tool has these probes):
 * - throttled 100-namespace scan: first /healthz after spawn (goal ≤ 0.6 s, issue #10), probe latency during the
 *   scan with kubelet's 1 s timeout (p50/p99/max, goal ≤ 1 s), SIGTERM → exit mid-scan (goal ≤ 2 s);
 * - DNS flood on loopback: probe latency during the flood (goal ≤ 1 s), SIGTERM → exit mid-flood
 *   (goal ≤ 2.5 s).
 * ROUNDS (default 3) repeats each scenario; spawn → first 200 alone is measured by bench:startup.
 */
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { CaptureCounters } from '../src/model/index.js';
import { getJson, freePort, waitFor } from '../test/helpers/http.js';
import { createBusyNode } from '../test/support/busy-node.js';
import { runFlood, startFlood } from '../test/support/dns-flood.js';
import { duringScan, fromFirstAnswer, probeDuring, probeThroughFirstScan, type Probe } from '../test/support/health-probes.js';
import { SimNode } from '../test/support/simnode.js';
import { spawnThrottledWorker } from '../test/support/throttled-worker.js';
import { terminate } from '../test/helpers/run-cli.js';
import { formatMs, goalLine, median, percentile } from './support/figures.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
/** kubelet's probe timeout: a probe slower than this fails. */
const PROBE_TIMEOUT_MS = 1000;
const GOAL = { firstHealthMs: 600, probeMs: PROBE_TIMEOUT_MS, stopScanMs: 2000, stopFloodMs: 2500 };
const HANG_GUARD_MS = 300_000;

/** One throttled worker's first scan, probed from spawn. */
async function scanRound(node: SimNode): Promise<{ firstHealthMs: number; probes: Probe[]; scanMs: number; scanCpuMs: number; sockets: number }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const spawnedAt = performance.now();
  const worker = spawnThrottledWorker(node, port, ['--no-capture']);
  try {
    const answered = fromFirstAnswer(await probeThroughFirstScan(base, spawnedAt, { timeoutMs: PROBE_TIMEOUT_MS, giveUpMs: HANG_GUARD_MS }));
    if (answered.length === 0) throw new Error('the worker never answered /healthz');
    const status = (await getJson(`${base}/api/v1/status`)).body;
    const first = answered[0]!;
    const scanning = duringScan(answered);
    return { firstHealthMs: first.sentAtMs + first.tookMs, probes: scanning, scanMs: status.lastFullScan.durationMs, scanCpuMs: status.lastFullScan.cpuMs, sockets: status.table.sockets };
  } finally {
    await terminate(worker, 10_000);
  }
}

/** SIGTERM → exit of a throttled worker caught in its first scan. */
async function stopMidScan(node: SimNode): Promise<number> {
  const port = await freePort();
  const worker = spawnThrottledWorker(node, port, ['--no-capture']);
  await waitFor(async () => ((await getJson(`http://127.0.0.1:${port}/api/v1/status`, 1000)).body.phase === 'scanning' ? true : undefined), HANG_GUARD_MS, 20);
  const stopped = await terminate(worker, 10_000);
  if (stopped.code !== 0) throw new Error(`worker exited ${stopped.code ?? stopped.signal} on SIGTERM`);
  return stopped.stopMs;
}

/** One flood of at least 4 s / 100k queries at a throttled capturing worker; then SIGTERM mid-flood. */
async function floodRound(node: SimNode): Promise<{ probes: Probe[]; sent: number; stopMs: number }> {
  const [port, dnsPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}`;
  const received = async (): Promise<number> => (await getJson<CaptureCounters>(`${base}/api/v1/capture`)).body.packetsReceived;
  const worker = spawnThrottledWorker(node, port, ['-i', 'lo', '--bpf', `udp port ${dnsPort}`]);
  let second: ChildProcess | null = null;
  try {
    await waitFor(async () => ((await getJson(`${base}/readyz`, 1000)).status === 200 ? true : undefined), HANG_GUARD_MS);
    const { result: sent, probes } = await probeDuring(`${base}/healthz`, { everyMs: 100, timeoutMs: PROBE_TIMEOUT_MS }, () => runFlood(dnsPort, 4, 100_000));
    const before = await received();
    second = startFlood(dnsPort, 600);
    await waitFor(async () => ((await received()) > before + 1000 ? true : undefined), HANG_GUARD_MS);
    const stopped = await terminate(worker, 10_000);
    return { probes, sent, stopMs: stopped.stopMs };
  } finally {
    second?.kill('SIGKILL');
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  }
}

function latencyLine(label: string, probes: readonly Probe[]): string {
  const ms = probes.map((p) => p.tookMs);
  const failed = probes.filter((p) => p.status !== 200).length;
  const figure = `p50 ${formatMs(percentile(ms, 50))}, p99 ${formatMs(percentile(ms, 99))}, max ${formatMs(Math.max(...ms))}`;
  return `${goalLine(`${label} (${probes.length} probes, ${failed} failed)`, figure, failed > 0 ? Infinity : Math.max(...ms), GOAL.probeMs)}`;
}

async function throttledScan(): Promise<void> {
  const node = await createBusyNode('bench-health');
  try {
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await scanRound(node));
    const stops = [];
    for (let i = 0; i < ROUNDS; i++) stops.push(await stopMidScan(node));
    const first = rounds.map((r) => r.firstHealthMs);
    console.log(`throttled worker (0.25 CPU) scanning a ${node.podCount}-namespace node, ${rounds[0]!.sockets} sockets, ${ROUNDS} rounds:`);
    console.log(goalLine('first /healthz after spawn (median, max)', `${formatMs(median(first))}, ${formatMs(Math.max(...first))}`, Math.max(...first), GOAL.firstHealthMs));
    console.log(latencyLine('probes during the scan', rounds.flatMap((r) => r.probes)));
    console.log(goalLine('SIGTERM → exit during the scan (median, max)', `${formatMs(median(stops))}, ${formatMs(Math.max(...stops))}`, Math.max(...stops), GOAL.stopScanMs));
    console.log(`  full scan: ${formatMs(median(rounds.map((r) => r.scanMs)))} wall, ${formatMs(median(rounds.map((r) => r.scanCpuMs)))} CPU (median)`);
  } finally {
    await node.destroy();
  }
}

async function flood(): Promise<void> {
  const node = await SimNode.create({ pods: 0, name: 'bench-flood' });
  try {
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await floodRound(node));
    const stops = rounds.map((r) => r.stopMs);
    console.log(`throttled worker (0.25 CPU) capturing a DNS flood on lo (median ${median(rounds.map((r) => r.sent))} queries), ${ROUNDS} rounds:`);
    console.log(latencyLine('probes during the flood', rounds.flatMap((r) => r.probes)));
    console.log(goalLine('SIGTERM → exit mid-flood (median, max)', `${formatMs(median(stops))}, ${formatMs(Math.max(...stops))}`, Math.max(...stops), GOAL.stopFloodMs));
  } finally {
    await node.destroy();
  }
}

if (!SimNode.isRoot()) {
  console.error('bench:health needs root (network namespaces, cgroups)');
  process.exit(2);
}
await throttledScan();
await flood();
