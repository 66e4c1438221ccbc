/** Link-layer type numbers: DLT_* values (libpcap, old files) to LINKTYPE_* values (model `LinkType`). */
import { LinkType, type LinkTypeValue } from '../model/index.js';

/** DLT_RAW is 12 on most systems and 14 on OpenBSD; files and libpcap may carry either. */
const DLT_RAW_VALUES = new Set([12, 14]);

/** Maps a link type read from a file header or libpcap to a LINKTYPE_* value. */
export function toLinkType(value: number): LinkTypeValue {
  return DLT_RAW_VALUES.has(value) ? LinkType.RAW : value;
}

/** Names node-pcap 3.1 returns for a live session's link type. */
const BINDING_NAMES: Record<string, LinkTypeValue> = {
  LINKTYPE_NULL: LinkType.NULL,
  LINKTYPE_ETHERNET: LinkType.ETHERNET,
  LINKTYPE_IEEE802_11_RADIO: 127,
  LINKTYPE_RAW: LinkType.RAW,
  LINKTYPE_LINUX_SLL: LinkType.LINUX_SLL,
};

/**
 * Maps node-pcap's link type string ("LINKTYPE_ETHERNET", or "Unknown linktype 276" for the rest) to a
 * LINKTYPE_* value; undefined when it is neither.
 */
export function linkTypeFromBindingName(name: string): LinkTypeValue | undefined {
  const known = BINDING_NAMES[name];
  if (known !== undefined) return known;
  const m = /^Unknown linktype (\d+)$/.exec(name);
  return m ? toLinkType(Number(m[1])) : undefined;
}
