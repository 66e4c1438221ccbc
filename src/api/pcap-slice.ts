/**
 * Narrow an exported connection pcap to one entry: the records from the entry's first request byte to
 * its last response byte (µs resolution, inclusive). On a keep-alive connection that is the one
 * exchange instead of every call the connection carried; Wireshark opens it as a stream joined
 * mid-way. Entries without a response get the first second from their start. Input is the store's
 * export (nanosecond classic pcap); anything else is returned unchanged.
 */
import type { Entry } from '../model/index.js';
import { slicePcap } from '../store/index.js';

const NO_RESPONSE_WINDOW_US = 1_000_000;

export function sliceForEntry(pcap: Buffer, entry: Pick<Entry, 'startedAtMs' | 'elapsedMs'>): Buffer {
  const fromUs = Math.round(entry.startedAtMs * 1000);
  const toUs = entry.elapsedMs === null ? fromUs + NO_RESPONSE_WINDOW_US : fromUs + Math.ceil(entry.elapsedMs * 1000);
  return slicePcap(pcap, fromUs, toUs);
}
