/**
 * A DNS flood on loopback (test/worker/scripts/dns-flood.py) for the flood test and
 * bench/health-under-load: more queries than a worker at 0.25 CPU can dissect.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FLOOD_SCRIPT = fileURLToPath(new URL('../worker/scripts/dns-flood.py', import.meta.url));

/** Starts a flood of 127.0.0.1:`port` lasting at least `seconds` and at least `queries` queries. */
export function startFlood(port: number, seconds: number, queries = 0): ChildProcess {
  return spawn('python3', [FLOOD_SCRIPT, String(port), String(seconds), String(queries)], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs a flood to its end; resolves with the number of queries it sent. */
export function runFlood(port: number, seconds: number, queries = 0): Promise<number> {
  const flood = startFlood(port, seconds, queries);
  let stdout = '';
  let stderr = '';
  flood.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  flood.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    flood.once('error', reject);
    flood.once('exit', (code) => (code === 0 ? resolve(Number(stdout.trim())) : reject(new Error(`dns-flood.py exited ${code}: ${stderr}`))));
  });
}
