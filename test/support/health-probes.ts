/**
 * Health probes of a worker the way kubelet sends them, for the worker tests (which assert that every
 * probe is answered, with a timeout that only guards against a hang) and for bench/health-under-load
 * (which prints how fast they were answered, against the probe budget). Times are in ms from `zero`.
 */
import { performance } from 'node:perf_hooks';
import { getJson } from '../helpers/http.js';

/** One probe: when it was sent (ms after zero), what came back and how long it took. */
export interface Probe {
  sentAtMs: number;
  status: number | null;
  tookMs: number;
  error: string | null;
  /** The worker's scan phase as last read from /api/v1/status (probeThroughFirstScan only). */
  phase: string | null;
}

/** GET `url` once with a timeout of `timeoutMs`. */
export async function probeOnce(url: string, timeoutMs: number, zero: number): Promise<Probe> {
  const started = performance.now();
  const sentAtMs = started - zero;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.text();
    return { sentAtMs, status: res.status, tookMs: performance.now() - started, error: null, phase: null };
  } catch (err) {
    return { sentAtMs, status: null, tookMs: performance.now() - started, error: String(err), phase: null };
  }
}

/** Options of probeThroughFirstScan. */
export interface ScanProbeOptions {
  /** Timeout of each probe. */
  timeoutMs: number;
  /** Pause between the end of one probe and the next. Default 100. */
  everyMs?: number;
  /** Stop once the scan phase has been `idle` this long. Default 1000. */
  idleForMs?: number;
  /** Stop anyway after this long from zero (a hang guard). */
  giveUpMs: number;
}

/**
 * Probes `${base}/healthz` one at a time from `zero` (the worker's spawn) until its first full scan has
 * been finished (phase `idle`) for `idleForMs`; after each answered probe reads the scan phase.
 */
export async function probeThroughFirstScan(base: string, zero: number, opts: ScanProbeOptions): Promise<Probe[]> {
  const probes: Probe[] = [];
  let phase: string | null = null;
  let idleSince: number | null = null;
  while (performance.now() - zero < opts.giveUpMs) {
    const probe = await probeOnce(`${base}/healthz`, opts.timeoutMs, zero);
    if (probe.status === 200) phase = (await getJson(`${base}/api/v1/status`, opts.timeoutMs).catch(() => null))?.body.phase ?? phase;
    probes.push({ ...probe, phase });
    if (phase === 'idle') idleSince ??= performance.now();
    if (idleSince !== null && performance.now() - idleSince > (opts.idleForMs ?? 1000)) break;
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 100));
  }
  return probes;
}

/** Probes that overlap: one sent every `everyMs` whether or not the previous one was answered. */
export class PeriodicProber {
  private readonly pending: Promise<Probe>[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly opts: { everyMs: number; timeoutMs: number; zero: number },
  ) {}

  start(): this {
    const send = (): void => {
      this.pending.push(probeOnce(this.url, this.opts.timeoutMs, this.opts.zero));
    };
    send();
    this.timer = setInterval(send, this.opts.everyMs);
    return this;
  }

  /** Stops sending; resolves with every probe sent, once all have been answered or timed out. */
  async stop(): Promise<Probe[]> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return Promise.all(this.pending);
  }
}

/** Runs `work` while probing `url` every `everyMs`; resolves with its result and the probes sent meanwhile. */
export async function probeDuring<T>(url: string, opts: { everyMs: number; timeoutMs: number }, work: () => Promise<T>): Promise<{ result: T; probes: Probe[] }> {
  const prober = new PeriodicProber(url, { ...opts, zero: performance.now() }).start();
  let result: T;
  let probes: Probe[];
  try {
    result = await work();
  } finally {
    probes = await prober.stop();
  }
  return { result, probes };
}

/** The probes from the first answered one on (the worker is up), or [] when none was answered. */
export function fromFirstAnswer(probes: readonly Probe[]): Probe[] {
  const first = probes.findIndex((p) => p.status === 200);
  return first < 0 ? [] : probes.slice(first);
}

/** Probes sent while the scan was starting or running. */
export function duringScan(probes: readonly Probe[]): Probe[] {
  return probes.filter((p) => p.phase === 'starting' || p.phase === 'scanning');
}
