import { describe, expect, it } from 'vitest';
import { randomInt, seededRandom } from '../support/seed.js';
import { canonicalIp, formatIpv6, isLoopbackIp, isNamespaceLocalIp, isUnspecifiedIp, parseHostPort, parseIpv6 } from '../../src/model/index.js';

describe('canonical IP text', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['FD00:0244:0000:0000:0000:0000:0000:0002', 'fd00:244::2'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
    ['::', '::'],
    ['[fe80::1]', 'fe80::1'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
  });

  it.each(['1.2.3', '256.1.1.1', 'fe80:::1', '1:2:3:4:5:6:7:8:9', 'hello', ''])('rejects %s', (input) => {
    expect(canonicalIp(input)).toBeNull();
  });

  it('round-trips any 16 bytes', () => {
    const random = seededRandom('ip-round-trip');
    for (let i = 0; i < 500; i++) {
      const bytes = Array.from({ length: 16 }, () => (random() < 0.5 ? 0 : randomInt(random, 0, 255)));
      expect(parseIpv6(formatIpv6(bytes))).toEqual(bytes);
    }
  });

  it('parses host:port pairs', () => {
    expect(parseHostPort('10.0.0.1:80')).toEqual({ ip: '10.0.0.1', port: 80 });
    expect(parseHostPort('[::1]:8080')).toEqual({ ip: '::1', port: 8080 });
    expect(parseHostPort('10.0.0.1:99999')).toBeNull();
    expect(parseHostPort('nope')).toBeNull();
  });
});

describe('namespace-local addresses', () => {
  it('knows loopback and unspecified addresses, IPv4-mapped ones too', () => {
    for (const ip of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) expect(isLoopbackIp(ip)).toBe(true);
    for (const ip of ['10.244.0.2', 'fd00::1', '::ffff:10.0.0.1', '0.0.0.0']) expect(isLoopbackIp(ip)).toBe(false);
    for (const ip of ['0.0.0.0', '::', '::ffff:0.0.0.0', '127.0.0.1']) expect(isNamespaceLocalIp(ip)).toBe(true);
    expect(isNamespaceLocalIp('10.244.0.2')).toBe(false);
    expect(isUnspecifiedIp('::')).toBe(true);
    expect(isUnspecifiedIp('10.0.0.0')).toBe(false);
  });
});
