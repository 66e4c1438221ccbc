/**
 * The incident podsniff exists for: a worker on a big node under a CPU quota must answer its probes while
 * it scans. A simulated node of 100 pod namespaces (~20,000 sockets); the worker starts inside a cgroup v1
 * `cpu` quota of 0.25 CPU from its first instruction and is probed from spawn on, from outside the quota.
 *
 * What is asserted is what happened — every probe answered 200 while the scan ran, the scan covered the
 * node, SIGTERM mid-scan exits 0 — not how fast: probe timeouts here only guard against a hang. How fast
 * (first /healthz, probe latency against kubelet's 1 s, stop time) is `npm run bench:health`.
 */
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimNode } from '../support/simnode.js';
import { BUSY_NODE_MIN_SOCKETS, BUSY_NODE_PODS, createBusyNode } from '../support/busy-node.js';
import { duringScan, fromFirstAnswer, probeThroughFirstScan } from '../support/health-probes.js';
import { spawnThrottledWorker } from '../support/throttled-worker.js';
import { terminate } from '../helpers/run-cli.js';
import { freePort, getJson, waitFor } from '../helpers/http.js';

/** Hang guards, not expectations of speed. */
const PROBE_HANG_GUARD_MS = 10_000;
const SCAN_HANG_GUARD_MS = 600_000;
const STOP_HANG_GUARD_MS = 60_000;

describe.skipIf(!SimNode.isRoot())('worker under a 0.25 CPU quota on a 100-namespace node', () => {
  let node: SimNode;

  beforeAll(async () => {
    node = await createBusyNode('throttle');
  }, 300_000);

  afterAll(async () => {
    await node?.destroy();
  });

  /** A throttled `worker --no-capture` on the node, its API base URL and its stderr so far. */
  async function startWorker(): Promise<{ worker: ChildProcess; base: string; stderr: () => string }> {
    const port = await freePort();
    const worker = spawnThrottledWorker(node, port, ['--no-capture']);
    let stderr = '';
    worker.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    return { worker, base: `http://127.0.0.1:${port}`, stderr: () => stderr };
  }

  it('answers every /healthz probe with 200 from its first answer on, while its scan covers the node', async () => {
    const spawnedAt = performance.now();
    const { worker, base, stderr } = await startWorker();
    try {
      const probes = await probeThroughFirstScan(base, spawnedAt, { timeoutMs: PROBE_HANG_GUARD_MS, giveUpMs: SCAN_HANG_GUARD_MS });
      const answered = fromFirstAnswer(probes);
      expect(answered.length, `no probe was answered; stderr: ${stderr()}`).toBeGreaterThan(0);
      const failed = answered.filter((p) => p.status !== 200);
      expect(failed, `${JSON.stringify(failed)}\n${stderr()}`).toEqual([]);
      // The scan really was under way while we probed, and it covered the node.
      expect(duringScan(answered).length).toBeGreaterThan(3);
      expect(answered.at(-1)!.phase, 'the first full scan finished').toBe('idle');
      const status = (await getJson(`${base}/api/v1/status`, PROBE_HANG_GUARD_MS)).body;
      expect(status.lastFullScan.counters.namespaces).toBeGreaterThanOrEqual(BUSY_NODE_PODS);
      expect(status.table.sockets).toBeGreaterThanOrEqual(BUSY_NODE_MIN_SOCKETS);
    } finally {
      await terminate(worker, STOP_HANG_GUARD_MS);
    }
  }, SCAN_HANG_GUARD_MS + 60_000);

  it('exits 0 on SIGTERM while the throttled scan is still running', async () => {
    const { worker, base, stderr } = await startWorker();
    try {
      // Poll until the scan runs (or is already over, which would make this test prove nothing).
      const phase = await waitFor(async () => {
        const seen: string = (await getJson(`${base}/api/v1/status`, PROBE_HANG_GUARD_MS)).body.phase;
        return seen === 'scanning' || seen === 'idle' ? seen : undefined;
      }, SCAN_HANG_GUARD_MS, 20);
      expect(phase).toBe('scanning');
      const stopped = await terminate(worker, STOP_HANG_GUARD_MS);
      expect({ code: stopped.code, signal: stopped.signal, hung: stopped.hung }, stderr()).toEqual({ code: 0, signal: null, hung: false });
    } finally {
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    }
  }, SCAN_HANG_GUARD_MS + 60_000);
});
