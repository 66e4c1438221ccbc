/** The worker leaves its own API traffic out of the capture unless asked, and keeps the user's filter. */
import { describe, expect, it } from 'vitest';
import { captureFilter } from '../../src/worker/worker.js';

describe('captureFilter', () => {
  it("excludes the worker's own port by default", () => {
    expect(captureFilter({ port: 48999 })).toBe('not tcp port 48999');
    expect(captureFilter({ port: 48999, bpf: 'udp port 53 or tcp' })).toBe('(udp port 53 or tcp) and not tcp port 48999');
    expect(captureFilter({ port: 48999, bpf: '   ' })).toBe('not tcp port 48999');
  });

  it('keeps the filter as given with captureSelf', () => {
    expect(captureFilter({ port: 48999, captureSelf: true })).toBeUndefined();
    expect(captureFilter({ port: 48999, captureSelf: true, bpf: 'tcp' })).toBe('tcp');
  });
});
