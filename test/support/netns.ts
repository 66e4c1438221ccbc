// Network layout of the simulated node: a node netns, one netns per pod joined to it by a veth pair.
// Two layouts: `bridge` (the node-side veths on bridge br0, one L2 segment, as flannel/kindnet do) and
// `routed` (no bridge: a /32 route per pod to its veth, proxy ARP and forwarding in the node, as Calico
// does — a pod-to-pod packet enters one veth and leaves another). Built with `ip -batch`; nothing is
// created in the host's root namespace (veth pairs are created directly inside their namespaces).
import { mapLimit, run } from './proc.js';

/** Bridge (gateway) IPv4 address; pods are in 10.244.0.0/16. */
export const BRIDGE_IP4 = '10.244.0.1';
/** Bridge (gateway) IPv6 address; pods are in fd00:244::/64. */
export const BRIDGE_IP6 = 'fd00:244::1';
/** Upper bound on pods per node (address scheme and interface names allow far more). */
export const MAX_PODS = 4000;

/** Addresses of pod `i`: host number n = i + 2 → 10.244.(n>>8).(n&255) and fd00:244::<n hex>. */
export function podAddresses(i: number): { ip4: string; ip6: string } {
  const n = i + 2;
  return { ip4: `10.244.${n >> 8}.${n & 255}`, ip6: `fd00:244::${n.toString(16)}` };
}

/** How pods connect to the node: one bridge, or routed veths (Calico style; IPv4 only). */
export type NetworkLayout = 'bridge' | 'routed';

/** Link-local next hop routed pods use, answered by proxy ARP on the node side (as in Calico). */
export const ROUTED_GATEWAY = '169.254.1.1';

/** What createNetwork builds. */
export interface NetPlan {
  nodeNs: string;
  ipv6: boolean;
  layout?: NetworkLayout;
  pods: { netns: string; veth: string; ip4: string; ip6: string }[];
}

/**
 * Creates the namespaces, veth pairs, bridge, addresses and default routes of `plan`. On failure
 * it rejects; the caller removes whatever exists (namespaces are registered beforehand).
 */
export async function createNetwork(plan: NetPlan, concurrency = 8): Promise<void> {
  const root: string[] = [`netns add ${plan.nodeNs}`];
  for (const p of plan.pods) root.push(`netns add ${p.netns}`);
  for (const p of plan.pods) root.push(`link add ${p.veth} netns ${plan.nodeNs} type veth peer name eth0 netns ${p.netns}`);
  await run('ip', ['-batch', '-'], root.join('\n') + '\n');
  if (plan.layout === 'routed') return createRouted(plan, concurrency);

  const node: string[] = ['link set lo up', 'link add br0 type bridge', `addr add ${BRIDGE_IP4}/16 dev br0`];
  if (plan.ipv6) node.push(`addr add ${BRIDGE_IP6}/64 dev br0 nodad`);
  node.push('link set br0 up');
  for (const p of plan.pods) node.push(`link set ${p.veth} master br0`, `link set ${p.veth} up`);
  await run('ip', ['-n', plan.nodeNs, '-batch', '-'], node.join('\n') + '\n');

  await mapLimit(plan.pods, concurrency, async (p) => {
    const cmds = ['link set lo up', 'link set eth0 up', `addr add ${p.ip4}/16 dev eth0`, `route add default via ${BRIDGE_IP4}`];
    if (plan.ipv6) cmds.push(`addr add ${p.ip6}/64 dev eth0 nodad`, `route add ::/0 via ${BRIDGE_IP6}`);
    await run('ip', ['-n', p.netns, '-batch', '-'], cmds.join('\n') + '\n');
  });
}

async function createRouted(plan: NetPlan, concurrency: number): Promise<void> {
  if (plan.ipv6) throw new Error('the routed layout is IPv4 only');
  // The node owns the pods' next hop (on lo), so each veth answers ARP for it: with proxy ARP this is
  // how Calico's hosts answer for 169.254.1.1 without any address on the veths.
  const node: string[] = ['link set lo up', `addr add ${ROUTED_GATEWAY}/32 dev lo`];
  for (const p of plan.pods) node.push(`link set ${p.veth} up`, `route add ${p.ip4}/32 dev ${p.veth}`);
  await run('ip', ['-n', plan.nodeNs, '-batch', '-'], node.join('\n') + '\n');
  const sysctls = ['net.ipv4.ip_forward=1', ...plan.pods.map((p) => `net.ipv4.conf.${p.veth}.proxy_arp=1`)];
  await run('ip', ['netns', 'exec', plan.nodeNs, 'sysctl', '-q', '-w', ...sysctls]);
  await mapLimit(plan.pods, concurrency, async (p) => {
    const cmds = [
      'link set lo up',
      'link set eth0 up',
      `addr add ${p.ip4}/32 dev eth0`,
      `route add ${ROUTED_GATEWAY} dev eth0 scope link`,
      `route add default via ${ROUTED_GATEWAY} dev eth0`,
    ];
    await run('ip', ['-n', p.netns, '-batch', '-'], cmds.join('\n') + '\n');
  });
}
