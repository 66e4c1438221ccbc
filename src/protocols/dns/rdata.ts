/**
 * Record data in presentation form (RFC 1035 §5.1 and the type's RFC): `93.184.216.34`,
 * `10 mail.example.`, `"v=spf1 -all"`, `0 5 5060 sip.example.`, ... Domain names end with a dot.
 * Types without a specific form use the RFC 3597 generic form `\# <length> <hex>`. Never throws: a
 * record whose data does not decode falls back to the generic form.
 */
import { decodeRecord, type LibRecord } from './lib.js';
import { optionName, typeName } from './names.js';
import type { WireRecord } from './wire.js';

/** Presentation text of `r`'s data inside message `buf`. */
export function presentData(buf: Buffer, r: WireRecord): string {
  const rd = buf.subarray(r.rdStart, r.rdEnd);
  try {
    return ownForm(rd, r) ?? libForm(buf, r) ?? generic(rd);
  } catch {
    return generic(rd);
  }
}

/** Forms read straight from the RDATA bytes. */
function ownForm(rd: Buffer, r: WireRecord): string | null {
  switch (r.type) {
    case 16: // TXT
    case 99: // SPF
      return characterStrings(rd, 0).join(' ');
    case 13: // HINFO
      return characterStrings(rd, 0).join(' ');
    case 257: // CAA
      return caa(rd);
    case 43: // DS
    case 59: // CDS
      return `${rd.readUInt16BE(0)} ${rd[2]!} ${rd[3]!} ${hex(rd.subarray(4))}`;
    case 48: // DNSKEY
    case 60: // CDNSKEY
      return `${rd.readUInt16BE(0)} ${rd[2]!} ${rd[3]!} ${rd.subarray(4).toString('base64')}`;
    case 44: // SSHFP
      return `${rd[0]!} ${rd[1]!} ${hex(rd.subarray(2))}`;
    case 52: // TLSA
    case 53: // SMIMEA
      return `${rd[0]!} ${rd[1]!} ${rd[2]!} ${hex(rd.subarray(3))}`;
    case 41: // OPT
      return opt(rd, r);
    default:
      return null;
  }
}

/** Forms that need names (possibly compressed against the whole message): via dns-packet. */
function libForm(buf: Buffer, r: WireRecord): string | null {
  if (!LIB_TYPES.has(r.type)) return null;
  const a = decodeRecord(buf, r.start);
  const d = (a.data ?? {}) as LibRecord;
  switch (r.type) {
    case 1:
    case 28:
      return String(a.data);
    case 2:
    case 5:
    case 12:
    case 39:
      return fqdn(String(a.data));
    case 15:
      return `${num(d.preference)} ${fqdn(String(d.exchange))}`;
    case 33:
      return `${num(d.priority)} ${num(d.weight)} ${num(d.port)} ${fqdn(String(d.target))}`;
    case 6:
      return `${fqdn(String(d.mname))} ${fqdn(String(d.rname))} ${num(d.serial)} ${num(d.refresh)} ${num(d.retry)} ${num(d.expire)} ${num(d.minimum)}`;
    case 17:
      return `${fqdn(String(d.mbox))} ${fqdn(String(d.txt))}`;
    case 35:
      return `${num(d.order)} ${num(d.preference)} ${quote(String(d.flags))} ${quote(String(d.services))} ${quote(String(d.regexp))} ${fqdn(String(d.replacement))}`;
    case 46:
      return rrsig(d);
    case 47:
      return [fqdn(String(d.nextDomain)), ...libTypes(d.rrtypes)].join(' ');
    case 50:
      return nsec3(d);
    default:
      return null;
  }
}

const LIB_TYPES = new Set([1, 2, 5, 6, 12, 15, 17, 28, 33, 35, 39, 46, 47, 50]);

function rrsig(d: LibRecord): string {
  const sig = d.signature as Buffer;
  return [libType(d.typeCovered), d.algorithm, d.labels, d.originalTTL, time(num(d.expiration)), time(num(d.inception)), d.keyTag, fqdn(String(d.signersName)), sig.toString('base64')].join(' ');
}

function nsec3(d: LibRecord): string {
  const salt = d.salt as Buffer;
  return [d.algorithm, d.flags, d.iterations, salt.length ? hex(salt) : '-', base32hex(d.nextDomain as Buffer), ...libTypes(d.rrtypes)].join(' ');
}

/** EDNS pseudo-record: the UDP payload size is in CLASS, extended rcode/version/flags in TTL. */
function opt(rd: Buffer, r: WireRecord): string {
  const parts = [`udp=${r.klass}`, `version=${(r.ttl >>> 16) & 0xff}`, `flags=${r.ttl & 0x8000 ? 'do' : '-'}`];
  const ext = r.ttl >>> 24;
  if (ext) parts.push(`ext-rcode=${ext}`);
  const options: string[] = [];
  for (let at = 0; at + 4 <= rd.length; ) {
    const code = rd.readUInt16BE(at);
    const len = rd.readUInt16BE(at + 2);
    options.push(len ? `${optionName(code)}:${hex(rd.subarray(at + 4, at + 4 + len))}` : optionName(code));
    at += 4 + len;
  }
  if (options.length) parts.push(`options=${options.join(',')}`);
  return parts.join(' ');
}

function caa(rd: Buffer): string {
  const tagLen = rd[1]!;
  const tag = rd.toString('latin1', 2, 2 + tagLen);
  return `${rd[0]!} ${tag} ${quoteBytes(rd.subarray(2 + tagLen))}`;
}

/** `<character-string>`s from `at` to the end, quoted. */
function characterStrings(rd: Buffer, at: number): string[] {
  const out: string[] = [];
  while (at < rd.length) {
    const len = rd[at]!;
    if (at + 1 + len > rd.length) throw new RangeError('character-string past the end');
    out.push(quoteBytes(rd.subarray(at + 1, at + 1 + len)));
    at += 1 + len;
  }
  return out;
}

/** A quoted character-string: `"` and `\` escaped, non-printable bytes as `\DDD`. */
function quoteBytes(b: Uint8Array): string {
  let s = '"';
  for (const c of b) {
    if (c === 0x22 || c === 0x5c) s += `\\${String.fromCharCode(c)}`;
    else if (c < 0x20 || c > 0x7e) s += `\\${String(c).padStart(3, '0')}`;
    else s += String.fromCharCode(c);
  }
  return `${s}"`;
}

function quote(s: string): string {
  return quoteBytes(Buffer.from(s, 'utf8'));
}

/** RFC 3597 generic form. */
function generic(rd: Buffer): string {
  return rd.length ? `\\# ${rd.length} ${hex(rd)}` : '\\# 0';
}

function fqdn(name: string): string {
  return name === '.' || name.endsWith('.') ? name : `${name}.`;
}

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex').toUpperCase();
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** RRSIG times: YYYYMMDDHHmmSS (UTC). */
function time(sec: number): string {
  return new Date(sec * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

const B32HEX = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

/** Base32hex without padding (RFC 4648 §7), as NSEC3 presents hashed owner names. */
function base32hex(b: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of b) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32HEX[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32HEX[(value << (5 - bits)) & 31];
  return out;
}

/** dns-packet names unknown types `UNKNOWN_<n>`; present them as ours (`HTTPS`, `TYPE<n>`). */
function libType(t: unknown): string {
  const s = String(t);
  const m = /^UNKNOWN_(\d+)$/.exec(s);
  return m ? typeName(Number(m[1])) : s;
}

function libTypes(list: unknown): string[] {
  return Array.isArray(list) ? list.map(libType) : [];
}
