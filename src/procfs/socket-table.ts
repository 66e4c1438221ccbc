/**
 * Streaming byte-level parser of the kernel's socket tables (`/proc/<pid>/net/{tcp,tcp6,udp,udp6}`).
 *
 * Contract: `push()` takes any chunking of the file's bytes and never keeps a reference to the chunk
 * (a partial last line is copied); rows are emitted in file order through the callback; `end()` flushes
 * a final line without a newline. The header line is skipped. Parsing works on bytes, without a regex
 * or a split per line, because tables of tens of thousands of sockets sit on the scan's hot path.
 */
import { endianness } from 'node:os';
import { formatIpv4, formatIpv6 } from '../model/index.js';
import type { IpFamily, SocketProto } from '../model/index.js';

/** One row of a socket table, addresses already in canonical text. */
export interface SocketTableRow {
  proto: SocketProto;
  family: IpFamily;
  localIp: string;
  localPort: number;
  remoteIp: string;
  remotePort: number;
  /** Kernel state number (see tcp-states.ts). */
  state: number;
  uid: number;
  inode: number;
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const COLON = 0x3a;
const littleEndian = endianness() === 'LE';

/** Hex digit value of an ASCII byte, or -1. */
function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/** Error for a row the parser cannot read; carries the line for the message. */
export class SocketTableFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SocketTableFormatError';
  }
}

/** Parser for one table file. Create one per file read. */
export class SocketTableParser {
  private readonly proto: SocketProto;
  private readonly family: IpFamily;
  private readonly onRow: (row: SocketTableRow) => void;
  private pending: Buffer | null = null;
  private headerSkipped = false;
  private readonly ipCache = new Map<string, string>();
  private readonly addrBytes = new Uint8Array(16);
  /** Rows that could not be parsed (malformed lines are skipped, not fatal). */
  malformedRows = 0;

  constructor(proto: SocketProto, family: IpFamily, onRow: (row: SocketTableRow) => void) {
    this.proto = proto;
    this.family = family;
    this.onRow = onRow;
  }

  /** Feed the next bytes of the file. */
  push(chunk: Uint8Array): void {
    let data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.pending) {
      data = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let start = 0;
    for (;;) {
      const nl = data.indexOf(NEWLINE, start);
      if (nl < 0) break;
      this.line(data, start, nl);
      start = nl + 1;
    }
    if (start < data.length) this.pending = Buffer.from(data.subarray(start));
  }

  /** Signal end of file: parses a last line that had no newline. */
  end(): void {
    if (this.pending) {
      const rest = this.pending;
      this.pending = null;
      this.line(rest, 0, rest.length);
    }
  }

  private line(buf: Buffer, start: number, end: number): void {
    if (!this.headerSkipped) {
      this.headerSkipped = true;
      return;
    }
    if (!this.parseRow(buf, start, end)) this.malformedRows++;
  }

  /** Fields: 0 `sl:` 1 local 2 remote 3 state 4 tx:rx 5 tr:when 6 retrnsmt 7 uid 8 timeout 9 inode. */
  private parseRow(buf: Buffer, start: number, end: number): boolean {
    let i = skipSpaces(buf, start, end);
    if (i >= end) return true; // blank line
    i = skipToken(buf, i, end);
    i = skipSpaces(buf, i, end);
    const local = this.parseAddress(buf, i, end);
    if (local === null) return false;
    i = skipSpaces(buf, local.next, end);
    const remote = this.parseAddress(buf, i, end);
    if (remote === null) return false;
    i = skipSpaces(buf, remote.next, end);
    const state = (hexValue(buf[i] ?? 0) << 4) | hexValue(buf[i + 1] ?? 0);
    if (state < 0) return false;
    i = skipSpaces(buf, i + 2, end);
    for (let f = 4; f < 7; f++) i = skipSpaces(buf, skipToken(buf, i, end), end);
    const uid = parseDecimal(buf, i, end);
    if (uid.value < 0) return false;
    i = skipSpaces(buf, uid.next, end); // timeout
    i = skipSpaces(buf, skipToken(buf, i, end), end);
    const inode = parseDecimal(buf, i, end);
    if (inode.value < 0) return false;
    this.onRow({
      proto: this.proto,
      family: this.family,
      localIp: local.ip,
      localPort: local.port,
      remoteIp: remote.ip,
      remotePort: remote.port,
      state,
      uid: uid.value,
      inode: inode.value,
    });
    return true;
  }

  /** `HEX:PORT` where HEX is 8 (IPv4) or 32 (IPv6) digits of host-order 32-bit words. */
  private parseAddress(buf: Buffer, start: number, end: number): { ip: string; port: number; next: number } | null {
    const hexLength = this.family === 4 ? 8 : 32;
    if (start + hexLength + 5 > end || buf[start + hexLength] !== COLON) return null;
    const key = buf.toString('latin1', start, start + hexLength);
    let ip = this.ipCache.get(key);
    if (ip === undefined) {
      if (!this.decodeAddress(buf, start, hexLength)) return null;
      ip = this.family === 4 ? formatIpv4(this.addrBytes) : formatIpv6(this.addrBytes);
      if (this.ipCache.size < 4096) this.ipCache.set(key, ip);
    }
    let port = 0;
    let i = start + hexLength + 1;
    for (const stop = i + 4; i < stop; i++) {
      const v = hexValue(buf[i] ?? 0);
      if (v < 0) return null;
      port = (port << 4) | v;
    }
    return { ip, port, next: i };
  }

  private decodeAddress(buf: Uint8Array, start: number, hexLength: number): boolean {
    for (let word = 0; word < hexLength / 8; word++) {
      for (let b = 0; b < 4; b++) {
        const at = start + word * 8 + b * 2;
        const hi = hexValue(buf[at] ?? 0);
        const lo = hexValue(buf[at + 1] ?? 0);
        if (hi < 0 || lo < 0) return false;
        // The kernel prints each 32-bit word as a host-order integer: on little-endian hosts the text's
        // first byte pair is the word's last byte in memory.
        const index = word * 4 + (littleEndian ? 3 - b : b);
        this.addrBytes[index] = (hi << 4) | lo;
      }
    }
    return true;
  }
}

function skipSpaces(buf: Uint8Array, i: number, end: number): number {
  while (i < end && (buf[i] === SPACE || buf[i] === 0x09)) i++;
  return i;
}

function skipToken(buf: Uint8Array, i: number, end: number): number {
  while (i < end && buf[i] !== SPACE && buf[i] !== 0x09) i++;
  return i;
}

function parseDecimal(buf: Uint8Array, i: number, end: number): { value: number; next: number } {
  let value = 0;
  const begin = i;
  while (i < end) {
    const c = buf[i] ?? 0;
    if (c < 0x30 || c > 0x39) break;
    value = value * 10 + (c - 0x30);
    i++;
  }
  return { value: i === begin ? -1 : value, next: i };
}

/** Parse a whole table held in memory (tests, small files). */
export function parseSocketTable(proto: SocketProto, family: IpFamily, text: Uint8Array | string): SocketTableRow[] {
  const rows: SocketTableRow[] = [];
  const parser = new SocketTableParser(proto, family, (row) => rows.push(row));
  parser.push(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
  parser.end();
  return rows;
}
