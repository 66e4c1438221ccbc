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

  constructor() {
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
  }

  /** Delay percentiles in ms since the last reset. */
  snapshot(): { p50: number; p99: number; max: number } {
    const h = this.histogram;
    return { p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
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
