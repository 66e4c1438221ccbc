/**
 * Public surface of the decode stage: link, IP (with defragmentation), TCP and UDP headers → packet
 * views. Imports only src/model. See packet-decoder.ts for the contract.
 */
export { PacketDecoder } from './packet-decoder.js';
export { TcpFlag } from './types.js';
export type { DecodeStats, DecodedPacket, DecoderOptions, IpHeader, TcpSegment, UdpDatagram } from './types.js';
