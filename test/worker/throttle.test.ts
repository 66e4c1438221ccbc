/**
 * The incident podsniff exists for: a worker on a big node under a CPU quota must answer its probes while
 * it scans. A simulated node of 100 pod namespaces (~20,000 sockets); the worker starts inside a cgroup v1
 * `cpu` quota of 0.25 CPU (cfs_quota_us 25000 / period 100000) from its first instruction. Probes are
 * sent the way kubelet sends them (1 s timeout) from outside the quota, every 100 ms from spawn on.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimNode } from '../support/simnode.js';
import { freePort, getJson } from '../helpers/http.js';
import { CLI } from '../helpers/run-cli.js';

const PODS = 100;
const PROBE_TIMEOUT_MS = 1000;
const FIRST_HEALTH_WITHIN_MS = 1500;

interface Probe {
  sentAtMs: number;
  status: number | null;
  tookMs: number;
  error: string | null;
  phase: string | null;
}

describe.skipIf(!SimNode.isRoot())('worker under a 0.25 CPU quota on a 100-namespace node', () => {
  let node: SimNode;

  beforeAll(async () => {
    node = await SimNode.create({ pods: PODS, name: 'throttle' });
    const pods = Array.from({ length: PODS }, (_, i) => i);
    // servers first, then the clients that connect to the next pod's server
    await node.spawnMany(pods.map((i) => ({ pod: i, spec: { listen: [{ ip: '0.0.0.0', port: 8080 }], loopbackPairs: 50 } })), 8);
    await node.spawnMany(pods.map((i) => ({ pod: i, spec: { connect: [{ ip: node.pod((i + 1) % PODS).ip4, port: 8080, count: 2 }], loopbackPairs: 50 } })), 8);
  }, 180_000);

  afterAll(async () => {
    await node?.destroy();
  });

  it('answers its first /healthz within 1.5 s of spawn and every probe during the scan within 1 s', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const spawnedAt = performance.now();
    const worker = node.spawnThrottled(
      [process.execPath, CLI, 'worker', '--no-capture', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn'],
      process.env,
      25_000,
    );
    let stderr = '';
    worker.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const probes: Probe[] = [];
    let phase: string | null = null;
    let idleSince: number | null = null;
    try {
      // Probe until the first full scan has been finished for a second (or 60 s pass).
      while (performance.now() - spawnedAt < 60_000) {
        const sentAtMs = performance.now() - spawnedAt;
        const probe = await probeOnce(`${base}/healthz`);
        if (probe.status === 200) {
          const status = await getJson(`${base}/api/v1/status`, 5000).catch(() => null);
          phase = status?.body.phase ?? phase;
        }
        probes.push({ sentAtMs, ...probe, phase });
        if (phase === 'idle') idleSince ??= performance.now();
        if (idleSince !== null && performance.now() - idleSince > 1000) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const firstOk = probes.find((p) => p.status === 200);
      expect(firstOk, `no successful probe; stderr: ${stderr}`).toBeDefined();
      expect(firstOk!.sentAtMs + firstOk!.tookMs).toBeLessThan(FIRST_HEALTH_WITHIN_MS);
      const afterFirst = probes.slice(probes.indexOf(firstOk!));
      const failed = afterFirst.filter((p) => p.status !== 200 || p.tookMs >= PROBE_TIMEOUT_MS);
      expect(failed, JSON.stringify(failed)).toEqual([]);
      // The scan really was under way while we probed, and it covered the node.
      const duringScan = afterFirst.filter((p) => p.phase === 'starting' || p.phase === 'scanning');
      expect(duringScan.length).toBeGreaterThan(3);
      const status = (await getJson(`${base}/api/v1/status`)).body;
      expect(status.lastFullScan.counters.namespaces).toBeGreaterThanOrEqual(PODS);
      expect(status.table.sockets).toBeGreaterThanOrEqual(20_000);
      console.log(
        `throttled worker: first /healthz ok at ${Math.round(firstOk!.sentAtMs + firstOk!.tookMs)} ms; ` +
          `${afterFirst.length} probes, ${duringScan.length} during the scan, slowest ${Math.round(Math.max(...afterFirst.map((p) => p.tookMs)))} ms; ` +
          `full scan ${Math.round(status.lastFullScan.durationMs)} ms wall, ${Math.round(status.lastFullScan.cpuMs)} ms CPU, ${status.table.sockets} sockets`,
      );
    } finally {
      worker.kill('SIGTERM');
      if (worker.exitCode === null) await once(worker, 'exit');
    }
  }, 120_000);

  it('stops on SIGTERM within 2 s while the throttled scan is still running', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const worker = node.spawnThrottled(
      [process.execPath, CLI, 'worker', '--no-capture', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn'],
      process.env,
      25_000,
    );
    try {
      let phase: string | null = null;
      const deadline = performance.now() + 10_000;
      while (phase !== 'scanning' && performance.now() < deadline) {
        phase = (await getJson(`${base}/api/v1/status`, 1000).catch(() => null))?.body.phase ?? null;
        if (phase !== 'scanning') await new Promise((r) => setTimeout(r, 20));
      }
      expect(phase).toBe('scanning');
      const started = performance.now();
      worker.kill('SIGTERM');
      const [code] = (await once(worker, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    }
  }, 60_000);
});

async function probeOnce(url: string): Promise<Omit<Probe, 'sentAtMs' | 'phase'>> {
  const started = performance.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await res.text();
    return { status: res.status, tookMs: performance.now() - started, error: null };
  } catch (err) {
    return { status: null, tookMs: performance.now() - started, error: String(err) };
  }
}
