import { describe, expect, it } from 'vitest';
import { linkTypeFromBindingName, toLinkType } from '../../src/capture/link-type.js';
import { LinkType } from '../../src/model/index.js';

describe('link types', () => {
  it('maps DLT_RAW (12, 14) to LINKTYPE_RAW and keeps the rest', () => {
    expect([12, 14, 101, 1, 113, 276].map(toLinkType)).toEqual([101, 101, 101, 1, 113, 276]);
  });

  it("maps node-pcap's names and 'Unknown linktype N'", () => {
    expect(linkTypeFromBindingName('LINKTYPE_ETHERNET')).toBe(LinkType.ETHERNET);
    expect(linkTypeFromBindingName('LINKTYPE_LINUX_SLL')).toBe(LinkType.LINUX_SLL);
    expect(linkTypeFromBindingName('LINKTYPE_RAW')).toBe(LinkType.RAW);
    expect(linkTypeFromBindingName('LINKTYPE_NULL')).toBe(LinkType.NULL);
    expect(linkTypeFromBindingName('Unknown linktype 276')).toBe(LinkType.LINUX_SLL2);
    expect(linkTypeFromBindingName('Unknown linktype 12')).toBe(LinkType.RAW);
    expect(linkTypeFromBindingName('something else')).toBeUndefined();
  });
});
