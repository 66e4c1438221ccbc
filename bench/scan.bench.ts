/**
 * `npm run bench:scan`: the full node scan against the bare reads it needs, and against `ss -tuanp` run
 * once per namespace (the peer tool), on a simulated node of >= 100 namespaces and >= 20,000 sockets.
 *
 * Prints, from one run: the scan's wall and CPU time, the event-loop delay p99 during the scan, and the
 * ratios. The bare reads are the same syscalls the scan makes (one procfs pass: /proc listing, stat,
 * ns/net, fd walk, and status/exe/cgroup of socket owners; per namespace the four socket tables and the
 * two address files) with no parsing and no bookkeeping, measured here in the same process. Root only.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, opendirSync, openSync, readFileSync, readSync, readdirSync, readlinkSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { ConnectionTable } from '../src/identity/index.js';
import { SimNode } from '../test/support/simnode.js';
import { median } from './support/figures.js';

const PODS = Number(process.env.PODS ?? 100);
const PAIRS = Number(process.env.PAIRS ?? 50);
const ROUNDS = Number(process.env.ROUNDS ?? 5);

const chunk = Buffer.allocUnsafe(64 * 1024);

/** The reads a full scan makes, without parsing. Returns counts to keep the work observable. */
function bareReads(): { pids: number; fds: number; tableBytes: number } {
  const byNetns = new Map<string, number>();
  const owners: number[] = [];
  let fds = 0;
  const names = readdirSync('/proc').filter((n) => n.charCodeAt(0) >= 0x30 && n.charCodeAt(0) <= 0x39);
  for (const name of names) {
    try {
      readFileSync(`/proc/${name}/stat`, 'latin1');
      const ns = readlinkSync(`/proc/${name}/ns/net`);
      if (!byNetns.has(ns)) byNetns.set(ns, Number(name));
      const dir = opendirSync(`/proc/${name}/fd`, { bufferSize: 256 });
      let sockets = 0;
      for (let e = dir.readSync(); e; e = dir.readSync()) {
        fds++;
        try {
          if (readlinkSync(`/proc/${name}/fd/${e.name}`).startsWith('socket:[')) sockets++;
        } catch {
          // closed meanwhile
        }
      }
      dir.closeSync();
      if (sockets) owners.push(Number(name));
    } catch {
      // vanished
    }
  }
  for (const pid of owners) {
    try {
      readFileSync(`/proc/${pid}/status`, 'latin1');
      readlinkSync(`/proc/${pid}/exe`);
      readFileSync(`/proc/${pid}/cgroup`, 'latin1');
    } catch {
      // vanished
    }
  }
  let tableBytes = 0;
  for (const pid of byNetns.values()) {
    for (const file of ['tcp', 'tcp6', 'udp', 'udp6', 'fib_trie', 'if_inet6']) {
      const fd = openSync(`/proc/${pid}/net/${file}`, 'r');
      for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) tableBytes += n;
      closeSync(fd);
    }
  }
  return { pids: names.length, fds, tableBytes };
}

async function timeScan(): Promise<{ wallMs: number; cpuMs: number; loopP99Ms: number; loopMaxMs: number; sockets: number; namespaces: number; processes: number }> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const table = new ConnectionTable({ sliceMs: 4 });
  loop.enable();
  const cpu = process.cpuUsage();
  const start = performance.now();
  await table.whenScanned();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  loop.disable();
  table.stop();
  const status = table.status();
  return {
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    loopP99Ms: loop.percentile(99) / 1e6,
    loopMaxMs: loop.max / 1e6,
    sockets: status.table.sockets,
    namespaces: status.table.namespaces,
    processes: status.table.processes,
  };
}

function timeBare(): { wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  bareReads();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function timeSsPerNamespace(node: SimNode): number {
  const start = performance.now();
  execFileSync('ss', ['-tuanp'], { stdio: 'ignore', maxBuffer: 1 << 28 });
  for (let i = 0; i < node.podCount; i++) execFileSync('ip', ['netns', 'exec', node.pod(i).netns, 'ss', '-tuanp'], { stdio: 'ignore', maxBuffer: 1 << 28 });
  return performance.now() - start;
}

async function main(): Promise<void> {
  if (!SimNode.isRoot()) throw new Error(`bench:scan ${SimNode.requireRoot}`);
  const setupStart = performance.now();
  const node = await SimNode.create({ pods: PODS, name: 'bench-scan' });
  try {
    const pods = Array.from({ length: PODS }, (_, i) => i);
    await node.spawnMany(pods.map((i) => ({ pod: i, spec: { listen: [{ ip: '0.0.0.0', port: 8080 }], loopbackPairs: PAIRS } })), 8);
    await node.spawnMany(pods.map((i) => ({ pod: i, spec: { connect: [{ ip: node.pod((i + 1) % PODS).ip4, port: 8080, count: 2 }], loopbackPairs: PAIRS } })), 8);
    for (const i of pods) for (let k = 0; k < 2; k++) await node.spawnRaw(i, ['/bin/sleep', '3600']);
    console.log(`setup: ${PODS} pods in ${Math.round(performance.now() - setupStart)} ms`);

    const bare = bareReads();
    const scans = [];
    const bares = [];
    await timeScan(); // warm caches and JIT once; not counted
    for (let round = 0; round < ROUNDS; round++) {
      bares.push(timeBare());
      scans.push(await timeScan());
    }
    const ssMs = timeSsPerNamespace(node);
    const scan = {
      wallMs: median(scans.map((s) => s.wallMs)),
      cpuMs: median(scans.map((s) => s.cpuMs)),
      loopP99Ms: median(scans.map((s) => s.loopP99Ms)),
      loopMaxMs: Math.max(...scans.map((s) => s.loopMaxMs)),
    };
    const bareMs = median(bares.map((b) => b.wallMs));
    const last = scans.at(-1)!;
    console.log(`node: ${last.namespaces} namespaces, ${bare.pids} pids, ${last.processes} processes holding sockets, ${bare.fds} fds, ${last.sockets} sockets, ${(bare.tableBytes / 1e6).toFixed(1)} MB of tables`);
    console.log(`bare reads (no parsing):   ${bareMs.toFixed(0)} ms wall (median of ${ROUNDS})`);
    console.log(`podsniff full scan:        ${scan.wallMs.toFixed(0)} ms wall, ${scan.cpuMs.toFixed(0)} ms CPU (median of ${ROUNDS})`);
    console.log(`event-loop delay in scan:  p99 ${scan.loopP99Ms.toFixed(1)} ms, max ${scan.loopMaxMs.toFixed(1)} ms`);
    console.log(`ss -tuanp per namespace:   ${ssMs.toFixed(0)} ms wall (${PODS + 1} runs)`);
    console.log(`ratio scan / bare reads:   ${(scan.wallMs / bareMs).toFixed(2)}x   (target <= 1.5x)`);
    console.log(`ratio ss / scan:           ${(ssMs / scan.wallMs).toFixed(1)}x faster than ss per namespace`);
    console.log(JSON.stringify({ bench: 'scan', node: { ...bare, sockets: last.sockets, namespaces: last.namespaces }, bareMs, scan, ssMs, ratioToBare: scan.wallMs / bareMs, ratioSsToScan: ssMs / scan.wallMs }));
  } finally {
    await node.destroy();
  }
}

await main();
