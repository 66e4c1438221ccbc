/**
 * Classic pcap framing for packet export: the 24-byte nanosecond file header, and a check that a chunk
 * of records is exactly `count` well-formed records. Pure functions.
 */

/** Nanosecond-resolution classic pcap magic. */
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_SNAPLEN = 262144;
const HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;

/** The file header: magic (ns), version 2.4, zone 0, sigfigs 0, snaplen 262144, `linkType`; little-endian. */
export function pcapHeader(linkType: number): Buffer {
  const out = Buffer.alloc(HEADER_BYTES);
  out.writeUInt32LE(PCAP_MAGIC_NS, 0);
  out.writeUInt16LE(2, 4);
  out.writeUInt16LE(4, 6);
  out.writeUInt32LE(PCAP_SNAPLEN, 16);
  out.writeUInt32LE(linkType >>> 0, 20);
  return out;
}

/** Why `records` is not `count` concatenated records, or null when it is. */
export function recordsProblem(records: Uint8Array, count: number): string | null {
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (offset + RECORD_HEADER_BYTES > records.length) return `record ${i} of ${count} is missing at byte ${offset}`;
    const caplen = view.getUint32(offset + 8, true);
    if (caplen > PCAP_SNAPLEN) return `record ${i} has captured length ${caplen} > ${PCAP_SNAPLEN}`;
    offset += RECORD_HEADER_BYTES + caplen;
    if (offset > records.length) return `record ${i} ends at byte ${offset}, past the chunk's ${records.length}`;
  }
  return offset === records.length ? null : `${records.length - offset} bytes follow the ${count} records`;
}

/**
 * The records of an exported pcap (`pcapHeader` + records, as `exportPcap` writes it) whose timestamps
 * fall in `fromUs..toUs` (µs since the epoch, inclusive), with the header. Anything that is not such a
 * file is returned unchanged.
 */
export function slicePcap(pcap: Buffer, fromUs: number, toUs: number): Buffer {
  if (pcap.length < HEADER_BYTES || pcap.readUInt32LE(0) !== PCAP_MAGIC_NS) return pcap;
  const keep: Buffer[] = [pcap.subarray(0, HEADER_BYTES)];
  for (let at = HEADER_BYTES; at + RECORD_HEADER_BYTES <= pcap.length; ) {
    const end = at + RECORD_HEADER_BYTES + pcap.readUInt32LE(at + 8);
    const us = pcap.readUInt32LE(at) * 1_000_000 + Math.floor(pcap.readUInt32LE(at + 4) / 1000);
    if (us >= fromUs && us <= toUs) keep.push(pcap.subarray(at, end));
    at = end;
  }
  return Buffer.concat(keep);
}
