/**
 * Keeps live capture running. The first start must succeed (a wrong interface name, a bad filter or a
 * missing privilege is the operator's mistake and fails `start()` with its error). After that, a capture
 * that stops — its interface went away, its thread failed — is restarted with exponential backoff
 * (1 s doubling to 30 s, ±20 % jitter; back to 1 s after a run of a minute), so an interface that
 * disappears and comes back is captured again without a process restart.
 *
 * Readiness follows it (DESIGN.md rule 1: `/readyz` says "capture is running"): `state()` is `running`
 * or `failed` with the reason and the next attempt. Counters add up across restarts.
 */
import type { CaptureCounters, PodsniffError, StageLogger } from '../model/index.js';
import { addCaptureCounters, emptyCaptureCounters } from './capture-counters.js';
import type { LiveDissection } from './live-dissection.js';

/** Where the capture stands, for readiness and `/api/v1/capture`. */
export interface CaptureState {
  readonly phase: 'running' | 'failed' | 'stopped';
  /** Why the capture is not running (null while it runs). */
  readonly reason: string | null;
  /** Restarts after failures since start. */
  readonly restarts: number;
  readonly linkType: number;
}

export interface CaptureSupervisorOptions {
  /** Start one capture run; `onFailure` is called if it stops after starting. */
  readonly start: (onFailure: (failure: PodsniffError) => void) => Promise<LiveDissection>;
  readonly log: StageLogger;
  /** First and longest wait before a restart. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** A run that lasted this long resets the backoff. */
const STABLE_RUN_MS = 60_000;

export class CaptureSupervisor {
  private current: LiveDissection | null = null;
  /** Ended runs, whose last counters still count; the oldest are folded into `folded`. */
  private ended: LiveDissection[] = [];
  private folded: CaptureCounters = emptyCaptureCounters();
  private phase: CaptureState['phase'] = 'running';
  private reason: string | null = null;
  private restarts = 0;
  private attempt = 0;
  private startedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private linkType = 0;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: CaptureSupervisorOptions) {
    this.minBackoffMs = options.minBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  /** The first start: rejects with the capture's error (no retry: a configuration mistake). */
  async start(): Promise<void> {
    await this.run();
  }

  state(): CaptureState {
    return { phase: this.phase, reason: this.reason, restarts: this.restarts, linkType: this.linkType };
  }

  counters(): CaptureCounters {
    let total = this.folded;
    for (const run of this.ended) total = addCaptureCounters(total, { ...run.counters(), streamsLive: 0 });
    return this.current ? addCaptureCounters(total, this.current.counters()) : total;
  }

  async stop(): Promise<void> {
    this.phase = 'stopped';
    this.reason = 'shutting down';
    if (this.timer) clearTimeout(this.timer);
    const running = this.current;
    if (running) await running.stop();
  }

  private async run(): Promise<void> {
    let live: LiveDissection | null = null;
    live = await this.options.start((failure) => live && this.onFailure(live, failure));
    if (this.phase === 'stopped') return void (await live.stop());
    this.current = live;
    this.linkType = live.linkType;
    this.phase = 'running';
    this.reason = null;
    this.startedAt = Date.now();
  }

  private onFailure(live: LiveDissection, failure: PodsniffError): void {
    if (this.phase === 'stopped' || this.current !== live) return;
    void live.stop();
    this.retire(live);
    this.current = null;
    if (Date.now() - this.startedAt >= STABLE_RUN_MS) this.attempt = 0;
    this.scheduleRestart(failure.message);
  }

  /** Keep an ended run's counters (it still sends its last ones); fold the oldest beyond a few. */
  private retire(live: LiveDissection): void {
    this.ended.push(live);
    while (this.ended.length > 16) this.folded = addCaptureCounters(this.folded, { ...this.ended.shift()!.counters(), streamsLive: 0 });
  }

  private scheduleRestart(why: string): void {
    const delay = this.backoff();
    this.phase = 'failed';
    this.reason = `capture stopped: ${why}; retrying in ${Math.round(delay / 1000)} s`;
    this.options.log.warn({ code: 'E_CAPTURE_FAILED', delayMs: delay, attempt: this.attempt }, this.reason);
    this.timer = setTimeout(() => void this.restart(), delay);
    this.timer.unref();
  }

  private async restart(): Promise<void> {
    if (this.phase === 'stopped') return;
    try {
      await this.run();
      this.restarts++;
      this.options.log.info({ restarts: this.restarts }, 'capture restarted');
    } catch (err) {
      this.scheduleRestart(err instanceof Error ? err.message : String(err));
    }
  }

  private backoff(): number {
    const base = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** this.attempt);
    this.attempt++;
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }
}
