/**
 * The crash guard: an uncaught error is logged with E_UNCAUGHT and counted, repeats of one kind are
 * logged at powers of ten only, and the process is told to exit (code 70) only for an error marked
 * fatal or a storm of errors. A real uncaught exception in a child process leaves it serving.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CrashGuard, FATAL_EXIT_CODE } from '../../src/worker/crash-guard.js';

function recorder(): { log: ConstructorParameters<typeof CrashGuard>[0]; errors: { obj: Record<string, unknown>; msg?: string }[] } {
  const errors: { obj: Record<string, unknown>; msg?: string }[] = [];
  const noop = (): void => {};
  return { errors, log: { debug: noop, info: noop, warn: noop, error: (obj, msg) => errors.push({ obj: obj as Record<string, unknown>, msg }) } };
}

describe('CrashGuard', () => {
  it('counts every uncaught error and logs each kind at its 1st, 10th, 100th occurrence', () => {
    const { log, errors } = recorder();
    const exits: number[] = [];
    const guard = new CrashGuard(log, (code) => exits.push(code));
    for (let i = 0; i < 30; i++) guard.handle(new TypeError('same bug'), 'exception');
    guard.handle(new RangeError('other bug'), 'rejection');
    guard.handle('a string', 'rejection');
    expect(guard.counters()).toEqual({ exception: 30, rejection: 2 });
    expect(errors.map((e) => [e.obj.code, e.obj.times])).toEqual([
      ['E_UNCAUGHT', 1],
      ['E_UNCAUGHT', 10],
      ['E_UNCAUGHT', 1],
      ['E_UNCAUGHT', 1],
    ]);
    expect(exits).toEqual([]);
  });

  it('exits with 70 on an error marked fatal', () => {
    const { log } = recorder();
    const exits: number[] = [];
    const guard = new CrashGuard(log, (code) => exits.push(code));
    guard.handle(Object.assign(new Error('store file gone'), { fatal: true }), 'exception');
    expect(exits).toEqual([FATAL_EXIT_CODE]);
  });

  it('exits on a storm: more than 100 uncaught errors within 10 s', () => {
    const { log } = recorder();
    const exits: number[] = [];
    const guard = new CrashGuard(log, (code) => exits.push(code));
    for (let i = 0; i < 100; i++) guard.handle(new Error(`bug ${i}`), 'exception');
    expect(exits).toEqual([]);
    guard.handle(new Error('one more'), 'exception');
    expect(exits).toEqual([FATAL_EXIT_CODE]);
  });

  it('keeps a real process alive after an uncaught exception and an unhandled rejection', async () => {
    const script = `
      import { CrashGuard } from ${JSON.stringify(new URL('../../src/worker/crash-guard.ts', import.meta.url).href)};
      const lines = [];
      const guard = new CrashGuard({ debug() {}, info() {}, warn() {}, error: (o) => lines.push(o.code) });
      guard.install();
      setTimeout(() => { throw new Error('thrown in a timer'); }, 1);
      setTimeout(() => void Promise.reject(new Error('nobody waits')), 2);
      setTimeout(() => { console.log(JSON.stringify({ lines, counters: guard.counters() })); }, 50);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, err).toBe(0);
    expect(JSON.parse(out)).toEqual({ lines: ['E_UNCAUGHT', 'E_UNCAUGHT'], counters: { exception: 1, rejection: 1 } });
  });
});
