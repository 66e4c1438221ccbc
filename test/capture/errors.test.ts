import { describe, expect, it } from 'vitest';
import { CaptureFileError } from '../../src/capture/index.js';
import { corrupt, notACaptureFile, truncated } from '../../src/capture/errors.js';
import { PodsniffError } from '../../src/model/index.js';

describe('CaptureFileError', () => {
  it('is a PodsniffError with a stable code, the offset, and a message saying where and what to do', () => {
    const err = corrupt(1234, 'pcap record captured length 300000 exceeds 262144');
    expect(err).toBeInstanceOf(PodsniffError);
    expect(err).toMatchObject({ code: 'E_CAPTURE_FORMAT', offset: 1234, name: 'CaptureFileError' });
    expect(err.message).toBe(
      'byte offset 1234: capture file is corrupt: pcap record captured length 300000 exceeds 262144; the frames before it were read; ' +
        'the file is damaged from there on: keep the intact part with `head -c 1234 <file> > fixed.pcap`, or capture again',
    );
    expect(err.toLine()).toBe(err.message);
  });

  it('withPath names the file in the message and the advice, and keeps the original as cause', () => {
    const err = truncated(100, 17, 19, 'a pcap record').withPath('/data/trace.pcap');
    expect(err).toMatchObject({ code: 'E_CAPTURE_TRUNCATED', offset: 100, path: '/data/trace.pcap' });
    expect(err.message).toMatch(/^\/data\/trace\.pcap: byte offset 100: capture file ends inside a pcap record \(19 bytes needed from there, 17 present\)/);
    expect(err.message).toContain('head -c 100 /data/trace.pcap > fixed.pcap');
    expect(err.cause).toBeInstanceOf(CaptureFileError);
  });

  it('not a capture file: offset 0, the first bytes, and how to get a capture', () => {
    const err = notACaptureFile(new TextEncoder().encode('<html>'));
    expect(err.message).toBe(
      'byte offset 0: not a pcap or pcapng file (it starts with bytes 3c 68 74 6d); give a capture written by tcpdump -w or dumpcap -w, or convert one with `editcap -F pcap <in> <out>`',
    );
  });
});
