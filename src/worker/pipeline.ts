/**
 * The dissection pipeline, wired: frames → decode → TCP reassembly / UDP flows → protocol routers →
 * correlate → entries. One instance per capture; single-threaded and synchronous: `pushFrame` returns
 * after every entry that frame completed has been handed to `onEntry`. Time is capture time only, so
 * the same frames always give the same entries (the worker adds wall-clock timeouts on top).
 */
import { Assembler, type AssemblerOptions } from '../reassembly/index.js';
import { Correlator, redactEntry, type RedactionPolicy } from '../correlate/index.js';
import { PacketDecoder } from '../decode/index.js';
import type { ConnectionInfo, Entry, Frame, Resolution, Timestamp } from '../model/index.js';
import { StreamRouter, UdpRouter, type ConversationSink, type DissectorRegistry } from '../protocols/index.js';

export interface PipelineOptions {
  readonly registry: DissectorRegistry;
  readonly onEntry: (entry: Entry, conn: ConnectionInfo) => void;
  /** Called once per new TCP connection or UDP flow, at its first packet (attribution starts here). */
  readonly onConversation?: (conn: ConnectionInfo, ts: Timestamp) => void;
  /** Called when a conversation ends. */
  readonly onConversationEnd?: (conn: ConnectionInfo, ts: Timestamp) => void;
  /**
   * Called for each frame filed under a TCP connection or UDP flow, after it was processed (packet
   * export). The frame's bytes may be reused once this returns: copy what you keep.
   */
  readonly onPacket?: (frame: Frame, conn: ConnectionInfo) => void;
  readonly resolution?: Resolution;
  /** Prefix of entry ids, and of connection/flow ids, to keep them unique across runs. */
  readonly idPrefix?: string;
  readonly reassembly?: Omit<AssemblerOptions, 'createHandler'>;
  /** Replace secrets in every entry before `onEntry` sees it (see correlate/redact.ts); none when absent. */
  readonly redaction?: RedactionPolicy | null;
}

/** Counters of a pipeline run. `streams` counts TCP connections and UDP flows seen. */
export interface PipelineStats {
  packets: number;
  bytes: number;
  decoded: number;
  streams: number;
  streamsLive: number;
  entries: number;
  anomalies: number;
  byProtocol: Record<string, number>;
  routed: Record<string, number>;
  gaps: number;
  bytesLost: number;
  bytesBuffered: number;
}

export class Pipeline {
  private readonly decoder = new PacketDecoder();
  private readonly assembler: Assembler;
  private readonly udp: UdpRouter;
  private readonly correlator: Correlator;
  private packets = 0;
  private bytes = 0;
  private streams = 0;
  private lastTs: Timestamp | null = null;

  constructor(private readonly options: PipelineOptions) {
    const policy = options.redaction;
    const onEntry = policy ? (entry: Entry, conn: ConnectionInfo) => options.onEntry(redactEntry(entry, policy), conn) : options.onEntry;
    this.correlator = new Correlator({ onEntry, resolution: options.resolution, idPrefix: options.idPrefix });
    const sinks = (conn: ConnectionInfo, ts: Timestamp): ConversationSink => this.openConversation(conn, ts);
    this.assembler = new Assembler({
      ...options.reassembly,
      idPrefix: options.idPrefix,
      createHandler: (conn, ts) => new StreamRouter(conn, options.registry.candidates(conn), sinks(conn, ts)),
    });
    this.udp = new UdpRouter({ registry: options.registry, idPrefix: options.idPrefix, sinks: (conn) => sinks(conn, this.lastTs!) });
  }

  pushFrame(frame: Frame): void {
    this.packets++;
    this.bytes += frame.origLen;
    this.lastTs = frame.ts;
    const packet = this.decoder.decode(frame);
    if (!packet) return;
    const l4 = packet.transport;
    const conn =
      l4.kind === 'tcp'
        ? this.assembler.push(packet)
        : this.udp.onDatagram({ ip: packet.ip.src, port: l4.srcPort }, { ip: packet.ip.dst, port: l4.dstPort }, l4.payload, packet.ts);
    if (conn) this.options.onPacket?.(frame, conn);
  }

  /** Fire idle and close timeouts as of `ts` (capture time). */
  advanceTo(ts: Timestamp): void {
    this.assembler.advanceTo(ts);
    this.udp.advanceTo(ts);
  }

  /** End every conversation (end of capture or shutdown): waiting requests become entries. */
  finish(): void {
    const ts = this.lastTs ?? { sec: 0, nsec: 0 };
    this.assembler.flush(ts);
    this.udp.flush(ts);
  }

  stats(): PipelineStats {
    const reassembly = this.assembler.stats();
    const corr = this.correlator.stats;
    return {
      packets: this.packets,
      bytes: this.bytes,
      decoded: this.decoder.stats().decoded,
      streams: this.streams,
      streamsLive: reassembly.connectionsLive + this.udp.liveFlows,
      entries: corr.entries,
      anomalies: corr.anomalies,
      byProtocol: { ...corr.byProtocol },
      routed: { ...corr.routed },
      gaps: reassembly.gaps,
      bytesLost: reassembly.bytesLost,
      bytesBuffered: reassembly.bytesBuffered,
    };
  }

  private openConversation(conn: ConnectionInfo, ts: Timestamp): ConversationSink {
    this.streams++;
    this.options.onConversation?.(conn, ts);
    const sink = this.correlator.sinkFor(conn);
    const onEnd = this.options.onConversationEnd;
    if (!onEnd) return sink;
    return {
      message: (msg) => sink.message(msg),
      anomaly: (dir, anomaly, at) => sink.anomaly(dir, anomaly, at),
      routed: (protocol) => sink.routed(protocol),
      end: (at) => {
        sink.end(at);
        onEnd(conn, at);
      },
    };
  }
}
