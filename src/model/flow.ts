/** Transport endpoints and connection identity shared by reassembly, protocols and correlate. */

export type Transport = 'tcp' | 'udp';

/** An IP address (canonical text, see `canonicalIp`) and port. */
export interface L4Endpoint {
  readonly ip: string;
  readonly port: number;
}

/**
 * One transport conversation as the core sees it. `a` is the initiator when `initiatorKnown` (a SYN
 * was seen, or for UDP the first datagram's sender); otherwise `a` is merely the first sender seen.
 * Direction 0 is a→b, direction 1 is b→a.
 */
export interface ConnectionInfo {
  /** Stable id of the conversation within one pipeline run, deterministic for a given capture. */
  readonly id: string;
  readonly transport: Transport;
  readonly a: L4Endpoint;
  readonly b: L4Endpoint;
  readonly initiatorKnown: boolean;
}

/** 0: from `a` to `b`; 1: from `b` to `a`. */
export type Direction = 0 | 1;

/** Text form of an endpoint: `1.2.3.4:80` or `[fd00::1]:80`. */
export function endpointText(e: L4Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}
