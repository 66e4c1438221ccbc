/**
 * A tracked TCP connection: its public `ConnectionInfo`, handler, the two half-streams, the position in
 * the activity list and the close schedule. Owned by one `Assembler`; never shared. Lifecycle: created
 * on a connection's first packet, `ended` once (then unlinked from every assembler structure).
 */
import type { ConnectionInfo } from '../model/index.js';
import { HalfStream } from './half-stream.js';
import type { EndReason, StreamHandler } from './types.js';

/** One connection's state; mutable only by its assembler. */
export class Connection {
  readonly halves: readonly [HalfStream, HalfStream] = [new HalfStream(), new HalfStream()];
  /** Capture time (ms) of the last packet. */
  lastMs = 0;
  /** Neighbours in the activity list (least recently active first). */
  prev: Connection | null = null;
  next: Connection | null = null;
  /** Why the connection will end once `closeAtMs` passes; null while open. */
  closing: EndReason | null = null;
  closeAtMs = 0;
  ended = false;
  /** Out-of-order bytes held by both halves. */
  buffered = 0;

  constructor(
    readonly info: ConnectionInfo,
    readonly handler: StreamHandler,
    /** Endpoint `a`, for direction lookup. */
    readonly aIp: string,
    readonly aPort: number,
    /** Table key: the lower endpoint's address, the higher's, and both ports. */
    readonly loIp: string,
    readonly hiIp: string,
    readonly ports: number,
  ) {}
}
