/**
 * The DNS dissectors: over UDP (one message per datagram) and over TCP (2-byte length framing), both
 * paired by DNS id. Messages decode with dns-packet and carry presentation-form records. Public surface.
 */
import type { ConnectionInfo } from '../../model/index.js';
import type { Dissector, MessageSink } from '../types.js';
import { detectDnsTcp, detectDnsUdp } from './detect.js';
import { dnsTcpSpec, dnsUdpSpec } from './spec.js';
import { DnsTcpSession } from './tcp-session.js';
import { DnsUdpSession } from './udp-session.js';

export const dnsUdpDissector: Dissector = Object.freeze({
  spec: dnsUdpSpec,
  detect: detectDnsUdp,
  createSession: (_conn: ConnectionInfo, sink: MessageSink) => new DnsUdpSession(sink),
});

export const dnsTcpDissector: Dissector = Object.freeze({
  spec: dnsTcpSpec,
  detect: detectDnsTcp,
  createSession: (_conn: ConnectionInfo, sink: MessageSink) => new DnsTcpSession(sink),
});

export { DnsUdpSession } from './udp-session.js';
export { DnsTcpSession } from './tcp-session.js';
export { detectDnsTcp, detectDnsUdp, looksLikeDns } from './detect.js';
export { dnsMessage } from './message.js';
export { DnsError, type DnsErrorCode } from './errors.js';
export { DNS_PORTS, dnsTcpSpec, dnsUdpSpec } from './spec.js';
