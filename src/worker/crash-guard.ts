/**
 * The process's last line of defence. An error nothing caught — a throw in a timer or an event handler,
 * a promise rejected with nobody waiting — is logged with code `E_UNCAUGHT` and counted
 * (`podsniff_uncaught_errors_total`), and the process goes on serving: one bad input must not cost a
 * node its worker, and under a DaemonSet an exit is a crash loop.
 *
 * Each kind of error (same name, message and first stack frame) is logged at its 1st, 10th, 100th …
 * occurrence, so a repeating fault cannot flood the log. The process exits (code 70) only when its state
 * is really lost, with one line on stderr that says so:
 * - an error marked fatal (`fatal: true`, e.g. the store's file became unusable), or
 * - a storm: more than `STORM_LIMIT` uncaught errors within `STORM_WINDOW_MS`, when something is broken
 *   for good and a fresh process is the only repair.
 *
 * Lifecycle: `install()` once per process (the CLI does; in-process tests do not), `uninstall()` on stop.
 */
import type { StageLogger } from '../model/index.js';

/** Uncaught errors since install, by how they surfaced. */
/** What the guard logs through: a stage logger that also has `error` (pino's does). */
export type GuardLogger = StageLogger & { error(obj: object, msg?: string): void };

export interface UncaughtCounters {
  exception: number;
  rejection: number;
}

const STORM_LIMIT = 100;
const STORM_WINDOW_MS = 10_000;
/** EX_SOFTWARE: an internal error the process cannot recover from. */
export const FATAL_EXIT_CODE = 70;

export class CrashGuard {
  private readonly counts: UncaughtCounters = { exception: 0, rejection: 0 };
  private readonly seen = new Map<string, number>();
  private recent: number[] = [];
  private readonly onException = (err: unknown): void => this.handle(err, 'exception');
  private readonly onRejection = (err: unknown): void => this.handle(err, 'rejection');

  constructor(
    private readonly log: GuardLogger,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  install(): void {
    process.on('uncaughtException', this.onException);
    process.on('unhandledRejection', this.onRejection);
  }

  uninstall(): void {
    process.off('uncaughtException', this.onException);
    process.off('unhandledRejection', this.onRejection);
  }

  counters(): UncaughtCounters {
    return { ...this.counts };
  }

  /** Record one uncaught error (exported for tests; the process handlers call it). */
  handle(err: unknown, kind: keyof UncaughtCounters): void {
    this.counts[kind]++;
    const signature = signatureOf(err);
    const times = (this.seen.get(signature) ?? 0) + 1;
    if (this.seen.size < 1000 || this.seen.has(signature)) this.seen.set(signature, times);
    if (isPowerOfTen(times)) this.log.error({ err, code: 'E_UNCAUGHT', kind, times }, 'uncaught error; the worker goes on');
    const lost = lostStateReason(err, this.noteStorm());
    if (lost) {
      process.stderr.write(`podsniff: ${lost}; exiting (code ${FATAL_EXIT_CODE}) so that a fresh process takes over\n`);
      this.exit(FATAL_EXIT_CODE);
    }
  }

  /** Uncaught errors within the storm window, including this one. */
  private noteStorm(): number {
    const now = Date.now();
    this.recent.push(now);
    if (this.recent.length > STORM_LIMIT + 1) this.recent = this.recent.slice(-STORM_LIMIT - 1);
    return this.recent.filter((t) => now - t <= STORM_WINDOW_MS).length;
  }
}

function lostStateReason(err: unknown, inWindow: number): string | null {
  if (typeof err === 'object' && err !== null && (err as { fatal?: unknown }).fatal === true) {
    return `a fatal internal error: ${err instanceof Error ? err.message : 'unknown'}`;
  }
  if (inWindow > STORM_LIMIT) return `more than ${STORM_LIMIT} internal errors within ${STORM_WINDOW_MS / 1000} s (state can no longer be trusted)`;
  return null;
}

function signatureOf(err: unknown): string {
  if (!(err instanceof Error)) return `value:${String(err).slice(0, 200)}`;
  const frame = err.stack?.split('\n').find((line) => line.trimStart().startsWith('at ')) ?? '';
  return `${err.name}:${err.message.slice(0, 200)}:${frame.trim()}`;
}

function isPowerOfTen(n: number): boolean {
  return n === 1 || n === 10 || n === 100 || n === 1000 || n === 10_000 || n === 100_000;
}
