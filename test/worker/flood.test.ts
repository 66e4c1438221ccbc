/**
 * Health is never behind work, under traffic too: a worker in a 0.25 CPU quota captures a DNS flood on
 * loopback that is far more than it can dissect. Capture and dissection run on their own thread, so
 * every probe (every 100 ms, from outside the quota) is answered while the flood lasts; what could not be
 * kept up with shows as kernel drops, and the capture keeps producing entries.
 *
 * The flood lasts at least FLOOD_SECONDS and at least FLOOD_QUERIES queries, so a slow machine sends the
 * same flood over a longer time. Timeouts here only guard against a hang; probe latency against
 * kubelet's 1 s and the stop time are `npm run bench:health`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureCounters } from '../../src/model/index.js';
import { SimNode } from '../support/simnode.js';
import { runFlood, startFlood } from '../support/dns-flood.js';
import { probeDuring } from '../support/health-probes.js';
import { spawnThrottledWorker } from '../support/throttled-worker.js';
import { terminate } from '../helpers/run-cli.js';
import { freePort, getJson, waitFor } from '../helpers/http.js';

const FLOOD_SECONDS = 4;
const FLOOD_QUERIES = 100_000;
/** Frames the worker must have dissected from the flood, and entries it must have made of them. */
const MIN_PROCESSED = 10_000;
/** Hang guards, not expectations of speed. */
const PROBE_HANG_GUARD_MS = 10_000;
const STEP_HANG_GUARD_MS = 120_000;
const STOP_HANG_GUARD_MS = 60_000;

describe.skipIf(!SimNode.isRoot())('worker under a packet flood and a 0.25 CPU quota', () => {
  let node: SimNode;

  beforeAll(async () => {
    node = await SimNode.create({ pods: 0, name: 'flood' });
  }, 60_000);

  afterAll(async () => {
    await node?.destroy();
  });

  it('answers every probe while the flood lasts, keeps capturing, and exits 0 on SIGTERM mid-flood', async () => {
    const [port, dnsPort] = [await freePort(), await freePort()];
    const base = `http://127.0.0.1:${port}`;
    const worker = spawnThrottledWorker(node, port, ['-i', 'lo', '--bpf', `udp port ${dnsPort}`]);
    let stderr = '';
    worker.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const capture = async (): Promise<CaptureCounters> => (await getJson<CaptureCounters>(`${base}/api/v1/capture`, PROBE_HANG_GUARD_MS)).body;
    let second: ReturnType<typeof startFlood> | null = null;
    try {
      await waitFor(async () => ((await getJson(`${base}/readyz`, PROBE_HANG_GUARD_MS)).status === 200 ? true : undefined), STEP_HANG_GUARD_MS);
      const probing = { everyMs: 100, timeoutMs: PROBE_HANG_GUARD_MS };
      const { result: sent, probes } = await probeDuring(`${base}/healthz`, probing, () => runFlood(dnsPort, FLOOD_SECONDS, FLOOD_QUERIES));
      expect(probes.length).toBeGreaterThanOrEqual(3);
      const failed = probes.filter((p) => p.status !== 200);
      expect(failed, `${JSON.stringify(failed)}\n${stderr}`).toEqual([]);

      // The flood was real and the capture kept working through it.
      expect(sent).toBeGreaterThanOrEqual(FLOOD_QUERIES);
      const after = await waitFor(async () => {
        const c = await capture();
        return c.packetsProcessed >= MIN_PROCESSED && (c.entriesByProtocol.dns ?? 0) > 0 ? c : undefined;
      }, STEP_HANG_GUARD_MS);
      console.log(
        `flood: ${sent} queries sent; captured ${after.packetsReceived}, dissected ${after.packetsProcessed}, kernel drops ${after.packetsDroppedKernel}, ` +
          `dns entries ${after.entriesByProtocol.dns ?? 0} (${after.entriesDropped} dropped on the way to the API); ${probes.length} probes, all answered`,
      );

      // And it still stops on SIGTERM, with exit code 0, in the middle of another flood.
      second = startFlood(dnsPort, 600);
      await waitFor(async () => ((await capture()).packetsReceived > after.packetsReceived + 1000 ? true : undefined), STEP_HANG_GUARD_MS);
      const stopped = await terminate(worker, STOP_HANG_GUARD_MS);
      expect({ code: stopped.code, signal: stopped.signal, hung: stopped.hung }, stderr).toEqual({ code: 0, signal: null, hung: false });
    } finally {
      second?.kill('SIGKILL');
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    }
  }, 600_000);
});
