/**
 * Liveness and readiness. `/healthz` answers 200 whenever the event loop turns (the handler running is
 * the proof) and reports the loop's recent delay; `/readyz` answers 200 once the worker can serve and
 * 503 before that or while shutting down. Neither ever waits for a scan (DESIGN.md rule 1).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { ApiServer } from './http-server.js';

/** Readiness as the composition root sees it. */
export interface ReadinessSource {
  ready(): boolean;
  /** Short reason shown while not ready. */
  reason(): string;
}

/** Event-loop delay monitor shared by health and metrics. */
export class EventLoopMonitor {
  readonly histogram: IntervalHistogram;
  private readonly resolutionMs = 10;

  constructor() {
    this.histogram = monitorEventLoopDelay({ resolution: this.resolutionMs });
    this.histogram.enable();
  }

  /**
   * Delay percentiles in ms since start. The histogram records the whole interval between samples, so the
   * sampling period is taken off: an idle loop reads ~0, not 10.
   */
  snapshot(): { p50: number; p99: number; max: number } {
    const h = this.histogram;
    const delay = (ns: number): number => Math.max(0, ns / 1e6 - this.resolutionMs);
    return { p50: delay(h.percentile(50)), p99: delay(h.percentile(99)), max: delay(h.max) };
  }

  stop(): void {
    this.histogram.disable();
  }
}

/** Register `/healthz` and `/readyz`. */
export function registerHealthRoutes(server: ApiServer, readiness: ReadinessSource, loop: EventLoopMonitor): void {
  const started = Date.now();
  server.get('/healthz', () => ({
    body: { status: 'ok', uptimeSeconds: (Date.now() - started) / 1000, eventLoopDelayMs: loop.snapshot() },
  }));
  server.get('/readyz', () =>
    readiness.ready() ? { body: { ready: true } } : { status: 503, body: { ready: false, reason: readiness.reason() } },
  );
}
