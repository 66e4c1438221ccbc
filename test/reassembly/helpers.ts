/**
 * Test helpers for reassembly: decoded TCP packets built directly (no frame bytes) and a recording
 * handler factory that logs every call (copying the bytes, as the contract requires).
 */
import type { DecodedPacket } from '../../src/decode/index.js';
import { Assembler } from '../../src/reassembly/index.js';
import type { AssemblerOptions, EndReason, StreamHandler } from '../../src/reassembly/index.js';
import { tsFromMs, tsToMs } from '../../src/model/index.js';
import type { ConnectionInfo, Direction } from '../../src/model/index.js';

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

export interface SegmentSpec {
  readonly src?: string;
  readonly dst?: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly seq: number;
  readonly ack?: number;
  readonly flags?: number;
  readonly payload?: Uint8Array | string;
  readonly tsMs?: number;
  readonly cut?: number;
}

/** A decoded TCP packet; defaults: 10.0.0.1:40000 → 10.0.0.2:80, ACK flag only when `ack` is given. */
export function seg(s: SegmentSpec): DecodedPacket {
  const payload = typeof s.payload === 'string' ? new TextEncoder().encode(s.payload) : (s.payload ?? new Uint8Array(0));
  return {
    ts: tsFromMs(s.tsMs ?? 0),
    ip: { version: 4, src: s.src ?? '10.0.0.1', dst: s.dst ?? '10.0.0.2', protocol: 6, ttl: 64 },
    transport: {
      kind: 'tcp',
      srcPort: s.sport ?? 40000,
      dstPort: s.dport ?? 80,
      seq: s.seq >>> 0,
      ack: (s.ack ?? 0) >>> 0,
      flags: s.flags ?? (s.ack !== undefined ? ACK : 0),
      window: 65535,
      payload,
      payloadTruncatedBy: s.cut ?? 0,
    },
    frameLength: 54 + payload.length,
  };
}

/** The same segment sent the other way (server → client). */
export function rev(s: SegmentSpec): DecodedPacket {
  return seg({ ...s, src: s.dst ?? '10.0.0.2', dst: s.src ?? '10.0.0.1', sport: s.dport ?? 80, dport: s.sport ?? 40000 });
}

export type Event =
  | { readonly kind: 'data'; readonly dir: Direction; readonly bytes: Uint8Array; readonly tsMs: number }
  | { readonly kind: 'gap'; readonly dir: Direction; readonly lost: number | null; readonly tsMs: number }
  | { readonly kind: 'end'; readonly reason: EndReason; readonly tsMs: number };

export interface Recorded {
  readonly info: ConnectionInfo;
  readonly firstMs: number;
  readonly events: Event[];
}

/** An assembler whose handlers record into `conns` (in creation order). */
export function recording(options: Partial<AssemblerOptions> = {}): { asm: Assembler; conns: Recorded[] } {
  const conns: Recorded[] = [];
  const asm = new Assembler({
    ...options,
    createHandler: (info, firstTs) => {
      const rec: Recorded = { info, firstMs: tsToMs(firstTs), events: [] };
      conns.push(rec);
      return recorder(rec);
    },
  });
  return { asm, conns };
}

function recorder(rec: Recorded): StreamHandler {
  return {
    onData: (dir, bytes, ts) => {
      if (bytes.length === 0) throw new Error('empty onData');
      rec.events.push({ kind: 'data', dir, bytes: bytes.slice(), tsMs: tsToMs(ts) });
    },
    onGap: (dir, lost, ts) => rec.events.push({ kind: 'gap', dir, lost, tsMs: tsToMs(ts) }),
    onEnd: (reason, ts) => {
      if (rec.events.some((e) => e.kind === 'end')) throw new Error('onEnd twice');
      rec.events.push({ kind: 'end', reason, tsMs: tsToMs(ts) });
    },
  };
}

/** Bytes delivered in `dir`, concatenated. */
export function streamOf(rec: Recorded, dir: Direction): Uint8Array {
  const parts = rec.events.filter((e): e is Extract<Event, { kind: 'data' }> => e.kind === 'data' && e.dir === dir).map((e) => e.bytes);
  return Buffer.concat(parts);
}

export function textOf(rec: Recorded, dir: Direction): string {
  return Buffer.from(streamOf(rec, dir)).toString();
}

export function gapsOf(rec: Recorded, dir?: Direction): Array<number | null> {
  return rec.events.filter((e): e is Extract<Event, { kind: 'gap' }> => e.kind === 'gap' && (dir === undefined || e.dir === dir)).map((e) => e.lost);
}

export function endOf(rec: Recorded): Extract<Event, { kind: 'end' }> | undefined {
  return rec.events.find((e): e is Extract<Event, { kind: 'end' }> => e.kind === 'end');
}
