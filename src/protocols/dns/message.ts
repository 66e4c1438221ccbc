/**
 * DNS messages as the dissector emits them: one decoded wire message → a `DnsMessage` with the model's
 * detail (mnemonics, flags, presentation-form records). Contract: never throws; a message that does not
 * decode is returned as a `DnsError`. `pairKey` is the DNS id; QR=0 is a request, QR=1 a response.
 */
import type { Anomaly, Direction, DnsMessageDetail, DnsQuestion, DnsRecord, Timestamp } from '../../model/index.js';
import type { DnsMessage } from '../types.js';
import { DnsError } from './errors.js';
import { className, opcodeName, rcodeName, typeName } from './names.js';
import { presentData } from './rdata.js';
import { decodeWire, type WireMessage, type WireRecord } from './wire.js';

const NONE: readonly never[] = Object.freeze([]);

const FLAG_BITS: readonly (readonly [string, number])[] = [
  ['qr', 0x8000],
  ['aa', 0x0400],
  ['tc', 0x0200],
  ['rd', 0x0100],
  ['ra', 0x0080],
  ['ad', 0x0020],
  ['cd', 0x0010],
];

/** Decodes `payload` (one DNS message) into a dissector message, or the error that prevented it. */
export function dnsMessage(dir: Direction, payload: Buffer, size: number, startTs: Timestamp, endTs: Timestamp): DnsMessage | DnsError {
  let wire: WireMessage;
  try {
    wire = decodeWire(payload);
  } catch (err) {
    if (err instanceof DnsError) return err;
    return new DnsError('DNS_MALFORMED', (err as Error).message);
  }
  const anomalies: Anomaly[] = [];
  if (wire.end < payload.length) anomalies.push({ code: 'protocol-violation', detail: `${payload.length - wire.end} bytes after the DNS message` });
  const detail = toDetail(payload, wire);
  return {
    protocol: 'dns',
    kind: wire.header.flags & 0x8000 ? 'response' : 'request',
    dir,
    pairKey: String(detail.id),
    startTs,
    endTs,
    size,
    anomalies: anomalies.length ? anomalies : NONE,
    detail,
  };
}

function toDetail(buf: Buffer, w: WireMessage): DnsMessageDetail {
  const flags = w.header.flags;
  const opt = w.additionals.find((r) => r.type === 41);
  const rcode = (opt ? (opt.ttl >>> 24) << 4 : 0) | (flags & 0xf);
  return {
    id: w.header.id,
    opcode: opcodeName((flags >> 11) & 0xf),
    rcode: rcodeName(rcode),
    flags: FLAG_BITS.filter(([, bit]) => flags & bit).map(([name]) => name),
    questions: w.questions.map((q): DnsQuestion => ({ name: q.name, type: typeName(q.type), class: className(q.klass) })),
    answers: w.answers.map((r) => record(buf, r)),
    authorities: w.authorities.map((r) => record(buf, r)),
    additionals: w.additionals.map((r) => record(buf, r)),
  };
}

function record(buf: Buffer, r: WireRecord): DnsRecord {
  // OPT reuses CLASS for the UDP payload size: present it as the number it is.
  const klass = r.type === 41 ? `CLASS${r.klass}` : className(r.klass);
  return { name: r.name, type: typeName(r.type), class: klass, ttl: r.ttl, data: presentData(buf, r) };
}
