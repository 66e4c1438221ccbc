/**
 * Builds pcapng files block by block, in either byte order, for parser tests. Records each block's
 * start offset (`offsets`) so tests can predict where damage is reported.
 */
export interface IdbOptions {
  snaplen?: number;
  /** Raw if_tsresol byte (option 9). */
  tsresol?: number;
  /** if_tsoffset in seconds (option 14). */
  tsoffset?: bigint;
}

export class PcapngBuilder {
  readonly offsets: number[] = [];
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  private le: boolean;

  constructor(littleEndian = true) {
    this.le = littleEndian;
  }

  /** A section header block; `littleEndian` switches the byte order from here on. */
  shb(littleEndian = this.le, version: [number, number] = [1, 0]): this {
    this.le = littleEndian;
    const body = new DataView(new ArrayBuffer(16));
    body.setUint32(0, 0x1a2b3c4d, this.le);
    body.setUint16(4, version[0], this.le);
    body.setUint16(6, version[1], this.le);
    body.setBigInt64(8, -1n, this.le);
    return this.block(0x0a0d0d0a, new Uint8Array(body.buffer));
  }

  idb(linkType: number, o: IdbOptions = {}): this {
    const opts: Uint8Array[] = [];
    if (o.tsresol !== undefined) opts.push(this.option(9, Uint8Array.of(o.tsresol)));
    if (o.tsoffset !== undefined) {
      const v = new DataView(new ArrayBuffer(8));
      v.setBigInt64(0, o.tsoffset, this.le);
      opts.push(this.option(14, new Uint8Array(v.buffer)));
    }
    if (opts.length) opts.push(this.option(0, new Uint8Array(0)));
    const head = new DataView(new ArrayBuffer(8));
    head.setUint16(0, linkType, this.le);
    head.setUint32(4, o.snaplen ?? 0, this.le);
    return this.block(1, concat([new Uint8Array(head.buffer), ...opts]));
  }

  /** Enhanced packet block; `units` is the 64-bit timestamp in the interface's units. */
  epb(iface: number, units: bigint, data: Uint8Array, origLen = data.length): this {
    const head = new DataView(new ArrayBuffer(20));
    head.setUint32(0, iface, this.le);
    head.setUint32(4, Number(units >> 32n), this.le);
    head.setUint32(8, Number(units & 0xffffffffn), this.le);
    head.setUint32(12, data.length, this.le);
    head.setUint32(16, origLen, this.le);
    return this.block(6, concat([new Uint8Array(head.buffer), pad(data)]));
  }

  /** Obsolete packet block (type 2). */
  pb(iface: number, units: bigint, data: Uint8Array, origLen = data.length): this {
    const head = new DataView(new ArrayBuffer(20));
    head.setUint16(0, iface, this.le);
    head.setUint32(4, Number(units >> 32n), this.le);
    head.setUint32(8, Number(units & 0xffffffffn), this.le);
    head.setUint32(12, data.length, this.le);
    head.setUint32(16, origLen, this.le);
    return this.block(2, concat([new Uint8Array(head.buffer), pad(data)]));
  }

  /** Simple packet block: original length and data. */
  spb(data: Uint8Array, origLen = data.length): this {
    const head = new DataView(new ArrayBuffer(4));
    head.setUint32(0, origLen, this.le);
    return this.block(3, concat([new Uint8Array(head.buffer), pad(data)]));
  }

  /** Any block, with the body padded to 4 bytes. */
  block(type: number, body: Uint8Array): this {
    const padded = pad(body);
    const len = 12 + padded.length;
    const out = new Uint8Array(len);
    const v = new DataView(out.buffer);
    v.setUint32(0, type, this.le);
    v.setUint32(4, len, this.le);
    out.set(padded, 8);
    v.setUint32(len - 4, len, this.le);
    this.offsets.push(this.size);
    this.parts.push(out);
    this.size += len;
    return this;
  }

  bytes(): Uint8Array {
    return concat(this.parts);
  }

  private option(code: number, value: Uint8Array): Uint8Array {
    const out = new Uint8Array(4 + ((value.length + 3) & ~3));
    const v = new DataView(out.buffer);
    v.setUint16(0, code, this.le);
    v.setUint16(2, value.length, this.le);
    out.set(value, 4);
    return out;
  }
}

function pad(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((data.length + 3) & ~3);
  out.set(data);
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
