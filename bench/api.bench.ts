/**
 * `npm run bench:api`: the time bounds of the query and API layers, which the tests no longer assert
 * (they assert the answers). Absolute figures against the goals the tests used to hold:
 * - a large allowed regex over a value longer than the match input limit (goal ≤ 500 ms per match);
 * - the regex engine on 1 MiB inputs that make backtracking engines explode (goal ≤ 500 ms each);
 * - the service map over a store that never runs out of slow pages: time to its truncated answer
 *   (read budget 250 ms; goal ≤ 1 s);
 * - as root, on a 3-pod simulated node: `podsniff worker` resolving a new connection of an existing
 *   process by on-demand lookup (goal ≤ 1 s) and stopping on SIGTERM (goal ≤ 2 s).
 * ROUNDS (default 5) repeats each measurement; medians and maxima are printed.
 */
import { performance } from 'node:perf_hooks';
import { ApiServer } from '../src/api/index.js';
import { registerServiceMapRoute } from '../src/api/servicemap.js';
import { compileFilter, MAX_MATCH_INPUT } from '../src/query/index.js';
import { compileRegex } from '../src/query/regex/index.js';
import { endlessIndex } from '../test/api/support/endless-index.js';
import { LARGE_ALLOWED_REGEX, httpPost500 } from '../test/query/fixtures.js';
import { HANG_GUARD_MS, freePort, getJson, waitFor } from '../test/helpers/http.js';
import { startCli, terminate } from '../test/helpers/run-cli.js';
import { SimNode } from '../test/support/simnode.js';
import { formatMs, goalLine, median } from './support/figures.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
/** Inputs that make backtracking engines explode (as in test/query/regex/regex.test.ts). */
const ADVERSARIAL_PATTERNS = ['x*y', '.*a.*b', 'x*x*x*y', '[a-z]+[a-z]+y', '(?i)X+Y', '^(x|y|z)*w$', '\\w+@\\w+'];

/** ms of each of ROUNDS runs of `fn`. */
async function timed(fn: () => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await fn();
    out.push(performance.now() - started);
  }
  return out;
}

function line(label: string, samples: readonly number[], goalMs: number): string {
  const worst = Math.max(...samples);
  return goalLine(label, `median ${formatMs(median(samples))}, max ${formatMs(worst)}`, worst, goalMs);
}

async function filterLimits(): Promise<void> {
  console.log('filter language:');
  const f = compileFilter(`request.body.matches(r"${LARGE_ALLOWED_REGEX}")`);
  const e = { ...httpPost500, request: { ...httpPost500.request!, body: { ...httpPost500.request!.body!, decoded: 'a'.repeat(4 * MAX_MATCH_INPUT) } } };
  console.log(line(`large allowed regex, ${(4 * MAX_MATCH_INPUT) >> 10} KiB value`, await timed(() => f.matches(e)), 500));
  const input = 'x'.repeat(1 << 20);
  for (const pattern of ADVERSARIAL_PATTERNS) {
    const re = compileRegex(pattern);
    console.log(line(`regex ${pattern} on 1 MiB`, await timed(() => re.test(input)), 500));
  }
}

async function serviceMapBudget(): Promise<void> {
  console.log('service map:');
  const server = new ApiServer();
  registerServiceMapRoute(server, endlessIndex(20).index);
  const port = await server.listen(0, '127.0.0.1');
  try {
    const samples = await timed(async () => (await fetch(`http://127.0.0.1:${port}/api/v1/servicemap?q=dns`)).json());
    console.log(line('truncated answer over an endless slow store', samples, 1000));
  } finally {
    await server.close();
  }
}

/** A 3-pod node: listeners in pods 1 and 2, a client in pod 0 that opens new connections on demand. */
async function workerOnNode(): Promise<void> {
  console.log('podsniff worker on a 3-pod simulated node:');
  const node = await SimNode.create({ pods: 3, name: 'bench-api' });
  try {
    for (const pod of [1, 2]) await node.spawn(pod, { listen: [{ ip: '0.0.0.0', port: 8080 }] });
    const client = await node.spawn(0, { connect: [{ ip: node.pod(1).ip4, port: 8080 }] });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // No refresh during the bench: every new connection is found by an on-demand lookup.
    const worker = startCli(['worker', '--no-capture', '--host', '127.0.0.1', '--port', String(port), '--refresh-interval', '1h', '--log-level', 'warn']);
    try {
      await waitFor(async () => ((await getJson(`${base}/api/v1/status`)).body.phase === 'idle' ? true : undefined), HANG_GUARD_MS);
      const seen = new Set(client.initial.sockets.map((x) => x.local.port));
      const lookups = await timed(async () => {
        const report = await client.connect({ connect: [{ ip: node.pod(2).ip4, port: 8080 }] });
        const s = report.sockets.find((x) => x.kind === 'connected' && x.remote.ip === node.pod(2).ip4 && !seen.has(x.local.port))!;
        seen.add(s.local.port);
        const { body } = await getJson(`${base}/api/v1/connections/lookup?proto=tcp&local=${s.local.ip}:${s.local.port}&remote=${s.remote.ip}:${s.remote.port}`, HANG_GUARD_MS);
        if (body.source !== 'rescan') throw new Error(`lookup answered from ${body.source}, not by a rescan`);
      });
      console.log(line('lookup of a new connection (rescan)', lookups, 1000));
    } finally {
      const stopped = await terminate(worker, HANG_GUARD_MS);
      console.log(goalLine('SIGTERM → exit', formatMs(stopped.stopMs), stopped.stopMs, 2000));
    }
  } finally {
    await node.destroy();
  }
}

await filterLimits();
await serviceMapBudget();
if (SimNode.isRoot()) await workerOnNode();
else console.log('podsniff worker on a simulated node: skipped (needs root)');
