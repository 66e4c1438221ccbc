/** What the start-up code (boot.ts) hands a serving command: the server it already listens on. */
import type { Server } from 'node:http';

/** A server the start-up code already listens on for `worker`/`local`, answering the probes. */
export interface EarlyStart {
  readonly server: Server;
  /** Remove the start-up's own signal handlers (the command installs its own). */
  releaseSignals(): void;
}
