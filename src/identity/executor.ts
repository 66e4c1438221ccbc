/**
 * Runs scan work as generators in short time slices on the event loop, so that the worker's health and
 * API handlers always get a turn (DESIGN.md rule 1).
 *
 * Contract: a task is a generator that yields `undefined` at pause points (it may be suspended there for
 * other event-loop work) and `SAFE_POINT` where the shared state is consistent (between namespaces).
 * Background tasks run one at a time, in submission order. Urgent tasks (lookups) run at the next safe
 * point of the background task, or at once when none runs, and are never interleaved with each other.
 * All tasks therefore see the state as a single logical thread would. `stop()` rejects pending and
 * running tasks with `E_SCAN_CANCELLED` at their next pause point.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { PodsniffError } from '../model/index.js';

/** Yielded by a task where shared state is consistent and urgent tasks may run. */
export const SAFE_POINT = Symbol('safe-point');

/** What scan generators yield. */
export type Pause = typeof SAFE_POINT | undefined;

/** A unit of scan work. */
export type ScanTask<T> = Generator<Pause, T>;

interface Job {
  task: ScanTask<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Cooperative scheduler for scan generators. One per connection table. */
export class SliceExecutor {
  private readonly budgetMs: number;
  private readonly background: Job[] = [];
  private readonly urgent: Job[] = [];
  private running = false;
  private stopped = false;

  /** `budgetMs`: longest stretch of synchronous work before yielding to the event loop. */
  constructor(budgetMs = 4) {
    this.budgetMs = budgetMs;
  }

  /** Queue a background task; resolves with its return value. */
  submit<T>(task: ScanTask<T>): Promise<T> {
    return this.enqueue(this.background, task);
  }

  /** Queue a task that runs at the next safe point of the background task. */
  submitUrgent<T>(task: ScanTask<T>): Promise<T> {
    return this.enqueue(this.urgent, task);
  }

  /** True while any task is queued or running. */
  get busy(): boolean {
    return this.running;
  }

  /** Cancel everything; later submissions reject at once. */
  stop(): void {
    this.stopped = true;
  }

  private enqueue<T>(queue: Job[], task: ScanTask<T>): Promise<T> {
    if (this.stopped) return Promise.reject(cancelled());
    return new Promise<T>((resolve, reject) => {
      queue.push({ task, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) void this.loop();
    });
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.background.length || this.urgent.length) {
        await this.runUrgent();
        const job = this.background[0];
        if (!job) continue;
        const finished = await this.drive(job, true);
        if (finished) this.background.shift();
      }
    } finally {
      this.running = false;
    }
  }

  private async runUrgent(): Promise<void> {
    while (this.urgent.length) {
      const job = this.urgent[0]!;
      await this.drive(job, false);
      this.urgent.shift();
    }
  }

  /**
   * Step `job` in slices. Returns true when it finished (resolved or rejected); false when it stopped at
   * a safe point because urgent work is waiting (background jobs only).
   */
  private async drive(job: Job, preemptible: boolean): Promise<boolean> {
    let sliceStart = performance.now();
    for (;;) {
      if (this.stopped) {
        settle(job, () => job.task.throw(cancelled()));
        return true;
      }
      let step: IteratorResult<Pause, unknown>;
      try {
        step = job.task.next();
      } catch (error) {
        job.reject(error);
        return true;
      }
      if (step.done) {
        job.resolve(step.value);
        return true;
      }
      if (preemptible && step.value === SAFE_POINT && this.urgent.length) return false;
      if (performance.now() - sliceStart >= this.budgetMs) {
        await nextTurn();
        sliceStart = performance.now();
      }
    }
  }
}

function settle(job: Job, finish: () => IteratorResult<Pause, unknown>): void {
  try {
    finish();
    job.reject(cancelled());
  } catch (error) {
    job.reject(error);
  }
}

function cancelled(): PodsniffError {
  return new PodsniffError('E_SCAN_CANCELLED', 'scan cancelled: the worker is stopping');
}
