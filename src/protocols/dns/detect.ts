/**
 * DNS detection by content (the router offers DNS on any port): a plausible header, then a full decode
 * that consumes exactly the message with known question types and classes. The port is only a hint:
 * on 53/5353 a message without questions (mDNS announcements) may match too. Over TCP the first
 * 2-byte length prefix frames the message; `need-more` until it is complete.
 */
import type { ConnectionInfo } from '../../model/index.js';
import type { Detection, DetectInput } from '../types.js';
import { plausibleHeader } from './header.js';
import { isKnownClass } from './names.js';
import { DNS_PORTS } from './spec.js';
import { decodeWire } from './wire.js';

/** A DNS port on either side relaxes the question-count rule. */
function portHinted(conn: ConnectionInfo): boolean {
  return DNS_PORTS.includes(conn.a.port) || DNS_PORTS.includes(conn.b.port);
}

/** One UDP datagram. */
export function detectDnsUdp(input: DetectInput): Detection {
  return looksLikeDns(asBuffer(input.bytes), portHinted(input.conn)) ? 'match' : 'no-match';
}

/** The first bytes of a TCP direction. */
export function detectDnsTcp(input: DetectInput): Detection {
  const b = asBuffer(input.bytes);
  if (b.length < 2) return 'need-more';
  const len = (b[0]! << 8) | b[1]!;
  if (len < 12) return 'no-match';
  if (b.length < 14) return 'need-more';
  const hinted = portHinted(input.conn);
  if (!plausibleHeader(b.subarray(2, 14), len, hinted)) return 'no-match';
  if (b.length < 2 + len) return 'need-more';
  return looksLikeDns(b.subarray(2, 2 + len), hinted) ? 'match' : 'no-match';
}

/** A whole message that decodes exactly, with sensible questions. */
export function looksLikeDns(msg: Buffer, noQuestionOk = false): boolean {
  if (!plausibleHeader(msg, msg.length, noQuestionOk)) return false;
  try {
    const w = decodeWire(msg);
    return w.end === msg.length && w.questions.every((q) => q.type !== 0 && isKnownClass(q.klass));
  } catch {
    return false;
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
