/**
 * Link-layer headers: where the IP header starts in a frame. Pure functions over the frame bytes; they
 * read, never keep or modify them. The result is an offset (>= 0) or one of the negative `Link*` codes.
 */
import { LinkType } from '../model/index.js';

/** The frame ended inside the link header. */
export const LINK_SHORT = -1;
/** The link header carries something other than IPv4/IPv6. */
export const LINK_NON_IP = -2;
/** The link type is not one the decoder knows. */
export const LINK_UNSUPPORTED = -3;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD = 0x9100;

/** Offset of the IP header in `b` for link type `linkType`, or a negative `LINK_*` code. */
export function ipOffset(linkType: number, b: Uint8Array): number {
  switch (linkType) {
    case LinkType.ETHERNET:
      return b.length < 14 ? LINK_SHORT : afterEthertype(b, 12);
    case LinkType.LINUX_SLL:
      return b.length < 16 ? LINK_SHORT : afterEthertype(b, 14);
    case LinkType.LINUX_SLL2:
      return b.length < 20 ? LINK_SHORT : ethertypeAt(b, 0, 20);
    case LinkType.RAW:
    case LinkType.IPV4:
    case LinkType.IPV6:
    case 12:
    case 14:
      return 0;
    case LinkType.NULL:
      return b.length < 4 ? LINK_SHORT : afterFamily(hostOrderFamily(b));
    case LinkType.LOOP:
      return b.length < 4 ? LINK_SHORT : afterFamily(((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0);
    default:
      return LINK_UNSUPPORTED;
  }
}

/**
 * Reads the ethertype at `at` (the header's last two bytes), skipping any number of 802.1Q / 802.1ad
 * tags (4 bytes each), and returns the offset after it when it is IP.
 */
function afterEthertype(b: Uint8Array, at: number): number {
  let type = (b[at]! << 8) | b[at + 1]!;
  while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
    at += 4;
    if (b.length < at + 2) return LINK_SHORT;
    type = (b[at]! << 8) | b[at + 1]!;
  }
  return type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6 ? at + 2 : LINK_NON_IP;
}

/** SLL2: the protocol comes first and the header has a fixed length. */
function ethertypeAt(b: Uint8Array, at: number, headerLength: number): number {
  const type = (b[at]! << 8) | b[at + 1]!;
  if (type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6) return headerLength;
  if (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
    // A tag left in the payload: its inner ethertype is 2 bytes into it.
    return b.length < headerLength + 4 ? LINK_SHORT : afterEthertype(b, headerLength + 2);
  }
  return LINK_NON_IP;
}

/** BSD NULL: the family is in the capturing host's byte order, which the file does not say. */
function hostOrderFamily(b: Uint8Array): number {
  // Families are small numbers, so exactly one byte order gives a value below 256.
  if (b[1] === 0 && b[2] === 0 && b[3] === 0) return b[0]!;
  if (b[0] === 0 && b[1] === 0 && b[2] === 0) return b[3]!;
  return -1;
}

function afterFamily(af: number): number {
  // 2: AF_INET; 24, 28, 30: AF_INET6 on NetBSD/OpenBSD, FreeBSD, Darwin.
  return af === 2 || af === 24 || af === 28 || af === 30 ? 4 : LINK_NON_IP;
}
