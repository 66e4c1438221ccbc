/**
 * Canonical address text without formatting every packet: direct-mapped caches from the raw address
 * bytes to the string `formatIpv4`/`formatIpv6` (src/model/ip.ts) produce. A slot holds the last address
 * that hashed to it, so memory is fixed and a hit returns the very same string object (cheap to hash and
 * compare downstream). Reads the bytes only during the call; keeps no reference to them.
 */
import { formatIpv4, formatIpv6 } from '../model/index.js';

const V4_BITS = 12;
const V6_BITS = 10;

/** Cache of IPv4 dotted-quad text keyed by the 32-bit address. */
export class Ipv4TextCache {
  private readonly keys = new Int32Array(1 << V4_BITS);
  private readonly texts = new Array<string>(1 << V4_BITS).fill('');

  /** Text of the 4 bytes at `b[o]`; the caller guarantees they exist. */
  text(b: Uint8Array, o: number): string {
    const k = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
    const h = Math.imul(k, 0x9e3779b1) >>> (32 - V4_BITS);
    const t = this.texts[h]!;
    if (t !== '' && this.keys[h] === k) return t;
    const s = formatIpv4(b, o);
    this.keys[h] = k;
    this.texts[h] = s;
    return s;
  }
}

/** Cache of RFC 5952 IPv6 text keyed by the 128-bit address. */
export class Ipv6TextCache {
  private readonly keys = new Int32Array(4 << V6_BITS);
  private readonly texts = new Array<string>(1 << V6_BITS).fill('');

  /** Text of the 16 bytes at `b[o]`; the caller guarantees they exist. */
  text(b: Uint8Array, o: number): string {
    const w0 = word(b, o);
    const w1 = word(b, o + 4);
    const w2 = word(b, o + 8);
    const w3 = word(b, o + 12);
    const h = Math.imul(w0 ^ Math.imul(w1, 31) ^ Math.imul(w2, 961) ^ Math.imul(w3, 29791), 0x9e3779b1) >>> (32 - V6_BITS);
    const t = this.texts[h]!;
    const k = h << 2;
    const keys = this.keys;
    if (t !== '' && keys[k] === w0 && keys[k + 1] === w1 && keys[k + 2] === w2 && keys[k + 3] === w3) return t;
    const s = formatIpv6(b.subarray(o, o + 16));
    keys[k] = w0;
    keys[k + 1] = w1;
    keys[k + 2] = w2;
    keys[k + 3] = w3;
    this.texts[h] = s;
    return s;
  }
}

function word(b: Uint8Array, o: number): number {
  return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
}
