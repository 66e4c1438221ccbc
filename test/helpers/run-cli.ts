/** Run the built `podsniff` CLI as a child process, as a user would. Requires `npm run build` first. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** Path of bin/podsniff.js. */
export const CLI = fileURLToPath(new URL('../../bin/podsniff.js', import.meta.url));

/** Exit code, stdout and stderr of one CLI run. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `podsniff ...args` to completion. */
export function runCli(args: string[], opts: { timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`podsniff ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 60000} ms\n${stderr}`));
    }, opts.timeoutMs ?? 60000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Start `podsniff ...args` and leave it running. */
export function startCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Parse JSON Lines output. */
export function jsonLines<T>(text: string): T[] {
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);
}

/** How a process ended after SIGTERM; `hung` when it had not exited within the hang guard (then SIGKILLed). */
export interface Stopped {
  code: number | null;
  signal: NodeJS.Signals | null;
  stopMs: number;
  hung: boolean;
}

/** SIGTERM, then wait for the exit; SIGKILL after `hangGuardMs`. */
export async function terminate(worker: ChildProcess, hangGuardMs: number): Promise<Stopped> {
  const started = performance.now();
  if (worker.exitCode !== null || worker.signalCode !== null) return { code: worker.exitCode, signal: worker.signalCode, stopMs: 0, hung: false };
  const exited = once(worker, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  worker.kill('SIGTERM');
  let hung = false;
  const guard = setTimeout(() => {
    hung = true;
    worker.kill('SIGKILL');
  }, hangGuardMs);
  const [code, signal] = await exited;
  clearTimeout(guard);
  return { code, signal, stopMs: performance.now() - started, hung };
}
