// Client side of holder.py: spec/report types and a handle speaking its stdin/stdout line protocol.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CgroupPlacement } from './cgroups.js';
import type { PidRec } from './proc.js';
import { isAlive, signalIfSame } from './proc.js';

/** Absolute path of holder.py. */
export const HOLDER_PY = fileURLToPath(new URL('./holder.py', import.meta.url));
/** Interpreter used for holders. */
export const PYTHON = '/usr/bin/python3';

/** An address/port pair as reported by getsockname/getpeername (IPv6 compressed, no scope). */
export interface Endpoint {
  ip: string;
  port: number;
}

/** Role of a held socket. */
export type SocketKind = 'listen' | 'accepted' | 'connected' | 'udp-bound' | 'udp-connected';

/** One socket held by a holder process. */
export interface SocketInfo {
  fd: number;
  proto: 'tcp' | 'udp';
  family: 4 | 6;
  kind: SocketKind;
  local: Endpoint;
  /** Peer, or {ip: '0.0.0.0' | '::', port: 0} when unconnected. */
  remote: Endpoint;
}

/** What a holder reports: its pid, every socket it holds, and its forked child if any. */
export interface Report {
  pid: number;
  sockets: SocketInfo[];
  childPid?: number;
}

/** Sockets for holder.py to open (all optional; family defaults from the ip: ':' means 6). */
export interface HolderSpec {
  listen?: { ip?: string; port?: number; family?: 4 | 6 }[];
  connect?: { ip: string; port: number; family?: 4 | 6; count?: number }[];
  udpBind?: { ip?: string; port?: number; family?: 4 | 6 }[];
  udpConnect?: { ip: string; port: number; family?: 4 | 6; localPort?: number }[];
  /** One extra listener on 127.0.0.1:0 plus N clients to it and their N accepted ends. */
  loopbackPairs?: number;
  /** Fork once after opening sockets; the child holds copies until the parent exits. */
  forkChild?: boolean;
}

/** A running holder.py process. */
export interface Holder {
  readonly pid: number;
  /** Container id (64 hex) whose cgroup holds the process; null for spawnInRoot. */
  readonly containerId: string | null;
  readonly podUid: string | null;
  /** Network namespace name; null for the host namespace. */
  readonly netns: string | null;
  /** Where the process was placed; null for spawnInRoot. */
  readonly cgroup: CgroupPlacement | null;
  /** The first report, printed once the spec's sockets were open (the ready signal). */
  readonly initial: Report;
  /** Pid of the forked child (spec.forkChild), else null. */
  readonly childPid: number | null;
  /** Asks for a fresh report (pending connections are accepted first). */
  report(): Promise<Report>;
  /** Opens more client/server sockets per `spec`, then resolves to the new report. */
  connect(spec: HolderSpec): Promise<Report>;
  /** Closes stdin (clean exit), escalating to SIGTERM/SIGKILL; resolves once it and its child are gone. */
  stop(): Promise<void>;
}

/** Identity data attached to a holder by the spawner. */
export interface HolderMeta {
  containerId: string | null;
  podUid: string | null;
  netns: string | null;
  cgroup: CgroupPlacement | null;
}

type Pending = { resolve: (r: Report) => void; reject: (e: Error) => void };

class HolderProcess implements Holder {
  readonly pid: number;
  initial!: Report;
  childPid: number | null = null;
  childRec: PidRec | null = null;
  private buf = '';
  private stderr = '';
  private readonly pending: Pending[] = [];
  private readonly exited: Promise<void>;
  private exitInfo: string | null = null;

  constructor(
    private readonly child: ChildProcess,
    private readonly meta: HolderMeta,
  ) {
    if (child.pid === undefined) throw new Error('holder spawn failed (no pid)');
    this.pid = child.pid;
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (s: string) => this.onData(s));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => {
      if (this.stderr.length < 65536) this.stderr += s;
    });
    child.stdin!.on('error', () => undefined); // EPIPE after exit: surfaced via the exit path
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = `holder ${this.pid} exited (${signal ?? code})${this.stderr ? `: ${this.stderr.trim()}` : ''}`;
        for (const p of this.pending.splice(0)) p.reject(new Error(this.exitInfo));
        resolve();
      });
    });
  }

  get containerId(): string | null {
    return this.meta.containerId;
  }
  get podUid(): string | null {
    return this.meta.podUid;
  }
  get netns(): string | null {
    return this.meta.netns;
  }
  get cgroup(): CgroupPlacement | null {
    return this.meta.cgroup;
  }

  private onData(s: string): void {
    this.buf += s;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      const p = this.pending.shift();
      if (!p) continue;
      try {
        const msg = JSON.parse(line) as Report | { error: string };
        if ('error' in msg) p.reject(new Error(`holder ${this.pid}: ${msg.error}`));
        else p.resolve(msg);
      } catch (e) {
        p.reject(new Error(`holder ${this.pid}: bad report line: ${line.slice(0, 200)} (${String(e)})`));
      }
    }
  }

  private request(line: string | null): Promise<Report> {
    if (this.exitInfo !== null) return Promise.reject(new Error(this.exitInfo));
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      if (line !== null) this.child.stdin!.write(`${line}\n`);
    });
  }

  /** Waits for the ready report (or failure/timeout). */
  async ready(timeoutMs: number): Promise<Report> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`holder ${this.pid} not ready after ${timeoutMs} ms: ${this.stderr.trim()}`)), timeoutMs);
    });
    try {
      this.initial = await Promise.race([this.request(null), timeout]);
    } catch (e) {
      this.child.kill('SIGKILL');
      throw e;
    } finally {
      clearTimeout(timer);
    }
    if (this.initial.pid !== this.pid) throw new Error(`holder reports pid ${this.initial.pid}, spawned pid is ${this.pid}`);
    return this.initial;
  }

  report(): Promise<Report> {
    return this.request('report');
  }

  connect(spec: HolderSpec): Promise<Report> {
    return this.request(`connect ${JSON.stringify(spec)}`);
  }

  private async waitExit(ms: number): Promise<boolean> {
    if (this.exitInfo !== null) return true;
    let timer: NodeJS.Timeout | undefined;
    const t = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
    const done = await Promise.race([this.exited.then(() => true), t]);
    clearTimeout(timer);
    return done;
  }

  async stop(): Promise<void> {
    if (this.exitInfo === null) {
      this.child.stdin!.end();
      if (!(await this.waitExit(1000))) {
        this.child.kill('SIGTERM');
        if (!(await this.waitExit(1000))) {
          this.child.kill('SIGKILL');
          await this.waitExit(5000);
        }
      }
    }
    const rec = this.childRec;
    if (rec !== null) {
      const deadline = Date.now() + 1000;
      while (isAlive(rec) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      signalIfSame(rec, 'SIGKILL');
    }
  }
}

/**
 * Wraps a spawned holder.py `child` (stdio all 'pipe') and waits for its ready report.
 * `onReady` runs before resolving (e.g. to register the forked child) and may return the child's
 * identity so stop() can make sure it is gone. Rejects (after SIGKILL) on early exit or timeout.
 */
export async function attachHolder(
  child: ChildProcess,
  meta: HolderMeta,
  onReady: (r: Report) => PidRec | null,
  readyTimeoutMs = 20_000,
): Promise<Holder> {
  const h = new HolderProcess(child, meta);
  const r = await h.ready(readyTimeoutMs);
  h.childPid = r.childPid ?? null;
  h.childRec = onReady(r);
  return h;
}
