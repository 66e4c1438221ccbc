/**
 * The DNS message structure (RFC 1035 §4): header, questions and the three record sections. Records are
 * delimited by their RDLENGTH here, so one record a type decoder misreads cannot shift the next.
 * Names are decoded with dns-packet. Throws `DnsError` on malformed input; never loops unbounded.
 */
import { DnsError } from './errors.js';
import { decodeName } from './lib.js';

export const HEADER_BYTES = 12;

/** The fixed 12-byte header. */
export interface WireHeader {
  readonly id: number;
  readonly flags: number;
  readonly qdcount: number;
  readonly ancount: number;
  readonly nscount: number;
  readonly arcount: number;
}

/** A question entry. */
export interface WireQuestion {
  readonly name: string;
  readonly type: number;
  readonly klass: number;
}

/** A resource record located in the message (data decoded on demand). */
export interface WireRecord {
  readonly name: string;
  readonly type: number;
  readonly klass: number;
  /** The raw 32-bit TTL field (for OPT it carries the extended rcode, version and flags). */
  readonly ttl: number;
  /** Offset of the record's first byte (its name), for dns-packet's record decoder. */
  readonly start: number;
  readonly rdStart: number;
  readonly rdEnd: number;
}

/** A message located section by section. */
export interface WireMessage {
  readonly header: WireHeader;
  readonly questions: WireQuestion[];
  readonly answers: WireRecord[];
  readonly authorities: WireRecord[];
  readonly additionals: WireRecord[];
  /** Bytes the message occupies (trailing bytes beyond it are not part of it). */
  readonly end: number;
}

export function readHeader(b: Uint8Array): WireHeader {
  return {
    id: u16(b, 0),
    flags: u16(b, 2),
    qdcount: u16(b, 4),
    ancount: u16(b, 6),
    nscount: u16(b, 8),
    arcount: u16(b, 10),
  };
}

export function decodeWire(buf: Buffer): WireMessage {
  if (buf.length < HEADER_BYTES) throw new DnsError('DNS_SHORT', `${buf.length} bytes, a header needs ${HEADER_BYTES}`);
  const header = readHeader(buf);
  const cursor = { at: HEADER_BYTES };
  const questions: WireQuestion[] = [];
  for (let i = 0; i < header.qdcount; i++) questions.push(readQuestion(buf, cursor));
  const answers = readRecords(buf, cursor, header.ancount);
  const authorities = readRecords(buf, cursor, header.nscount);
  const additionals = readRecords(buf, cursor, header.arcount);
  return { header, questions, answers, authorities, additionals, end: cursor.at };
}

function readQuestion(buf: Buffer, cursor: { at: number }): WireQuestion {
  const name = readName(buf, cursor);
  need(buf, cursor.at, 4, 'question');
  const q = { name, type: u16(buf, cursor.at), klass: u16(buf, cursor.at + 2) };
  cursor.at += 4;
  return q;
}

function readRecords(buf: Buffer, cursor: { at: number }, count: number): WireRecord[] {
  // Each record takes at least 11 bytes: refuse impossible counts before looping.
  if (count * 11 > buf.length - cursor.at) throw new DnsError('DNS_MALFORMED', `${count} records cannot fit in ${buf.length - cursor.at} bytes`);
  const out: WireRecord[] = [];
  for (let i = 0; i < count; i++) {
    const start = cursor.at;
    const name = readName(buf, cursor);
    need(buf, cursor.at, 10, 'record');
    const at = cursor.at;
    const rdStart = at + 10;
    const rdEnd = rdStart + u16(buf, at + 8);
    need(buf, rdStart, rdEnd - rdStart, 'record data');
    out.push({ name, type: u16(buf, at), klass: u16(buf, at + 2), ttl: buf.readUInt32BE(at + 4), start, rdStart, rdEnd });
    cursor.at = rdEnd;
  }
  return out;
}

function readName(buf: Buffer, cursor: { at: number }): string {
  try {
    const { name, bytes } = decodeName(buf, cursor.at);
    cursor.at += bytes;
    return name;
  } catch (err) {
    throw new DnsError('DNS_MALFORMED', `bad name at offset ${cursor.at}: ${(err as Error).message}`);
  }
}

function need(buf: Buffer, at: number, n: number, what: string): void {
  if (at + n > buf.length) throw new DnsError('DNS_MALFORMED', `${what} at offset ${at} runs past the end (${buf.length} bytes)`);
}

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}
