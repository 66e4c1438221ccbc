/**
 * Starts the dashboard's server for end-to-end tests: the real `podsniff local --pcap FILE --port 0`
 * as a child process (waits for its `http://127.0.0.1:<port>/` line, then for the replay to finish).
 * Stops the child by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const START_TIMEOUT_MS = 90_000;

export interface RunningServer {
  readonly url: string;

  stop(): Promise<void>;
}

/** Starts a server replaying `test/fixtures/pcaps/<fixture>.pcap`, with `flags` added to `podsniff local`. */
export async function startServer(fixture: string, flags: readonly string[] = []): Promise<RunningServer> {
  const server = await startPodsniff(join(ROOT, 'test/fixtures/pcaps', `${fixture}.pcap`), flags);
  await waitForReplay(server.url);
  return server;
}

async function startPodsniff(pcap: string, flags: readonly string[]): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'podsniff-e2e-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin/podsniff.js'), 'local', '--pcap', pcap, '--port', '0', '--data-dir', dataDir, ...flags], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const stop = async (): Promise<void> => {
    await killChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await waitForUrl(child, () => stderr);
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function waitForUrl(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`podsniff local printed no URL in ${START_TIMEOUT_MS} ms; stdout: ${out}; stderr: ${stderr()}`)), START_TIMEOUT_MS);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise(`http://127.0.0.1:${m[1]}/`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`podsniff local exited with ${code} before listening; stderr: ${stderr()}`));
    });
  });
}

async function waitForReplay(url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const res = await fetch(new URL('api/v1/overview', url));
    if (res.ok) {
      const o = (await res.json()) as { replay: { done: boolean } | null };
      if (!o.replay || o.replay.done) return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the replay did not finish in time');
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
