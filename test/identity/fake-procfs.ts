/**
 * A procfs tree written to a temporary folder, for deterministic tests of the scanner: pids with stat,
 * status, cgroup, exe, ns/net and fd links (plain symlinks read the same as procfs magic links), and
 * per-namespace socket tables copied into each member's net/. Files can be removed to model a process
 * that vanishes between two reads.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One socket-table row to write. Addresses as `a.b.c.d:port` or `[v6]:port`. */
export interface FakeRow {
  local: string;
  remote?: string;
  /** Kernel state number in hex, e.g. '0A' LISTEN, '01' ESTABLISHED, '06' TIME_WAIT, '07' CLOSE. */
  st: string;
  inode: number;
  uid?: number;
}

/** Tables of one namespace. */
export interface FakeNamespace {
  tcp?: FakeRow[];
  tcp6?: FakeRow[];
  udp?: FakeRow[];
  udp6?: FakeRow[];
  addresses4?: string[];
}

/** One process to write. */
export interface FakeProcess {
  pid: number;
  netns: number;
  comm?: string;
  ppid?: number;
  uid?: number;
  nspid?: number;
  startTime?: number;
  /** stat state letter; default S. */
  state?: string;
  cgroup?: string;
  exe?: string;
  /** fd number -> socket inode (number) or another link target (string). */
  fds?: Record<number, number | string>;
}

/** Builder of a fake procfs tree. */
export class FakeProcfs {
  readonly root = mkdtempSync(join(tmpdir(), 'podsniff-fakeproc-'));
  private readonly namespaces = new Map<number, FakeNamespace>();

  constructor() {
    mkdirSync(join(this.root, 'sys/net/ipv4'), { recursive: true });
    writeFileSync(join(this.root, 'sys/net/ipv4/ip_local_port_range'), '32768\t60999\n');
  }

  /** Define (or redefine) a namespace's tables; members added later get them. */
  namespace(inode: number, tables: FakeNamespace): this {
    this.namespaces.set(inode, tables);
    return this;
  }

  /** Write a process directory. */
  process(p: FakeProcess): this {
    const dir = join(this.root, String(p.pid));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'ns'), { recursive: true });
    mkdirSync(join(dir, 'fd'));
    mkdirSync(join(dir, 'net'));
    const comm = p.comm ?? `proc${p.pid}`;
    const ppid = p.ppid ?? 1;
    writeFileSync(join(dir, 'stat'), `${p.pid} (${comm}) ${p.state ?? 'S'} ${ppid} ${p.pid} ${p.pid} 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 ${p.startTime ?? 1000 + p.pid} 0 0\n`);
    const uid = p.uid ?? 0;
    writeFileSync(join(dir, 'status'), `Name:\t${comm}\nPid:\t${p.pid}\nPPid:\t${ppid}\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\nNSpid:\t${p.pid}${p.nspid !== undefined ? `\t${p.nspid}` : ''}\n`);
    writeFileSync(join(dir, 'cgroup'), p.cgroup ?? '0::/user.slice\n');
    symlinkSync(p.exe ?? `/usr/bin/${comm}`, join(dir, 'exe'));
    symlinkSync(`net:[${p.netns}]`, join(dir, 'ns/net'));
    for (const [fd, target] of Object.entries(p.fds ?? {})) {
      symlinkSync(typeof target === 'number' ? `socket:[${target}]` : target, join(dir, 'fd', fd));
    }
    this.writeTables(dir, this.namespaces.get(p.netns) ?? {});
    return this;
  }

  /** Rewrite the tables of every member of `netns` (call after `namespace()` changes). */
  refreshTables(netns: number, pids: number[]): this {
    for (const pid of pids) this.writeTables(join(this.root, String(pid)), this.namespaces.get(netns) ?? {});
    return this;
  }

  /** Remove a file or folder of a pid (relative path), or the whole pid with ''. */
  remove(pid: number, relative = ''): this {
    rmSync(join(this.root, String(pid), relative), { recursive: true, force: true });
    return this;
  }

  destroy(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private writeTables(dir: string, ns: FakeNamespace): void {
    writeFileSync(join(dir, 'net/tcp'), tableText(ns.tcp ?? [], 4));
    writeFileSync(join(dir, 'net/tcp6'), tableText(ns.tcp6 ?? [], 6));
    writeFileSync(join(dir, 'net/udp'), tableText(ns.udp ?? [], 4));
    writeFileSync(join(dir, 'net/udp6'), tableText(ns.udp6 ?? [], 6));
    const locals = ['127.0.0.1', ...(ns.addresses4 ?? [])];
    writeFileSync(join(dir, 'net/fib_trie'), 'Local:\n' + locals.map((ip) => `  |-- ${ip}\n     /32 host LOCAL\n`).join(''));
    writeFileSync(join(dir, 'net/if_inet6'), '00000000000000000000000000000001 01 80 10 80       lo\n');
  }
}

/** Kernel text of a table (little-endian host words). */
export function tableText(rows: FakeRow[], family: 4 | 6): string {
  const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  return header + rows.map((r, i) => {
    const remote = r.remote ?? (family === 4 ? '0.0.0.0:0' : '[::]:0');
    return `${String(i).padStart(4)}: ${hexAddress(r.local, family)} ${hexAddress(remote, family)} ${r.st} 00000000:00000000 00:00000000 00000000 ${String(r.uid ?? 0).padStart(5)}        0 ${r.inode} 1 0000000000000000 100 0 0 10 0\n`;
  }).join('');
}

function hexAddress(text: string, family: 4 | 6): string {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  if (!m) throw new Error(`bad address ${text}`);
  const port = Number(m[2]).toString(16).toUpperCase().padStart(4, '0');
  if (family === 4) {
    const b = m[1]!.split('.').map(Number);
    return [b[3], b[2], b[1], b[0]].map((x) => x!.toString(16).toUpperCase().padStart(2, '0')).join('') + ':' + port;
  }
  const bytes = ipv6Bytes(m[1]!);
  let hex = '';
  for (let w = 0; w < 4; w++) for (let b = 3; b >= 0; b--) hex += bytes[w * 4 + b]!.toString(16).toUpperCase().padStart(2, '0');
  return `${hex}:${port}`;
}

function ipv6Bytes(ip: string): number[] {
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  const words = [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t].map((w) => parseInt(w, 16));
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}
