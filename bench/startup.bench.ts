/**
 * `npm run bench:startup` (root): spawn → first `200` from `/healthz` of `podsniff worker`, on a simulated
 * node of 100 pod namespaces (~20,000 sockets), unthrottled and inside a 0.25 CPU quota (cgroup v1
 * `cpu`, cfs_quota 25 ms per 100 ms, from the process's first instruction, as a kubelet limit), median
 * of 10 each. The peer in the same run is the floor: a bare `node` HTTP server that answers at once
 * (node's own start-up plus one module), so the ratio says what podsniff adds.
 *
 * Probes come from outside the quota every 2 ms. Two environments: a clean one as in a pod, and this
 * shell's (which on these machines sets NODE_EXTRA_CA_CERTS: node then parses the CA bundle before
 * running any JavaScript, ~60 ms of CPU that no code of ours can avoid). Goals (issue #10): first
 * `/healthz` within 0.6 s at 0.25 CPU and within 0.15 s unthrottled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimNode } from '../test/support/simnode.js';

const PODS = Number(process.env.PODS ?? 100);
const RUNS = Number(process.env.RUNS ?? 10);
const QUOTA_US = 25_000;
const CLI = new URL('../bin/podsniff.js', import.meta.url).pathname;
const GOALS = { throttled: 600, unthrottled: 150 };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** ms from spawn to the first 200 of `/healthz` (probing every 2 ms); the process is killed after. */
async function firstHealth(start: (port: number) => ChildProcess): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = start(port);
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return performance.now() - t0;
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before answering`);
      if (performance.now() - t0 > 30_000) throw new Error('no answer in 30 s');
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    child.kill('SIGKILL');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
  }
}

function stats(samples: number[]): { median: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
}

async function main(): Promise<void> {
  if (!SimNode.isRoot()) throw new Error('bench:startup needs root (simulated node, cgroup quota)');
  const node = await SimNode.create({ pods: PODS, name: 'startup-bench' });
  const dir = mkdtempSync(join(tmpdir(), 'podsniff-startup-'));
  try {
    const pods = Array.from({ length: PODS }, (_, i) => i);
    await node.spawnMany(pods.map((i) => ({ pod: i, spec: { listen: [{ ip: '0.0.0.0', port: 8080 }], loopbackPairs: 50 } })), 8);
    await node.spawnMany(pods.map((i) => ({ pod: i, spec: { connect: [{ ip: node.pod((i + 1) % PODS).ip4, port: 8080, count: 2 }], loopbackPairs: 50 } })), 8);
    const bare = join(dir, 'bare.mjs');
    writeFileSync(bare, "import { createServer } from 'node:http';\ncreateServer((q, s) => s.end('ok')).listen(Number(process.argv[2]), '127.0.0.1');\n");
    const podEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_NAME: 'bench' };
    const envs: [string, NodeJS.ProcessEnv][] = [['pod env', podEnv], ['shell env', process.env]];
    console.log(`bench:startup — ${PODS} pod namespaces, median of ${RUNS} (ms from spawn to the first 200 of /healthz)`);
    for (const [envName, env] of envs) {
      for (const throttled of [false, true]) {
        const run = (argv: (port: number) => string[]) => (port: number) =>
          throttled ? node.spawnThrottled(argv(port), env, QUOTA_US, { stdio: 'ignore' }) : spawn(argv(port)[0]!, argv(port).slice(1), { env, stdio: 'ignore' });
        const worker: number[] = [];
        const floor: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          worker.push(await firstHealth(run((port) => [process.execPath, CLI, 'worker', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn'])));
          floor.push(await firstHealth(run((port) => [process.execPath, bare, String(port)])));
        }
        const w = stats(worker);
        const f = stats(floor);
        const goal = throttled ? GOALS.throttled : GOALS.unthrottled;
        const label = `${envName}, ${throttled ? '0.25 CPU' : 'unthrottled'}`.padEnd(26);
        console.log(
          `${label} podsniff worker ${w.median.toFixed(0)} ms (min ${w.min.toFixed(0)}, max ${w.max.toFixed(0)}) | bare node server ${f.median.toFixed(0)} ms | ` +
            `${(w.median / f.median).toFixed(2)}x the floor | goal ≤ ${goal} ms: ${w.median <= goal ? 'PASS' : 'MISS'}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await node.destroy();
  }
}

await main();
