/**
 * Readiness tells the truth, and capture comes back (root): a worker in a simulated node's namespace
 * captures one pod's veth. The veth is deleted: /readyz turns 503 naming the capture failure while
 * /healthz stays 200. The veth is created again: capture restarts by itself, /readyz is 200 again and a
 * new call through the new veth becomes an entry.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimNode } from '../support/simnode.js';
import { waitFor } from '../helpers/http.js';
import { CLI } from '../helpers/run-cli.js';

const exec = promisify(execFile);
const WORKER_PORT = 48999;

describe.skipIf(!SimNode.isRoot())('capture restart when the interface goes away and comes back', () => {
  let node: SimNode;
  let worker: ChildProcess;
  let stderr = '';

  /** GET from inside the node's namespace (where the worker listens): status and body. */
  const inNode = async (url: string): Promise<{ status: number; body: string }> => {
    const { stdout } = await exec('ip', ['netns', 'exec', node.nodeNetns, 'curl', '-s', '-m', '10', '-w', '\n%{http_code}', url]);
    const cut = stdout.lastIndexOf('\n');
    return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
  };
  const api = (path: string): Promise<{ status: number; body: string }> => inNode(`http://127.0.0.1:${WORKER_PORT}${path}`);
  const entryFor = (path: string): Promise<true> =>
    waitFor(async () => ((await api(`/api/v1/entries?q=${encodeURIComponent(`path == "${path}"`)}`)).body.includes(`"target":"${path}"`) ? true : undefined), 30_000, 200);

  const createVeth = async (): Promise<void> => {
    const veth = node.pod(0).veth;
    await exec('ip', ['link', 'add', veth, 'netns', node.nodeNetns, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', node.pod(0).netns]);
    await exec('ip', ['-n', node.nodeNetns, 'link', 'set', veth, 'master', 'br0', 'up']);
    for (const args of [['link', 'set', 'eth0', 'up'], ['addr', 'add', `${node.pod(0).ip4}/16`, 'dev', 'eth0'], ['route', 'add', 'default', 'via', SimNode.bridgeIp4]]) {
      await exec('ip', ['-n', node.pod(0).netns, ...args]);
    }
  };

  beforeAll(async () => {
    node = await SimNode.create({ pods: 1, name: 'restart' });
    await node.spawnRaw(0, ['python3', '-m', 'http.server', '8080', '--bind', '0.0.0.0']);
    const argv = [process.execPath, CLI, 'worker', '-i', node.pod(0).veth, '--bpf', 'tcp port 8080', '--host', '127.0.0.1', '--port', String(WORKER_PORT), '--log-level', 'warn'];
    worker = spawn('ip', ['netns', 'exec', node.nodeNetns, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    worker.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await waitFor(async () => ((await api('/readyz')).status === 200 ? true : undefined), 60_000, 200);
    await waitFor(async () => ((await inNode(`http://${node.pod(0).ip4}:8080/`)).status === 200 ? true : undefined), 30_000, 200);
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await node?.destroy();
  });

  it('is unready while the veth is gone, and captures the new veth once it is back', async () => {
    expect((await inNode(`http://${node.pod(0).ip4}:8080/before`)).status).toBe(404);
    await entryFor('/before');

    await exec('ip', ['-n', node.nodeNetns, 'link', 'del', node.pod(0).veth]);
    const unready = await waitFor(async () => {
      const r = await api('/readyz');
      return r.status === 503 ? r : undefined;
    }, 30_000, 100);
    expect(JSON.parse(unready.body)).toMatchObject({ ready: false, reason: expect.stringMatching(/^capture stopped: .*retrying in \d+ s$/) });
    expect((await api('/healthz')).status).toBe(200);

    await createVeth();
    await waitFor(async () => ((await api('/readyz')).status === 200 ? true : undefined), 60_000, 200).catch((err: unknown) => {
      throw new Error(`${String(err)}; worker log: ${stderr}`);
    });
    expect((await inNode(`http://${node.pod(0).ip4}:8080/after`)).status).toBe(404);
    await entryFor('/after');
    const capture = JSON.parse((await api('/api/v1/capture')).body) as { phase: string; restarts: number; entriesByProtocol: Record<string, number> };
    expect(capture.phase).toBe('running');
    expect(capture.restarts).toBeGreaterThanOrEqual(1);
    expect(capture.entriesByProtocol.http).toBeGreaterThanOrEqual(2);
    expect(stderr).toMatch(/E_CAPTURE_FAILED/);
    expect(stderr).not.toMatch(/E_UNCAUGHT/);
  }, 180_000);
});
