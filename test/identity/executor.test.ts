import { describe, expect, it } from 'vitest';
import { SAFE_POINT, SliceExecutor, type Pause } from '../../src/identity/index.js';

describe('SliceExecutor', () => {
  it('runs background tasks in order and returns their values', async () => {
    const ex = new SliceExecutor(1);
    const order: string[] = [];
    function* task(name: string): Generator<Pause, string> {
      for (let i = 0; i < 3; i++) {
        order.push(`${name}${i}`);
        yield;
      }
      return name;
    }
    const [a, b] = await Promise.all([ex.submit(task('a')), ex.submit(task('b'))]);
    expect([a, b]).toEqual(['a', 'b']);
    expect(order).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'b2']);
  });

  it('runs urgent tasks at the next safe point, never inside a unit of work', async () => {
    const ex = new SliceExecutor(0);
    const order: string[] = [];
    function* background(): Generator<Pause, void> {
      for (let ns = 0; ns < 3; ns++) {
        order.push(`ns${ns}-start`);
        yield;
        yield;
        order.push(`ns${ns}-end`);
        yield SAFE_POINT;
      }
    }
    function* urgent(): Generator<Pause, number> {
      order.push('lookup');
      yield;
      return 42;
    }
    const done = ex.submit(background());
    await new Promise((r) => setImmediate(r)); // let ns0 start
    const value = await ex.submitUrgent(urgent());
    await done;
    expect(value).toBe(42);
    const at = order.indexOf('lookup');
    expect(order[at - 1]).toMatch(/-end$/);
    expect(order.filter((o) => o === 'lookup')).toHaveLength(1);
  });

  it('yields to the event loop when a slice is used up', async () => {
    const ex = new SliceExecutor(2);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    // Busy until the timer has ticked: only turns of the event loop between slices can tick it. The
    // time limit only guards against a hang (a task that never yields would run into it).
    function* busy(): Generator<Pause, void> {
      const hangGuard = performance.now() + 10_000;
      while (ticks <= 5 && performance.now() < hangGuard) yield;
    }
    await ex.submit(busy());
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
  });

  it('propagates a task error and keeps running later tasks', async () => {
    const ex = new SliceExecutor(1);
    function* failing(): Generator<Pause, void> {
      throw new Error('boom');
    }
    function* fine(): Generator<Pause, string> {
      yield;
      return 'ok';
    }
    await expect(ex.submit(failing())).rejects.toThrow('boom');
    await expect(ex.submit(fine())).resolves.toBe('ok');
  });

  it('cancels running and later tasks on stop, running their cleanup', async () => {
    const ex = new SliceExecutor(0);
    let cleaned = false;
    function* endless(): Generator<Pause, void> {
      try {
        for (;;) yield;
      } finally {
        cleaned = true;
      }
    }
    const running = ex.submit(endless());
    await new Promise((r) => setImmediate(r));
    ex.stop();
    await expect(running).rejects.toMatchObject({ code: 'E_SCAN_CANCELLED' });
    expect(cleaned).toBe(true);
    await expect(ex.submit(endless())).rejects.toMatchObject({ code: 'E_SCAN_CANCELLED' });
  });
});
