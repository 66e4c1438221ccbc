/** The DNS dissectors' static descriptions: UDP and TCP, ports 53 (DNS) and 5353 (mDNS), pairing by id. */
import type { DissectorSpec } from '../types.js';

export const DNS_PORTS: readonly number[] = Object.freeze([53, 5353]);

export const dnsUdpSpec: DissectorSpec = Object.freeze({ id: 'dns', transport: 'udp', ports: DNS_PORTS, priority: 40, pairing: 'key' });

export const dnsTcpSpec: DissectorSpec = Object.freeze({ id: 'dns', transport: 'tcp', ports: DNS_PORTS, priority: 40, pairing: 'key' });
