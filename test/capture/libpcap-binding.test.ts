import { describe, expect, it } from 'vitest';
import { checkFilter, expectedLinkType, loadPcapBinding, UNAVAILABLE_HINT } from '../../src/capture/libpcap-binding.js';
import { LinkType, PodsniffError } from '../../src/model/index.js';

describe('libpcap binding', () => {
  it('loads the pcap binding (libpcap version string)', () => {
    expect(loadPcapBinding().lib_version()).toMatch(/libpcap version/);
  });

  it('a missing binding is E_CAPTURE_UNAVAILABLE with the install hint', () => {
    let err: unknown;
    try {
      loadPcapBinding('podsniff-no-such-pcap-module');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PodsniffError);
    expect(err).toMatchObject({ code: 'E_CAPTURE_UNAVAILABLE', hint: UNAVAILABLE_HINT });
    expect(UNAVAILABLE_HINT).toBe('install libpcap-dev (bash scripts/system-deps.sh) and run npm rebuild pcap');
  });

  it('expects Ethernet on lo, cooked capture on any, and Ethernet for an unknown device', async () => {
    expect(await expectedLinkType('lo')).toBe(LinkType.ETHERNET);
    expect(await expectedLinkType('any')).toBe(LinkType.LINUX_SLL);
    expect(await expectedLinkType('psnodev0')).toBe(LinkType.ETHERNET);
    expect(await expectedLinkType('../etc')).toBe(LinkType.LINUX_SLL);
  });

  it('checks filters against the link type without a device', async () => {
    const binding = loadPcapBinding();
    await expect(checkFilter(binding, 'tcp port 80 or udp', LinkType.ETHERNET)).resolves.toBeUndefined();
    await expect(checkFilter(binding, 'ether host 1:2:3:4:5:6', LinkType.RAW)).rejects.toMatchObject({ code: 'E_BAD_FILTER' });
    await expect(checkFilter(binding, 'tcp port (', LinkType.ETHERNET)).rejects.toThrow(/bad capture filter "tcp port \(": .*syntax error/);
  });
});
