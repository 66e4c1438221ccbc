/**
 * Protocol dissection: the registry, the TCP and UDP routers that pick a dissector per conversation,
 * and the built-in dissectors (one folder each; they never import each other).
 */
import { dnsTcpDissector, dnsUdpDissector } from './dns/index.js';
import { http1Dissector } from './http1/index.js';
import { DissectorRegistry } from './registry.js';

export * from './types.js';
export { DissectorRegistry } from './registry.js';
export { StreamRouter, DETECT_LIMIT, type ConversationSink, type ConversationSinkFactory } from './stream-router.js';
export { UdpRouter, type UdpRouterOptions } from './udp-router.js';

/** The registry of every built-in dissector. */
export function defaultRegistry(): DissectorRegistry {
  return new DissectorRegistry([http1Dissector, dnsTcpDissector, dnsUdpDissector]);
}
