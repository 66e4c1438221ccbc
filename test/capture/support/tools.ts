/**
 * Real capture tools for tests: start tcpdump/dumpcap on loopback and stop them by pid, make HTTP
 * traffic on a port of our own, and read a file back with tshark for comparison.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { PodsniffError } from '../../../src/model/index.js';

const exec = promisify(execFile);

export const isRoot = process.getuid?.() === 0;

/** A running capture tool. */
export interface ToolCapture {
  child: ChildProcess;
  stderr: () => string;
  /** SIGINT, then waits for exit; resolves with its stderr. */
  stop(): Promise<string>;
}

/** Starts `cmd args` and waits until its stderr contains `ready` (e.g. "listening on"). */
export async function startTool(cmd: string, args: string[], ready: RegExp, timeoutMs = 15_000): Promise<ToolCapture> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8');
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} not ready after ${timeoutMs} ms: ${err}`)), timeoutMs);
    child.on('exit', (code) => reject(new Error(`${cmd} exited (${code}) before it was ready: ${err}`)));
    child.stderr.on('data', (d: string) => {
      err += d;
      if (ready.test(err)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    child,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGINT');
      await exited;
      return err;
    },
  };
}

/** An HTTP server on 127.0.0.1 answering with `size` bytes given in the path (/123). */
export async function startHttpServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const size = Number(req.url?.slice(1)) || 1;
    res.end(Buffer.alloc(size, 0x61));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

/** Makes one GET per size, one after the other, each on a new connection. */
export async function httpTraffic(port: number, sizes: number[]): Promise<void> {
  for (const size of sizes) {
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: `/${size}`, agent: false }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  }
}

/** One frame as tshark sees it. `time` is "sec.nnnnnnnnn". */
export interface TsharkFrame {
  len: number;
  caplen: number;
  time: string;
  iface: number;
  md5: string;
}

/** Reads `file` with tshark: length, captured length, epoch time, interface and MD5 of each frame. */
export async function tsharkFrames(file: string): Promise<TsharkFrame[]> {
  const { stdout } = await exec(
    'tshark',
    ['-n', '-r', file, '-o', 'frame.generate_md5_hash:TRUE', '-T', 'fields', '-E', 'separator=,',
      '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.time_epoch', '-e', 'frame.interface_id', '-e', 'frame.md5_hash'],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  return stdout.split('\n').filter(Boolean).map((line) => {
    const [len, caplen, time, iface, md5] = line.split(',');
    return { len: Number(len), caplen: Number(caplen), time: time!, iface: Number(iface || 0), md5: md5! };
  });
}

/** Runs a command to completion (editcap, mergecap...). */
export async function runTool(cmd: string, args: string[]): Promise<string> {
  return (await exec(cmd, args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
}

/** The PodsniffError `p` rejects with (anything else fails the test). */
export async function rejection(p: Promise<unknown>): Promise<PodsniffError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PodsniffError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}
