/**
 * UDP flows for dissection: groups datagrams by 5-tuple into conversations (`a` = first sender),
 * detects each flow's protocol on its datagrams, feeds a session one datagram per `onData`, and ends
 * flows idle for `idleTimeoutMs` of capture time. Sans-IO: time advances only with datagrams and
 * `advanceTo`.
 *
 * A datagram identical to the previous one of the same flow and direction within `duplicateWindowUs`
 * is dropped: capturing on `any` sees a forwarded datagram once per interface it crosses (a pod's veth
 * and the next hop), and dissecting it twice would double every DNS query.
 */
import { tsDiffMs, type ConnectionInfo, type Direction, type L4Endpoint, type Timestamp } from '../model/index.js';
import type { DissectorRegistry } from './registry.js';
import type { DissectorSession } from './types.js';
import type { ConversationSink, ConversationSinkFactory } from './stream-router.js';

export interface UdpRouterOptions {
  readonly registry: DissectorRegistry;
  readonly sinks: ConversationSinkFactory;
  /** Flow ends after this much capture time without a datagram. Default 30 s. */
  readonly idleTimeoutMs?: number;
  /** Live flows at most; the oldest is ended beyond it. Default 65,536. */
  readonly maxFlows?: number;
  /** Same-payload datagrams closer than this are copies of one datagram. Default 2,000 µs. */
  readonly duplicateWindowUs?: number;
  /** Prefix of flow ids (`${prefix}u${n}`). Default ''. */
  readonly idPrefix?: string;
}

interface UdpFlow {
  readonly conn: ConnectionInfo;
  readonly sink: ConversationSink;
  session: DissectorSession | null;
  /** No dissector matched the first datagram(s); kept to avoid re-detecting every datagram. */
  raw: boolean;
  lastTs: Timestamp;
  last: [Uint8Array | null, Uint8Array | null];
  lastAt: [Timestamp | null, Timestamp | null];
}

export class UdpRouter {
  private readonly flows = new Map<string, UdpFlow>();
  private nextId = 1;
  private readonly idleMs: number;
  private readonly maxFlows: number;
  private readonly dupMs: number;
  private lastSweep: Timestamp | null = null;

  constructor(private readonly options: UdpRouterOptions) {
    this.idleMs = options.idleTimeoutMs ?? 30_000;
    this.maxFlows = options.maxFlows ?? 65_536;
    this.dupMs = (options.duplicateWindowUs ?? 2_000) / 1000;
  }

  get liveFlows(): number {
    return this.flows.size;
  }

  /** Route one datagram; returns the flow it belongs to (also for a dropped duplicate copy). */
  onDatagram(src: L4Endpoint, dst: L4Endpoint, payload: Uint8Array, ts: Timestamp): ConnectionInfo {
    this.maybeSweep(ts);
    const { flow, dir } = this.flowOf(src, dst, ts);
    if (this.isDuplicate(flow, dir, payload, ts)) return flow.conn;
    flow.lastTs = ts;
    if (flow.raw) return flow.conn;
    if (!flow.session) this.detect(flow, dir, payload);
    flow.session?.onData(dir, payload, ts);
    return flow.conn;
  }

  /** End flows idle at `ts`. */
  advanceTo(ts: Timestamp): void {
    for (const [key, flow] of this.flows) if (tsDiffMs(flow.lastTs, ts) >= this.idleMs) this.endFlow(key, flow, ts);
  }

  /** End every flow (end of capture). */
  flush(ts: Timestamp): void {
    for (const [key, flow] of this.flows) this.endFlow(key, flow, ts);
  }

  private flowOf(src: L4Endpoint, dst: L4Endpoint, ts: Timestamp): { flow: UdpFlow; dir: Direction } {
    const forward = `${src.ip}|${src.port}|${dst.ip}|${dst.port}`;
    const known = this.flows.get(forward);
    if (known) return { flow: known, dir: 0 };
    const reverse = this.flows.get(`${dst.ip}|${dst.port}|${src.ip}|${src.port}`);
    if (reverse) return { flow: reverse, dir: 1 };
    if (this.flows.size >= this.maxFlows) this.evictOldest(ts);
    const conn: ConnectionInfo = { id: `${this.options.idPrefix ?? ''}u${this.nextId++}`, transport: 'udp', a: src, b: dst, initiatorKnown: true };
    const flow: UdpFlow = { conn, sink: this.options.sinks(conn), session: null, raw: false, lastTs: ts, last: [null, null], lastAt: [null, null] };
    this.flows.set(forward, flow);
    return { flow, dir: 0 };
  }

  private isDuplicate(flow: UdpFlow, dir: Direction, payload: Uint8Array, ts: Timestamp): boolean {
    const previous = flow.last[dir];
    const at = flow.lastAt[dir];
    const duplicate = previous !== null && at !== null && tsDiffMs(at, ts) <= this.dupMs && equalBytes(previous, payload);
    if (duplicate) return true;
    flow.last[dir] = payload.slice();
    flow.lastAt[dir] = ts;
    return false;
  }

  private detect(flow: UdpFlow, dir: Direction, payload: Uint8Array): void {
    const { conn } = flow;
    for (const dissector of this.options.registry.candidates(conn)) {
      if (dissector.detect({ conn, dir, bytes: payload }) !== 'match') continue;
      flow.session = dissector.createSession(conn, flow.sink);
      flow.sink.routed(dissector.spec.id);
      return;
    }
    flow.raw = true;
    flow.sink.routed(null);
  }

  private maybeSweep(ts: Timestamp): void {
    if (this.lastSweep !== null && tsDiffMs(this.lastSweep, ts) < 1000) return;
    this.lastSweep = ts;
    this.advanceTo(ts);
  }

  private evictOldest(ts: Timestamp): void {
    const first = this.flows.entries().next();
    if (!first.done) this.endFlow(first.value[0], first.value[1], ts);
  }

  private endFlow(key: string, flow: UdpFlow, ts: Timestamp): void {
    this.flows.delete(key);
    flow.session?.onEnd(ts);
    flow.sink.end(ts);
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
