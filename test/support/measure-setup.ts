// Measures simulated-node setup cost: `npx tsx test/support/measure-setup.ts [pods] [holdersPerPod] [pairs]`.
// Prints one JSON line of timings (ms). Run as root.
import { SimNode } from './simnode.js';

const [pods = 100, perPod = 2, pairs = 50] = process.argv.slice(2).map(Number);
const t0 = performance.now();
const node = await SimNode.create({ pods, ipv6: true, name: 'measure-setup' });
const t1 = performance.now();
try {
  const items = Array.from({ length: pods * perPod }, (_, k) => ({ pod: k % pods, spec: { loopbackPairs: pairs } }));
  const holders = await node.spawnMany(items, 8);
  const t2 = performance.now();
  const sockets = holders.reduce((n, h) => n + h.initial.sockets.length, 0);
  await node.destroy();
  const t3 = performance.now();
  console.log(
    JSON.stringify({ pods, holders: holders.length, pairs, sockets, createMs: Math.round(t1 - t0), spawnMs: Math.round(t2 - t1), setupMs: Math.round(t2 - t0), destroyMs: Math.round(t3 - t2) }),
  );
} finally {
  await node.destroy();
}
