/**
 * Pairs requests with responses per conversation and turns each pair into an `Entry`. Each
 * conversation gets its own sink (`sinkFor`), which its router and dissector session report to;
 * entries are emitted synchronously, in the order pairs complete. Pairing: FIFO for messages without
 * a key (HTTP/1, pipelining included), by key otherwise (DNS id). Requests still waiting when their
 * conversation ends become entries without a response (`no-response`); a response nobody asked for
 * becomes an entry without a request (`unpaired-response`). Connection-level anomalies (gaps,
 * resynchronisation) ride on the conversation's next entry. Deterministic: ids are `${idPrefix}${n}`
 * in emission order.
 */
import { compareTs, type Anomaly, type ConnectionInfo, type Entry, type Resolution } from '../model/index.js';
import type { ConversationSink, ProtocolMessage } from '../protocols/index.js';
import { buildEntry } from './entry-builder.js';

export interface CorrelatorOptions {
  readonly onEntry: (entry: Entry, conn: ConnectionInfo) => void;
  /** Resolution endpoints start with. Default `unresolved`. */
  readonly resolution?: Resolution;
  readonly idPrefix?: string;
  /** Requests waiting per conversation at most; the oldest becomes a `no-response` entry beyond it. */
  readonly maxPendingPerConnection?: number;
}

/** Counters since creation. */
export interface CorrelatorStats {
  entries: number;
  byProtocol: Record<string, number>;
  anomalies: number;
  /** Anomalies on emitted entries, plus connection-level ones no entry carried. */
  /** Conversations routed to each protocol, and to `raw` when nothing matched. */
  routed: Record<string, number>;
}

export class Correlator {
  private next = 1;
  readonly stats: CorrelatorStats = { entries: 0, byProtocol: {}, anomalies: 0, routed: {} };

  constructor(private readonly options: CorrelatorOptions) {}

  /** The sink of a new conversation. */
  sinkFor(conn: ConnectionInfo): ConversationSink {
    return new Conversation(conn, this, this.options.maxPendingPerConnection ?? 1024);
  }

  /** @internal Called by conversations. */
  emit(conn: ConnectionInfo, request: ProtocolMessage | null, response: ProtocolMessage | null, anomalies: Anomaly[]): void {
    const entry = buildEntry(`${this.options.idPrefix ?? 'e'}${this.next++}`, { conn, request, response, anomalies }, this.options.resolution ?? 'unresolved');
    this.stats.entries++;
    this.stats.anomalies += entry.anomalies.length;
    this.stats.byProtocol[entry.protocol] = (this.stats.byProtocol[entry.protocol] ?? 0) + 1;
    this.options.onEntry(entry, conn);
  }
}

/** One conversation's pairing state; the sink its router and session report to. */
class Conversation implements ConversationSink {
  private readonly fifo: ProtocolMessage[] = [];
  private readonly keyed = new Map<string, ProtocolMessage[]>();
  private waitingKeyed = 0;
  private anomalies: Anomaly[] = [];
  private entries = 0;
  private ended = false;

  constructor(
    private readonly conn: ConnectionInfo,
    private readonly correlator: Correlator,
    private readonly maxPending: number,
  ) {}

  routed(protocol: string | null): void {
    const routed = this.correlator.stats.routed;
    const name = protocol ?? 'raw';
    routed[name] = (routed[name] ?? 0) + 1;
  }

  message(msg: ProtocolMessage): void {
    if (this.ended) return;
    if (msg.kind === 'request') return this.hold(msg);
    const request = msg.pairKey === null ? this.fifo.shift() : this.takeKeyed(msg.pairKey);
    this.emit(request ?? null, msg, request ? [] : [unpaired(msg)]);
  }

  anomaly(_dir: 0 | 1, anomaly: Anomaly): void {
    if (this.anomalies.length < 16) this.anomalies.push(anomaly);
    else this.correlator.stats.anomalies++; // not kept, still counted
  }

  end(): void {
    if (this.ended) return;
    const waiting = [...this.fifo, ...[...this.keyed.values()].flat()].sort((x, y) => compareTs(x.startTs, y.startTs));
    for (const request of waiting) this.emit(request, null, [noResponse()]);
    // Anomalies no entry carried (e.g. a gap after the last message) still count.
    this.correlator.stats.anomalies += this.anomalies.length;
    this.anomalies = [];
    this.ended = true;
  }

  private hold(msg: ProtocolMessage): void {
    if (msg.pairKey === null) this.fifo.push(msg);
    else {
      const list = this.keyed.get(msg.pairKey) ?? [];
      list.push(msg);
      this.keyed.set(msg.pairKey, list);
      this.waitingKeyed++;
    }
    if (this.fifo.length + this.waitingKeyed <= this.maxPending) return;
    const oldest = this.fifo.length ? this.fifo.shift()! : this.takeKeyed(this.keyed.keys().next().value!)!;
    this.emit(oldest, null, [noResponse()]);
  }

  private takeKeyed(key: string): ProtocolMessage | undefined {
    const list = this.keyed.get(key);
    const found = list?.shift();
    if (found) this.waitingKeyed--;
    if (list && !list.length) this.keyed.delete(key);
    return found;
  }

  private emit(request: ProtocolMessage | null, response: ProtocolMessage | null, extra: Anomaly[]): void {
    const anomalies = [...this.anomalies, ...extra];
    if (this.entries === 0 && this.conn.transport === 'tcp' && !this.conn.initiatorKnown) anomalies.unshift(midStream());
    this.anomalies = [];
    this.entries++;
    this.correlator.emit(this.conn, request, response, anomalies);
  }
}

function unpaired(msg: ProtocolMessage): Anomaly {
  return { code: 'unpaired-response', detail: `${msg.protocol} response without a request on this connection` };
}

function noResponse(): Anomaly {
  return { code: 'no-response', detail: 'the conversation ended before a response was seen' };
}

function midStream(): Anomaly {
  return { code: 'tcp.mid-stream', detail: 'connection joined mid-stream: its start (SYN) was not captured' };
}
