/**
 * Captured packets of one connection, kept for pcap export: what the worker hands the store. `records`
 * are consecutive classic-pcap records with nanosecond timestamps (16-byte little-endian header: sec,
 * nsec, caplen, origlen; then the bytes), all of link type `linkType`. The chunk owns its bytes.
 */
export interface PacketChunk {
  readonly connectionId: string;
  readonly linkType: number;
  readonly count: number;
  readonly firstTsMs: number;
  readonly lastTsMs: number;
  readonly records: Uint8Array;
}
