/**
 * Live dissection, main-thread side: starts the capture thread (capture → pipeline, see
 * capture-thread.ts), attributes the entries it sends, and feeds them to the entry ring. Lookups
 * start when the capture thread reports a new conversation, so they race the connection's sockets
 * as early as possible. `start` resolves once the capture is open, and rejects with the capture's
 * error (no such device, no permission, bad filter) otherwise.
 */
import { readlinkSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ConnectionTable } from '../identity/index.js';
import { ownCpuQuota } from '../procfs/index.js';
import { PodsniffError, type CaptureCounters, type ErrorCode, type StageLogger } from '../model/index.js';
import { Attributor } from './attribution.js';
import { emptyCaptureCounters } from './capture-counters.js';
import { Control, type CaptureThreadConfig, type FromCaptureThread, type PipelineEvent } from './capture-protocol.js';
import type { StoredEntries } from './stored-entries.js';

export interface LiveDissectionOptions {
  readonly device: string;
  readonly bpf?: string;
  readonly table: ConnectionTable;
  readonly sink: StoredEntries;
  readonly log: StageLogger;
  /** Keep the packets of each conversation in the store (pcap export). Default true. */
  readonly keepPackets?: boolean;
  /** Names to redact besides the default headers; null: no redaction. */
  readonly redact: readonly string[] | null;
  /**
   * Called when the capture thread itself died (not a capture failure, which the thread retries): live
   * capture cannot come back in this process (the libpcap binding loads in one thread only).
   */
  readonly onThreadDeath?: (err: Error) => void;
}

/** Where live capture stands: readiness and `/api/v1/capture` read it. */
export interface CaptureState {
  readonly phase: 'running' | 'failed' | 'stopped';
  /** Why the capture is not running (null while it runs). */
  readonly reason: string | null;
  /** Times the capture was reopened after a failure. */
  readonly restarts: number;
  readonly linkType: number;
}

export interface LiveDissection {
  readonly linkType: number;
  counters(): CaptureCounters;
  state(): CaptureState;
  /** Stop capturing; entries still in the pipeline are flushed into the store first (≤ 1 s). */
  stop(): Promise<void>;
}

const STOP_WAIT_MS = 1000;

export function startLiveDissection(options: LiveDissectionOptions): Promise<LiveDissection> {
  const { sink, log } = options;
  const attributor = new Attributor({ table: options.table, log, captureNetns: ownNetns(), onUpdate: (entry) => sink.update(entry) });
  const control = new SharedArrayBuffer(Control.SIZE_BYTES);
  const cells = new Int32Array(control);
  const config: CaptureThreadConfig = {
    device: options.device,
    bpf: options.bpf,
    idPrefix: `${Date.now().toString(36)}-`,
    keepPackets: options.keepPackets ?? true,
    rawPcap: options.sink.rawPcap,
    yieldToMain: ownCpuQuota() !== null,
    redact: options.redact,
    control,
  };
  const thread = new Worker(new URL('./capture-thread.js', import.meta.url), { workerData: config });
  let latest: CaptureCounters = emptyCaptureCounters();
  let stopped: (() => void) | null = null;
  let ready = false;
  let exited = false;
  let stopping = false;
  let state: CaptureState = { phase: 'running', reason: null, restarts: 0, linkType: 0 };

  const apply = (event: PipelineEvent): void => {
    if (event.k === 'open') attributor.noteConversation(event.conn);
    else if (event.k === 'end') attributor.forgetConversation(event.conn);
    else if (event.k === 'packets') sink.addPackets(event.chunk);
    else sink.add(attributor.attribute(event.entry, event.conn));
  };
  const backlog = new BatchBacklog((events) => {
    events.forEach(apply);
    // Counted once applied, so the capture thread's window measures what this thread has really done.
    Atomics.add(cells, Control.APPLIED, 1);
  });

  return new Promise((resolve, reject) => {
    const running: LiveDissection = {
      linkType: 0,
      counters: () => latest,
      state: () => state,
      stop: () =>
        new Promise<void>((done) => {
          stopping = true;
          state = { ...state, phase: 'stopped', reason: 'shutting down' };
          if (exited) return done();
          // Not terminate(): a termination landing inside the binding's native callback aborts the
          // process. The flag stops the thread at its next frame; past the wait, exit goes on anyway.
          const timer = setTimeout(done, STOP_WAIT_MS);
          stopped = () => {
            clearTimeout(timer);
            done();
          };
          Atomics.store(cells, Control.STOP, 1);
          thread.postMessage({ type: 'stop' });
        }),
    };
    thread.on('message', (message: FromCaptureThread) => {
      switch (message.type) {
        case 'ready':
          if (ready) log.info({ restarts: state.restarts + 1 }, `capture on ${options.device} reopened`);
          state = { phase: 'running', reason: null, restarts: state.restarts + (ready ? 1 : 0), linkType: message.linkType };
          if (ready) return;
          ready = true;
          return resolve({ ...running, linkType: message.linkType });
        case 'failed': {
          if (!ready || message.retryInMs === null) {
            void thread.terminate();
            return reject(new PodsniffError(message.code as ErrorCode, message.message, message.hint ?? undefined));
          }
          const reason = `capture stopped: ${message.message}; retrying in ${Math.max(1, Math.round(message.retryInMs / 1000))} s`;
          state = { ...state, phase: 'failed', reason };
          return log.warn({ code: 'E_CAPTURE_FAILED', cause: message.code, retryInMs: message.retryInMs }, reason);
        }
        case 'events':
          return backlog.push(message.events);
        case 'counters':
          latest = message.counters;
          return;
        case 'warning':
          return log.warn({ dropped: message.dropped }, message.message);
        case 'stopped':
          return stopped?.();
      }
    });
    thread.on('error', (err) => {
      log.warn({ err, code: 'E_CAPTURE_FAILED' }, 'capture thread failed');
      if (!ready) return reject(err);
      state = { ...state, phase: 'failed', reason: `the capture thread failed: ${err.message}` };
      options.onThreadDeath?.(err);
    });
    thread.on('exit', () => {
      exited = true;
      if (ready && !stopping && state.phase === 'running') {
        state = { ...state, phase: 'failed', reason: 'the capture thread ended' };
        options.onThreadDeath?.(new Error('the capture thread ended'));
      }
      stopped?.();
    });
  });
}

/** Inode of this process's network namespace (where the capture runs), or null. */
function ownNetns(): number | null {
  try {
    const match = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/net'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Longest stretch of applying batches before the event loop gets a turn (health, API). */
const APPLY_SLICE_MS = 8;

/**
 * Batches from the capture thread, applied in slices of at most `APPLY_SLICE_MS` with a turn of the
 * event loop between slices. Node delivers every queued worker message in one go; applied at once,
 * a full window of batches (store writes, attribution) held the loop for seconds under a CPU quota.
 */
class BatchBacklog {
  private readonly queue: PipelineEvent[][] = [];
  private scheduled = false;

  constructor(private readonly applyBatch: (events: PipelineEvent[]) => void) {}

  push(events: PipelineEvent[]): void {
    this.queue.push(events);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    const until = performance.now() + APPLY_SLICE_MS;
    let next: PipelineEvent[] | undefined;
    while (performance.now() < until && (next = this.queue.shift())) this.applyBatch(next);
    if (this.queue.length) setImmediate(() => this.drain());
    else this.scheduled = false;
  }
}

