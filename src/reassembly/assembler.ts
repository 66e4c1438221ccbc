/**
 * `Assembler`: TCP reassembly after gopacket's `reassembly` — per-direction sequencing with 32-bit
 * wrap-around, out-of-order buffering, overlap trimming, explicit gaps, memory caps and timeouts, all
 * driven by capture time (sans-IO, deterministic: the same packets give the same calls).
 *
 * Connections: both directions of a 4-tuple map to one connection. `a` is the initiator when a SYN
 * (sender) or SYN-ACK (receiver) is the first packet (`initiatorKnown`), else the first sender; such a
 * mid-stream direction starts at the first sequence number seen. A packet with neither SYN nor payload
 * for an unknown 4-tuple is ignored (stragglers after a close do not open empty connections). Ids are
 * `c1`, `c2`, ... in order of creation.
 *
 * Lifecycle: once both directions' bytes are delivered up to their FINs the connection ends at once
 * (`fin`). FIN seen in both directions with bytes still missing, or an RST (whose payload and ACK are
 * ignored), schedules the end `closeTimeoutMs` later (`fin` / `rst`, the first reason wins); packets keep being processed until
 * then. A SYN on a closing or half-closed connection, or a SYN with a new initial sequence number, is a
 * new connection on a reused port: the old one ends first (its scheduled reason, `fin` when a FIN was
 * seen, else `evicted`). No packet for `idleTimeoutMs` → `idle`; more than `maxConnections` → the least
 * recently active ends with `evicted`. Timeouts fire at the first `push`/`advanceTo` at or after their
 * deadline, and `onEnd` of `idle`/`fin`/`rst` carries the deadline as its time, so a replay gives the
 * same calls however often `advanceTo` runs. Before `onEnd`, still-buffered data is delivered after a
 * gap. `onEnd` is called exactly once, even when the handler throws (see sequencer.ts on exceptions).
 */
import { tsFromMs, tsToMs } from '../model/index.js';
import type { ConnectionInfo, Direction, L4Endpoint, Timestamp } from '../model/index.js';
import type { DecodedPacket, TcpSegment } from '../decode/index.js';
import { ActivityList } from './activity-list.js';
import { Connection } from './connection.js';
import { ConnectionTable, isLower } from './connection-table.js';
import { Sequencer } from './sequencer.js';
import type { AssemblerOptions, AssemblerStats, EndReason, StreamHandlerFactory } from './types.js';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

/** Reassembles the TCP connections of one capture; single-threaded, fed in capture order. */
export class Assembler {
  private readonly createHandler: StreamHandlerFactory;
  private readonly idleMs: number;
  private readonly closeMs: number;
  private readonly maxConnections: number;
  private readonly counters: AssemblerStats = {
    connectionsLive: 0,
    connectionsTotal: 0,
    bytesBuffered: 0,
    bytesDelivered: 0,
    gaps: 0,
    bytesLost: 0,
    overlapConflicts: 0,
    capEvictions: 0,
    connectionsEvicted: 0,
    packetsIgnored: 0,
  };
  private readonly seq: Sequencer;
  private readonly table = new ConnectionTable();
  private readonly active = new ActivityList();
  /** Connections with a scheduled end, in deadline order (the close timeout is constant). */
  private closing: Connection[] = [];
  private closingHead = 0;
  private readonly idPrefix: string;
  /** Latest capture time seen (ms); never decreases. */
  private clock = -Infinity;

  constructor(options: AssemblerOptions) {
    this.createHandler = options.createHandler;
    this.idPrefix = options.idPrefix ?? '';
    this.idleMs = options.idleTimeoutMs ?? 120_000;
    this.closeMs = options.closeTimeoutMs ?? 2_000;
    this.maxConnections = Math.max(1, options.maxConnections ?? 100_000);
    this.seq = new Sequencer(
      this.counters,
      Math.max(0, options.maxBufferedPerConnection ?? 4 * 1024 * 1024),
      Math.max(0, options.maxBufferedTotal ?? 256 * 1024 * 1024),
    );
  }

  /**
   * Feeds one decoded packet (non-TCP packets are ignored). Packets should come in capture order.
   * Returns the connection the packet was filed under, or null when it was ignored.
   */
  push(pkt: DecodedPacket): ConnectionInfo | null {
    const t = pkt.transport;
    if (t.kind !== 'tcp') return null;
    this.advanceClock(tsToMs(pkt.ts));
    const src = pkt.ip.src;
    const dst = pkt.ip.dst;
    let c = this.table.get(src, t.srcPort, dst, t.dstPort);
    let dir: Direction = c !== undefined && c.aPort === t.srcPort && c.aIp === src ? 0 : 1;
    if (c !== undefined && (t.flags & SYN) !== 0 && this.isNewConnection(c, dir, t)) {
      this.end(c, c.closing ?? (c.halves[0].finSeen || c.halves[1].finSeen ? 'fin' : 'evicted'), pkt.ts);
      c = undefined;
    }
    if (c === undefined) {
      if ((t.flags & SYN) === 0 && t.payload.length === 0 && !t.payloadTruncatedBy) {
        this.counters.packetsIgnored++;
        return null;
      }
      c = this.open(src, t.srcPort, dst, t.dstPort, t.flags, pkt.ts);
      dir = c.aPort === t.srcPort && c.aIp === src ? 0 : 1;
    }
    c.lastMs = this.clock;
    this.active.touch(c);
    this.segment(c, dir, t, pkt.ts);
    if (c.closing !== null && c.closeAtMs <= this.clock) this.runTimers();
    return c.info;
  }

  /** Moves capture time to `ts`, ending connections whose idle or close timeout has passed. */
  advanceTo(ts: Timestamp): void {
    this.advanceClock(tsToMs(ts));
  }

  /** Ends every connection at `ts` (reason `flush`), after firing the timeouts due by then. */
  flush(ts: Timestamp): void {
    this.advanceTo(ts);
    for (let c = this.active.head; c !== null; c = this.active.head) this.end(c, 'flush', ts);
  }

  /** A snapshot of the counters. */
  stats(): AssemblerStats {
    return { ...this.counters };
  }

  private segment(c: Connection, dir: Direction, t: TcpSegment, ts: Timestamp): void {
    const flags = t.flags;
    if ((flags & RST) !== 0) {
      this.scheduleEnd(c, 'rst');
      return;
    }
    const h = c.halves[dir];
    const other: Direction = dir === 0 ? 1 : 0;
    const o = c.halves[other];
    if ((flags & ACK) !== 0 && o.started) this.seq.acked(c, other, t.ack, ts);
    let seq = t.seq;
    if ((flags & SYN) !== 0) {
      if (!h.synSeen) {
        h.synSeen = true;
        h.isn = seq;
      }
      seq = (seq + 1) >>> 0;
      if (!h.started) start(h, seq);
      if ((flags & ACK) !== 0 && !o.started) start(o, t.ack);
    } else if (!h.started) {
      start(h, seq);
    }
    const len = t.payload.length;
    const cut = t.payloadTruncatedBy ?? 0;
    if ((flags & FIN) !== 0) {
      if (!h.finSeen) {
        h.finSeen = true;
        h.finSeq = (seq + len + cut) >>> 0;
      }
      if (o.finSeen) this.scheduleEnd(c, 'fin');
    }
    if (len + cut > 0) this.seq.data(c, dir, seq, t.payload, cut, ts);
    else if (h.finSeen && !h.finDone) this.seq.drain(c, dir);
    // Every byte up to both FINs delivered: nothing can follow, so end now rather than at the close
    // timeout (a body ending at close is complete at this moment, and live entries go out at once).
    if (h.finDone && o.finDone && !c.ended) this.end(c, 'fin', ts);
  }

  /** A SYN on a known 4-tuple: does it start a new connection (port reuse)? */
  private isNewConnection(c: Connection, dir: Direction, t: TcpSegment): boolean {
    if (c.closing !== null || c.halves[0].finSeen || c.halves[1].finSeen) return true;
    if ((t.flags & ACK) !== 0) return false;
    const h = c.halves[dir];
    return h.synSeen ? h.isn !== t.seq : h.started;
  }

  private open(src: string, sport: number, dst: string, dport: number, flags: number, ts: Timestamp): Connection {
    if (this.counters.connectionsLive >= this.maxConnections && this.active.head !== null) {
      this.counters.connectionsEvicted++;
      this.end(this.active.head, 'evicted', ts);
    }
    const syn = (flags & SYN) !== 0;
    const fromB = syn && (flags & ACK) !== 0; // a SYN-ACK: its receiver initiated
    const a: L4Endpoint = fromB ? { ip: dst, port: dport } : { ip: src, port: sport };
    const b: L4Endpoint = fromB ? { ip: src, port: sport } : { ip: dst, port: dport };
    const info = { id: `${this.idPrefix}c${this.counters.connectionsTotal + 1}`, transport: 'tcp' as const, a, b, initiatorKnown: syn };
    this.counters.connectionsTotal++;
    const handler = this.createHandler(info, ts);
    const lower = isLower(a.ip, a.port, b.ip, b.port);
    const lo = lower ? a : b;
    const hi = lower ? b : a;
    const c = new Connection(info, handler, a.ip, a.port, lo.ip, hi.ip, lo.port * 65536 + hi.port);
    this.table.add(c);
    this.counters.connectionsLive++;
    return c;
  }

  private scheduleEnd(c: Connection, reason: EndReason): void {
    if (c.closing !== null) return;
    c.closing = reason;
    c.closeAtMs = this.clock + this.closeMs;
    this.closing.push(c);
  }

  private advanceClock(ms: number): void {
    if (ms > this.clock) this.clock = ms;
    const idle = this.active.head;
    if ((idle !== null && idle.lastMs + this.idleMs <= this.clock) || this.closeDue()) this.runTimers();
  }

  private closeDue(): boolean {
    return this.closingHead < this.closing.length && this.closing[this.closingHead]!.closeAtMs <= this.clock;
  }

  /** Ends, in deadline order, every connection whose idle or close deadline is at or before the clock. */
  private runTimers(): void {
    for (;;) {
      while (this.closingHead < this.closing.length && this.closing[this.closingHead]!.ended) this.closingHead++;
      const closing = this.closingHead < this.closing.length ? this.closing[this.closingHead]! : null;
      const idle = this.active.head;
      const closeAt = closing !== null ? closing.closeAtMs : Infinity;
      const idleAt = idle !== null ? idle.lastMs + this.idleMs : Infinity;
      if (Math.min(closeAt, idleAt) > this.clock) break;
      if (closing !== null && closeAt <= idleAt) {
        this.closingHead++;
        this.end(closing, closing.closing!, tsFromMs(closeAt));
      } else if (idle !== null) {
        this.end(idle, 'idle', tsFromMs(idleAt));
      }
    }
    if (this.closingHead > 1024 && this.closingHead * 2 > this.closing.length) {
      this.closing = this.closing.slice(this.closingHead);
      this.closingHead = 0;
    }
  }

  /** Ends `c` once: unlinks it, delivers what is buffered (after gaps), then `onEnd`. */
  private end(c: Connection, reason: EndReason, ts: Timestamp): void {
    if (c.ended) return;
    c.ended = true;
    this.table.delete(c);
    this.active.remove(c);
    this.counters.connectionsLive--;
    try {
      this.seq.flush(c, 0, ts);
      this.seq.flush(c, 1, ts);
    } finally {
      this.seq.release(c);
      c.handler.onEnd(reason, ts);
    }
  }
}

function start(h: { started: boolean; nextSeq: number }, seq: number): void {
  h.started = true;
  h.nextSeq = seq;
}
