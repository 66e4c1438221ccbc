/**
 * Narrow an exported connection pcap to one entry: the records from the entry's first request byte to
 * its last response byte (µs resolution, inclusive). On a keep-alive connection that is the one
 * exchange instead of every call the connection carried; Wireshark opens it as a stream joined
 * mid-way. Entries without a response get the first second from their start. Input is a classic
 * pcap with nanosecond timestamps in little-endian order, as the store writes it; anything else is
 * returned unchanged.
 */
import type { Entry } from '../model/index.js';

const HEADER = 24;
const RECORD_HEADER = 16;
const MAGIC_NS_LE = 0xa1b23c4d;
const NO_RESPONSE_WINDOW_US = 1_000_000;

export function sliceForEntry(pcap: Buffer, entry: Pick<Entry, 'startedAtMs' | 'elapsedMs'>): Buffer {
  if (pcap.length < HEADER || pcap.readUInt32LE(0) !== MAGIC_NS_LE) return pcap;
  const fromUs = Math.round(entry.startedAtMs * 1000);
  const toUs = entry.elapsedMs === null ? fromUs + NO_RESPONSE_WINDOW_US : fromUs + Math.ceil(entry.elapsedMs * 1000);
  const keep: Buffer[] = [pcap.subarray(0, HEADER)];
  for (let at = HEADER; at + RECORD_HEADER <= pcap.length; ) {
    const caplen = pcap.readUInt32LE(at + 8);
    const end = at + RECORD_HEADER + caplen;
    const us = pcap.readUInt32LE(at) * 1_000_000 + Math.floor(pcap.readUInt32LE(at + 4) / 1000);
    if (us >= fromUs && us <= toUs) keep.push(pcap.subarray(at, end));
    at = end;
  }
  return Buffer.concat(keep);
}
