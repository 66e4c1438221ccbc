/**
 * The in-memory picture of a node: processes (by pid, with their network namespace and socket fds),
 * namespaces (members, addresses, sockets by table) and the indexes that join them. Mutated only by
 * scan passes running on a `SliceExecutor`, i.e. by one logical thread; readers see consistent
 * namespaces because passes replace a namespace's tables at once.
 */
import { plainIp, type AttributedSocket, type ProcessInfo } from '../model/index.js';

/** A process instance. `startTime` tells it apart from a later process that reuses the pid. */
export interface ProcessEntry {
  pid: number;
  startTime: number;
  netns: number;
  comm: string;
  ppid: number;
  /** Socket inode -> lowest fd holding it. Valid once `walked`. */
  sockets: Map<number, number>;
  walked: boolean;
  /** status/exe/cgroup facts; read only for processes that hold sockets. */
  info: ProcessInfo | null;
  /** When this entry was made (wall clock, ms): young processes are the ones that still change namespace. */
  seenAtMs: number;
}

/** A network namespace as seen through its member processes. */
export interface NamespaceEntry {
  inode: number;
  name: string | null;
  members: Set<number>;
  /** Local addresses (IPv4 + IPv6), from fib_trie and if_inet6. */
  addresses: Set<string>;
  /** Table file ('tcp', 'tcp6', 'udp', 'udp6') -> socket key -> record. */
  tables: Map<string, Map<string, AttributedSocket>>;
  /**
   * Socket inodes that stayed without an owner after the members were walked again (held by the kernel,
   * in flight in a unix message, or by a process that cannot be read): they do not trigger another walk.
   */
  unresolved: Set<number>;
  /** Membership changed since the namespace was last read. */
  dirty: boolean;
  /** True once its tables have been read at least once. */
  read: boolean;
}

/** Processes, namespaces and the socket-owner index of one node. */
export class NodeState {
  readonly processes = new Map<number, ProcessEntry>();
  readonly namespaces = new Map<number, NamespaceEntry>();
  /** Socket inode -> pids holding it (any namespace). */
  readonly owners = new Map<number, Set<number>>();
  /** Flow key (proto, local, remote; IPv4-mapped addresses unmapped) -> records. */
  private readonly flows = new Map<string, AttributedSocket[]>();
  private socketCount = 0;

  /** Register a process; marks its namespace dirty. Replaces an earlier entry for the same pid. */
  addProcess(entry: ProcessEntry): void {
    if (this.processes.has(entry.pid)) this.removeProcess(entry.pid);
    this.processes.set(entry.pid, entry);
    const ns = this.namespace(entry.netns);
    ns.members.add(entry.pid);
    ns.dirty = true;
  }

  /** Forget a process and the sockets it held; marks its namespace dirty. */
  removeProcess(pid: number): void {
    const entry = this.processes.get(pid);
    if (!entry) return;
    this.clearSockets(entry);
    this.processes.delete(pid);
    const ns = this.namespaces.get(entry.netns);
    if (ns) {
      ns.members.delete(pid);
      ns.dirty = true;
    }
  }

  /** Record that `entry` holds `inode` on `fd`. */
  addSocketFd(entry: ProcessEntry, fd: number, inode: number): void {
    const known = entry.sockets.get(inode);
    if (known === undefined || fd < known) entry.sockets.set(inode, fd);
    let pids = this.owners.get(inode);
    if (!pids) this.owners.set(inode, (pids = new Set()));
    pids.add(entry.pid);
  }

  /** Drop the fd map of a process before it is walked again. */
  clearSockets(entry: ProcessEntry): void {
    for (const inode of entry.sockets.keys()) {
      const pids = this.owners.get(inode);
      if (!pids) continue;
      pids.delete(entry.pid);
      if (!pids.size) this.owners.delete(inode);
    }
    entry.sockets.clear();
    entry.walked = false;
  }

  /** The namespace entry for `inode`, created empty when new. */
  namespace(inode: number): NamespaceEntry {
    let ns = this.namespaces.get(inode);
    if (!ns) {
      ns = { inode, name: null, members: new Set(), addresses: new Set(), tables: new Map(), unresolved: new Set(), dirty: true, read: false };
      this.namespaces.set(inode, ns);
    }
    return ns;
  }

  /** Replace one table of a namespace, keeping the flow index in step. */
  replaceTable(ns: NamespaceEntry, file: string, records: Map<string, AttributedSocket>): void {
    const old = ns.tables.get(file);
    if (old) for (const record of old.values()) this.unindex(record);
    for (const record of records.values()) this.index(record);
    ns.tables.set(file, records);
  }

  /** Remove a namespace that has no members left, with its sockets. */
  dropNamespace(ns: NamespaceEntry): void {
    for (const file of [...ns.tables.keys()]) this.replaceTable(ns, file, new Map());
    this.namespaces.delete(ns.inode);
  }

  /** Records whose (proto, local, remote) equals the arguments, in any namespace. */
  findFlow(proto: string, localIp: string, localPort: number, remoteIp: string, remotePort: number): AttributedSocket[] {
    return this.flows.get(flowKey(proto, localIp, localPort, remoteIp, remotePort)) ?? [];
  }

  /** Every record, namespace by namespace (namespaces in inode order). */
  *allSockets(): Generator<AttributedSocket> {
    const inodes = [...this.namespaces.keys()].sort((a, b) => a - b);
    for (const inode of inodes) {
      for (const table of this.namespaces.get(inode)!.tables.values()) yield* table.values();
    }
  }

  /** Number of records in the table. */
  get sockets(): number {
    return this.socketCount;
  }

  private index(record: AttributedSocket): void {
    const key = flowKey(record.proto, record.local.ip, record.local.port, record.remote.ip, record.remote.port);
    const list = this.flows.get(key);
    if (list) list.push(record);
    else this.flows.set(key, [record]);
    this.socketCount++;
  }

  private unindex(record: AttributedSocket): void {
    const key = flowKey(record.proto, record.local.ip, record.local.port, record.remote.ip, record.remote.port);
    const list = this.flows.get(key);
    if (list) {
      const at = list.indexOf(record);
      if (at >= 0) list.splice(at, 1);
      if (!list.length) this.flows.delete(key);
    }
    this.socketCount--;
  }
}

/** IPv4-mapped IPv6 (`::ffff:a.b.c.d`) keys equal to the IPv4 address. */
function flowKey(proto: string, localIp: string, localPort: number, remoteIp: string, remotePort: number): string {
  return `${proto}|${plainIp(localIp)}|${localPort}|${plainIp(remoteIp)}|${remotePort}`;
}
