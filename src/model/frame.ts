/**
 * A captured frame: what `capture` yields and `decode` consumes. The frame owns `data` — capture copies
 * out of any ring or file buffer before yielding, so a frame stays valid after the next one is read.
 */
import type { Timestamp } from './time.js';

/** Link-layer header types (tcpdump.org LINKTYPE_* values) podsniff decodes. */
export const LinkType = {
  /** BSD loopback: 4-byte address family in host byte order. */
  NULL: 0,
  ETHERNET: 1,
  /** Raw IP (LINKTYPE_RAW; DLT_RAW is 12 or 14 on some systems and is mapped to this). */
  RAW: 101,
  /** OpenBSD loopback: 4-byte address family in network byte order. */
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export type LinkTypeValue = number;

/** One captured frame. */
export interface Frame {
  /** Capture time. */
  readonly ts: Timestamp;
  /** LINKTYPE_* of the interface the frame came from. */
  readonly linkType: LinkTypeValue;
  /** The captured bytes (possibly fewer than `origLen` when a snap length cut them). */
  readonly data: Uint8Array;
  /** Length of the frame on the wire. */
  readonly origLen: number;
  /** Index of the capture interface (pcapng IDB index; 0 for pcap and single-interface live capture). */
  readonly interfaceId: number;
}
