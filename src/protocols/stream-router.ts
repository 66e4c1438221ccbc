/**
 * Routes one TCP connection's reassembled bytes to the dissector that recognises them. Until a
 * dissector matches, bytes (copied, at most DETECT_LIMIT per direction) are held together with gap
 * events in arrival order; on a match the dissector's session gets all of them replayed, then the
 * live stream. When nothing matches, the connection is raw TCP: counted, not dissected.
 *
 * Implements the reassembly stage's StreamHandler shape structurally (protocols may not import it).
 */
import { concatBytes, type ConnectionInfo, type Direction, type Timestamp } from '../model/index.js';
import type { Dissector, DissectorSession, MessageSink } from './types.js';

/** Bytes per direction a connection may show before detection gives up. */
export const DETECT_LIMIT = 8 * 1024;

type Held = { kind: 'data'; dir: Direction; bytes: Uint8Array; ts: Timestamp } | { kind: 'gap'; dir: Direction; lost: number | null; ts: Timestamp };

/** Outcome of detection, for counters. */
export type RouteState = 'detecting' | 'dissecting' | 'raw';

/** What one conversation's router and session report to: messages, anomalies, routing and the end. */
export interface ConversationSink extends MessageSink {
  /** Detection settled: `protocol` null means raw (not dissected). */
  routed(protocol: string | null): void;
  /** The conversation ended (after its session's onEnd). */
  end(ts: Timestamp): void;
}

/** Makes the sink of a new conversation. */
export type ConversationSinkFactory = (conn: ConnectionInfo) => ConversationSink;

export class StreamRouter {
  state: RouteState = 'detecting';
  private session: DissectorSession | null = null;
  private held: Held[] = [];
  private readonly seen: [Uint8Array[], Uint8Array[]] = [[], []];
  private readonly seenBytes: [number, number] = [0, 0];
  /** Per candidate index: directions that said no-match. */
  private readonly refused: Set<Direction>[];

  constructor(
    private readonly conn: ConnectionInfo,
    private readonly candidates: readonly Dissector[],
    private readonly sink: ConversationSink,
  ) {
    this.refused = candidates.map(() => new Set<Direction>());
    if (!candidates.length) this.settle(null);
  }

  onData(dir: Direction, bytes: Uint8Array, ts: Timestamp): void {
    if (this.state === 'dissecting') return this.session!.onData(dir, bytes, ts);
    if (this.state === 'raw') return;
    const copy = bytes.slice();
    this.held.push({ kind: 'data', dir, bytes: copy, ts });
    this.seen[dir].push(copy);
    this.seenBytes[dir] += copy.length;
    this.detect(dir);
  }

  onGap(dir: Direction, lost: number | null, ts: Timestamp): void {
    if (this.state === 'raw') return;
    this.sink.anomaly(dir, gapAnomaly(dir, lost), ts);
    if (this.state === 'dissecting') return this.session!.onGap(dir, lost, ts);
    // Bytes before a gap cannot be joined with bytes after it: detection restarts for this direction.
    this.held.push({ kind: 'gap', dir, lost, ts });
    this.seen[dir] = [];
    this.seenBytes[dir] = 0;
  }

  onEnd(_reason: string, ts: Timestamp): void {
    if (this.state === 'dissecting') this.session!.onEnd(ts);
    this.held = [];
    this.sink.end(ts);
  }

  private detect(dir: Direction): void {
    const bytes = concatBytes(this.seen[dir], this.seenBytes[dir]);
    this.seen[dir] = [bytes];
    let undecided = false;
    for (let i = 0; i < this.candidates.length; i++) {
      if (this.refused[i]!.size === 2) continue;
      const verdict = this.candidates[i]!.detect({ conn: this.conn, dir, bytes });
      if (verdict === 'match') return this.start(this.candidates[i]!);
      if (verdict === 'no-match') this.refused[i]!.add(dir);
      if (this.refused[i]!.size < 2) undecided = true;
    }
    const exhausted = this.seenBytes[0] >= DETECT_LIMIT && this.seenBytes[1] >= DETECT_LIMIT;
    const heldTooMuch = this.seenBytes[dir] >= DETECT_LIMIT * 4;
    if (!undecided || exhausted || heldTooMuch) this.settle(null);
  }

  private start(dissector: Dissector): void {
    this.session = dissector.createSession(this.conn, this.sink);
    this.settle(dissector.spec.id);
    const held = this.held;
    this.held = [];
    this.seen[0] = [];
    this.seen[1] = [];
    for (const event of held) {
      if (event.kind === 'data') this.session.onData(event.dir, event.bytes, event.ts);
      else this.session.onGap(event.dir, event.lost, event.ts);
    }
  }

  private settle(protocol: string | null): void {
    this.state = protocol === null ? 'raw' : 'dissecting';
    if (protocol === null) this.held = [];
    this.sink.routed(protocol);
  }
}

function gapAnomaly(dir: Direction, lost: number | null): { code: 'tcp.gap'; detail: string } {
  const side = dir === 0 ? 'initiator→responder' : 'responder→initiator';
  return { code: 'tcp.gap', detail: lost === null ? `bytes lost (${side})` : `${lost} bytes lost (${side})` };
}
