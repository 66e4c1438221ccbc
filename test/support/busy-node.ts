/**
 * The big node of the throttle test and of bench/health-under-load: `pods` pod namespaces (100 by
 * default), each with a server holding a listener and 50 loopback pairs, and a client connected twice to
 * the next pod's server with 50 more pairs: ~20,000 sockets in all, like a busy Kubernetes node.
 */
import { SimNode } from './simnode.js';

export const BUSY_NODE_PODS = 100;
/** Sockets such a node holds at least (for 100 pods). */
export const BUSY_NODE_MIN_SOCKETS = 20_000;

/** Creates the node and starts its holders (servers first, then the clients that connect to them). */
export async function createBusyNode(name: string, pods = BUSY_NODE_PODS): Promise<SimNode> {
  const node = await SimNode.create({ pods, name });
  try {
    const indexes = Array.from({ length: pods }, (_, i) => i);
    await node.spawnMany(indexes.map((i) => ({ pod: i, spec: { listen: [{ ip: '0.0.0.0', port: 8080 }], loopbackPairs: 50 } })), 8);
    await node.spawnMany(indexes.map((i) => ({ pod: i, spec: { connect: [{ ip: node.pod((i + 1) % pods).ip4, port: 8080, count: 2 }], loopbackPairs: 50 } })), 8);
    return node;
  } catch (err) {
    await node.destroy();
    throw err;
  }
}
