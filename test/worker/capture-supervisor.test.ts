/**
 * The capture supervisor's contract, with scripted capture runs: the first start's error is the
 * caller's; a run that fails later is restarted with growing backoff until one starts again; readiness
 * (`state().phase`) says `failed` with the reason meanwhile; counters add up across runs.
 */
import { describe, expect, it } from 'vitest';
import { PodsniffError, silentLogger, type CaptureCounters } from '../../src/model/index.js';
import { CaptureSupervisor } from '../../src/worker/capture-supervisor.js';
import { emptyCaptureCounters } from '../../src/worker/capture-counters.js';
import type { LiveDissection } from '../../src/worker/live-dissection.js';
import { waitFor } from '../helpers/http.js';

interface FakeRun extends LiveDissection {
  fail(why: string): void;
  stopped: boolean;
}

function script(plan: ('ok' | 'refuse')[]): { start: ConstructorParameters<typeof CaptureSupervisor>[0]['start']; runs: FakeRun[]; attempts: () => number } {
  const runs: FakeRun[] = [];
  let attempts = 0;
  return {
    runs,
    attempts: () => attempts,
    start: (onFailure) => {
      const step = plan[Math.min(attempts++, plan.length - 1)];
      if (step === 'refuse') return Promise.reject(new PodsniffError('E_CAPTURE_OPEN', 'cannot capture on veth9: no such device'));
      const counters: CaptureCounters = { ...emptyCaptureCounters(), packetsReceived: 10, entriesByProtocol: { http: 2 }, streamsLive: 1 };
      const run: FakeRun = {
        linkType: 1,
        stopped: false,
        counters: () => counters,
        stop: () => {
          run.stopped = true;
          return Promise.resolve();
        },
        fail: (why) => onFailure(new PodsniffError('E_CAPTURE_OPEN', why)),
      };
      runs.push(run);
      return Promise.resolve(run);
    },
  };
}

describe('CaptureSupervisor', () => {
  it('rejects when the first start fails (a configuration mistake)', async () => {
    const s = script(['refuse']);
    await expect(new CaptureSupervisor({ start: s.start, log: silentLogger }).start()).rejects.toThrow(/no such device/);
  });

  it('restarts a failed capture with backoff until it starts again, and adds up counters', async () => {
    const s = script(['ok', 'refuse', 'refuse', 'ok']);
    const sup = new CaptureSupervisor({ start: s.start, log: silentLogger, minBackoffMs: 5, maxBackoffMs: 40 });
    await sup.start();
    expect(sup.state()).toMatchObject({ phase: 'running', reason: null, restarts: 0 });
    s.runs[0]!.fail('capture on veth9 failed while reading (did the interface go away?)');
    expect(sup.state().phase).toBe('failed');
    expect(sup.state().reason).toMatch(/^capture stopped: capture on veth9 failed while reading .*; retrying in \d+ s$/);
    expect(s.runs[0]!.stopped).toBe(true);
    await waitFor(() => Promise.resolve(sup.state().phase === 'running' ? true : undefined), 30_000, 5);
    expect(s.attempts()).toBe(4);
    expect(sup.state().restarts).toBe(1);
    const c = sup.counters();
    expect(c.packetsReceived).toBe(20);
    expect(c.entriesByProtocol).toEqual({ http: 4 });
    expect(c.streamsLive).toBe(1);
    await sup.stop();
    expect(sup.state().phase).toBe('stopped');
    expect(s.runs[1]!.stopped).toBe(true);
  });

  it('does not restart after stop, and ignores failures of runs it already replaced', async () => {
    const s = script(['ok']);
    const sup = new CaptureSupervisor({ start: s.start, log: silentLogger, minBackoffMs: 5, maxBackoffMs: 5 });
    await sup.start();
    await sup.stop();
    s.runs[0]!.fail('late failure');
    expect(sup.state().phase).toBe('stopped');
    await new Promise((r) => setTimeout(r, 30));
    expect(s.attempts()).toBe(1);
  });
});
