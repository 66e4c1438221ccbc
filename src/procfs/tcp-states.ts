/**
 * Kernel socket state numbers (include/net/tcp_states.h) to the names `ss` prints. UDP reuses the TCP
 * numbers: 1 (ESTABLISHED) is a connected UDP socket, 7 (CLOSE) an unconnected one, shown as UNCONN.
 */
import type { SocketProto, SocketState } from '../model/index.js';

const TCP_STATES: readonly SocketState[] = [
  'UNKNOWN',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
];

/** Kernel state number of LISTEN. */
export const STATE_LISTEN = 10;
/** Kernel state number of CLOSE (unconnected UDP). */
export const STATE_CLOSE = 7;

/** Name of kernel state `code` for `proto`. */
export function stateName(proto: SocketProto, code: number): SocketState {
  if (proto === 'udp') {
    if (code === STATE_CLOSE) return 'UNCONN';
    if (code === 1) return 'ESTABLISHED';
  }
  return TCP_STATES[code] ?? 'UNKNOWN';
}
