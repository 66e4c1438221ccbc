/**
 * Messages between the worker's main thread and its capture thread (worker_threads). The capture
 * thread owns libpcap and the dissection pipeline; the main thread owns the HTTP server, the
 * connection table, attribution and the entry feed. Everything here is structured-clone data.
 */
import type { CaptureCounters, ConnectionInfo, Entry, PacketChunk } from '../model/index.js';

/** What the capture thread is started with (`workerData`). */
export interface CaptureThreadConfig {
  readonly device: string;
  readonly bpf?: string;
  readonly idPrefix: string;
  /** Send the packets of each conversation (for pcap export from the store). */
  readonly keepPackets: boolean;
  /** Keep packets of connections whose calls had redacted fields (`--raw-pcap`). */
  readonly rawPcap: boolean;
  /**
   * The process runs under a CPU quota (a container limit): the capture thread then lowers its own
   * priority so that, within the shared budget, the main thread (probes, API) gets the CPU first.
   */
  readonly yieldToMain: boolean;
  /** Names to redact besides the default headers (`--redact`); null: no redaction at all. */
  readonly redact: readonly string[] | null;
  /**
   * Int32 control cells, see `Control`. Shared memory rather than messages: under a flood the
   * binding's native drain loop never returns to the capture thread's event loop.
   */
  readonly control: SharedArrayBuffer;
}

/** Cells of the control buffer (Int32 indexes). */
export const Control = {
  /** Set to 1 by the main thread to stop the capture; read on every frame. */
  STOP: 0,
  /** Event batches the main thread has applied; the capture thread compares it with what it sent. */
  APPLIED: 1,
  SIZE_BYTES: 8,
} as const;

/** Batches sent but not yet applied beyond which the capture thread drops batches (counted). */
export const MAX_BATCHES_IN_FLIGHT = 64;

/** One pipeline event, in pipeline order. */
export type PipelineEvent =
  | { readonly k: 'open'; readonly conn: ConnectionInfo }
  | { readonly k: 'end'; readonly conn: ConnectionInfo }
  | { readonly k: 'entry'; readonly conn: ConnectionInfo; readonly entry: Entry }
  | { readonly k: 'packets'; readonly chunk: PacketChunk };

/** Capture thread → main thread. */
export type FromCaptureThread =
  | { readonly type: 'ready'; readonly linkType: number }
  /** The capture failed; `retryInMs`: when it is opened again (null: it never opened, nothing is retried). */
  | { readonly type: 'failed'; readonly code: string; readonly message: string; readonly hint: string | null; readonly retryInMs: number | null }
  | { readonly type: 'events'; readonly events: PipelineEvent[] }
  | { readonly type: 'counters'; readonly counters: CaptureCounters }
  | { readonly type: 'warning'; readonly message: string; readonly dropped: number }
  | { readonly type: 'stopped' };

/** Main thread → capture thread. */
export type ToCaptureThread = { readonly type: 'stop' };
