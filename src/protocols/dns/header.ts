/**
 * Plausibility of a DNS header, for detection and for finding a message start in a TCP stream after
 * lost framing. Strict enough that random bytes rarely pass (opcode QUERY/NOTIFY/UPDATE, 1..8
 * questions, Z bit clear, rcode ≤ 10 and none in queries, counts that fit the length).
 */
import { HEADER_BYTES, readHeader } from './wire.js';

/**
 * Whether the 12 header bytes at the start of `b` could begin a DNS message of `length` bytes. With
 * `noQuestionOk` (a DNS port is involved) a message without questions but with records also passes:
 * mDNS announcements and some error responses look like that.
 */
export function plausibleHeader(b: Uint8Array, length: number, noQuestionOk = false): boolean {
  if (length < HEADER_BYTES || b.length < HEADER_BYTES) return false;
  const h = readHeader(b);
  const qr = h.flags >> 15;
  const opcode = (h.flags >> 11) & 0xf;
  const z = (h.flags >> 6) & 1;
  const rcode = h.flags & 0xf;
  if (opcode !== 0 && opcode !== 4 && opcode !== 5) return false;
  if (z !== 0 || rcode > 10 || (qr === 0 && rcode !== 0)) return false;
  const records = h.ancount + h.nscount + h.arcount;
  if (h.qdcount > 8 || (h.qdcount < 1 && !(noQuestionOk && records > 0))) return false;
  // A question takes at least 5 bytes (root name, type, class), a record at least 11.
  return HEADER_BYTES + h.qdcount * 5 + records * 11 <= length;
}
