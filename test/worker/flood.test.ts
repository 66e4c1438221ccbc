/**
 * Health is never behind work, under traffic too: a worker in a 0.25 CPU quota captures a DNS flood on
 * loopback that is far more than it can dissect. Capture and dissection run on their own thread, so
 * every probe (1 s timeout, every 100 ms, from outside the quota) is answered while the flood lasts;
 * what could not be kept up with shows as kernel drops, and the capture keeps producing entries.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimNode } from '../support/simnode.js';
import { freePort, getJson, waitFor } from '../helpers/http.js';
import { CLI } from '../helpers/run-cli.js';

const FLOOD_SECONDS = 4;
const PROBE_TIMEOUT_MS = 1000;
const FLOOD = fileURLToPath(new URL('./scripts/dns-flood.py', import.meta.url));

describe.skipIf(!SimNode.isRoot())('worker under a packet flood and a 0.25 CPU quota', () => {
  let node: SimNode;

  beforeAll(async () => {
    node = await SimNode.create({ pods: 0, name: 'flood' });
  }, 60_000);

  afterAll(async () => {
    await node?.destroy();
  });

  it('answers every probe within 1 s while the flood lasts', async () => {
    const [port, dnsPort] = [await freePort(), await freePort()];
    const base = `http://127.0.0.1:${port}`;
    const args = [process.execPath, CLI, 'worker', '-i', 'lo', '--bpf', `udp port ${dnsPort}`, '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
    const worker = node.spawnThrottled(args, process.env, 25_000);
    let stderr = '';
    worker.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    try {
      await waitFor(async () => ((await getJson(`${base}/readyz`, 1000)).status === 200 ? true : undefined), 20_000, 100);
      const flood = spawn('python3', [FLOOD, String(dnsPort), String(FLOOD_SECONDS)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let sent = '';
      flood.stdout.setEncoding('utf8').on('data', (d: string) => (sent += d));
      const probes: { tookMs: number; status: number | null }[] = [];
      const floodEnded = new Promise<void>((resolve) => flood.once('exit', () => resolve()));
      let ended = false;
      void floodEnded.then(() => (ended = true));
      while (!ended) {
        const started = performance.now();
        const status = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).then(
          (r) => r.status,
          () => null,
        );
        probes.push({ tookMs: performance.now() - started, status });
        await new Promise((r) => setTimeout(r, 100));
      }
      const capture = await waitFor(async () => {
        const c = (await getJson(`${base}/api/v1/capture`)).body;
        return c.packetsProcessed > 0 ? c : undefined;
      }, 5000);
      const slowest = Math.max(...probes.map((p) => p.tookMs));
      console.log(
        `flood: ${sent.trim()} queries sent in ${FLOOD_SECONDS} s; captured ${capture.packetsReceived}, dissected ${capture.packetsProcessed}, ` +
          `kernel drops ${capture.packetsDroppedKernel}, dns entries ${capture.entriesByProtocol.dns ?? 0} (${capture.entriesDropped} dropped on the way to the API); ${probes.length} probes, slowest ${slowest.toFixed(0)} ms`,
      );
      expect(probes.length).toBeGreaterThan(FLOOD_SECONDS * 5);
      const failed = probes.filter((p) => p.status !== 200 || p.tookMs >= PROBE_TIMEOUT_MS);
      expect(failed, `${JSON.stringify(failed)}\n${stderr}`).toEqual([]);
      // The flood was real and the capture kept working through it.
      expect(Number(sent)).toBeGreaterThan(50_000);
      expect(capture.packetsProcessed).toBeGreaterThan(10_000);
      expect(capture.entriesByProtocol.dns ?? 0).toBeGreaterThan(0);

      // And it still stops on SIGTERM, with exit code 0, in the middle of another flood.
      const second = spawn('python3', [FLOOD, String(dnsPort), '3'], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 1000));
      const stopAt = performance.now();
      worker.kill('SIGTERM');
      const [code, signal] = (await once(worker, 'exit')) as [number | null, string | null];
      const stopMs = performance.now() - stopAt;
      second.kill('SIGKILL');
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(stopMs).toBeLessThan(2500);
    } finally {
      worker.kill('SIGKILL');
    }
  }, 90_000);
});
