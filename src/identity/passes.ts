/**
 * Scan passes over a node, as generators for the `SliceExecutor`:
 * - `fullPass`: every process walked again, every namespace's tables read once (shared by all its members).
 * - `refreshPass`: new and reused pids found; only namespaces whose membership changed are read again.
 * - `lookupPass`: flows resolved by reading only the namespaces that can own their addresses (a batch
 *   of queries shares one pass).
 * Cost of a full pass: O(pids + fds + sockets) reads, one table read per namespace (DESIGN.md rule 2).
 */
import { isNamespaceLocalIp, plainIp, socketKey, type AttributedSocket, type FlowQuery, type ProcessInfo } from '../model/index.js';
import { ProcfsReadError, readNetnsNames, SOCKET_TABLES, type SocketTableRow } from '../procfs/index.js';
import { SAFE_POINT, type Pause } from './executor.js';
import type { NamespaceEntry, ProcessEntry } from './node-state.js';
import { noteFailure, tolerate, type PassContext } from './pass-context.js';
import { assignRoles, attachOwner, buildRecord } from './records.js';

type TableSpec = (typeof SOCKET_TABLES)[number];

/** Re-read everything: all processes walked, all namespaces read. Returns how many namespaces. */
export function* fullPass(ctx: PassContext): Generator<Pause, number> {
  return yield* nodePass(ctx, () => true, 'all');
}

/** Find new processes and re-read only namespaces whose membership changed. Returns how many. */
export function* refreshPass(ctx: PassContext): Generator<Pause, number> {
  return yield* nodePass(ctx, (ns) => ns.dirty || !ns.read, 'new');
}

/** Sync processes, then read every namespace `wanted` selects, with safe points between namespaces. */
function* nodePass(ctx: PassContext, wanted: (ns: NamespaceEntry) => boolean, rewalk: 'all' | 'new'): Generator<Pause, number> {
  yield* syncProcesses(ctx, 'all');
  applyNames(ctx);
  const namespaces = sortedNamespaces(ctx).filter(wanted);
  ctx.progress.namespacesTotal = namespaces.length;
  for (const ns of namespaces) {
    yield* readOrDrop(ctx, ns, SOCKET_TABLES, rewalk);
    ctx.progress.namespacesDone++;
    yield SAFE_POINT;
  }
  attachUnownedIn(ctx, namespaces);
  if (rewalk === 'all') for (const ns of namespaces) ns.unresolved = unownedInodes(ns.tables.values());
  finishCounters(ctx);
  return namespaces.length;
}

/** Re-read the namespaces that can hold either end of `query`. Returns how many were read. */
export function* lookupPass(ctx: PassContext, queries: readonly FlowQuery[]): Generator<Pause, number> {
  // New and young pids only: a lookup races the connection it looks for (a short-lived client may be
  // gone in a few ms), and re-stat'ing every known pid is most of its cost. Young pids are rechecked
  // because they are the ones that still move: nsenter and runc init join the pod's namespace and exec
  // the server after they were first seen (kept in the old namespace, the server's sockets would stay
  // unowned and its calls final without a process). Reused pids are still caught: an fd walk counts
  // only if the pid's start time is unchanged (see walkProcess), and refreshes recheck all.
  yield* syncProcesses(ctx, 'young');
  applyNames(ctx);
  const live = sortedNamespaces(ctx).filter((ns) => ns.members.size > 0);
  for (const ns of live) if (!ns.read) readAddresses(ctx, ns);
  // Several queries share one pass: each namespace is read once, for the union of the tables they need.
  const plan = new Map<NamespaceEntry, Set<TableSpec>>();
  for (const query of queries) {
    const tables = SOCKET_TABLES.filter((t) => t.proto === query.proto && (t.family === 6 || isIpv4(query.local.ip)));
    for (const ns of candidateNamespaces(live, query)) {
      const wanted = plan.get(ns) ?? new Set<TableSpec>();
      for (const table of tables) wanted.add(table);
      plan.set(ns, wanted);
    }
  }
  const candidates = [...plan.keys()].sort((a, b) => a.inode - b.inode);
  ctx.progress.namespacesTotal = candidates.length;
  for (const ns of candidates) {
    const wanted = plan.get(ns)!;
    yield* readOrDrop(ctx, ns, SOCKET_TABLES.filter((t) => wanted.has(t)), 'new');
    ctx.progress.namespacesDone++;
    yield;
  }
  attachUnownedIn(ctx, candidates);
  return candidates.length;
}

/** Processes first seen less than this long ago are rechecked by lookups (they may still change namespace). */
export const YOUNG_PROCESS_MS = 10_000;

/**
 * List pids; forget the gone, add the new; recheck known pids for reuse and namespace moves: all of
 * them, or (`young`) only those first seen within `YOUNG_PROCESS_MS`.
 */
function* syncProcesses(ctx: PassContext, recheck: 'all' | 'young'): Generator<Pause, void> {
  const { reader, state, progress } = ctx;
  const pids = reader.listPids();
  progress.pidsTotal = pids.length;
  progress.pidsDone = 0;
  const present = new Set(pids);
  for (const pid of [...state.processes.keys()]) if (!present.has(pid)) state.removeProcess(pid);
  const youngSince = Date.now() - YOUNG_PROCESS_MS;
  for (const pid of pids) {
    const known = state.processes.get(pid);
    if (!known || recheck === 'all' || known.seenAtMs >= youngSince) syncProcess(ctx, pid, known);
    if (++progress.pidsDone % 64 === 0) yield;
  }
  ctx.counters.pids = state.processes.size;
}

function syncProcess(ctx: PassContext, pid: number, known: ProcessEntry | undefined): void {
  const stat = tolerate(ctx, pid, () => ctx.reader.stat(pid), null);
  if (stat?.state === 'Z') {
    // A zombie holds nothing any more and has no namespace to read: not an error, not churn.
    ctx.state.removeProcess(pid);
    return;
  }
  const netns = stat ? tolerate(ctx, pid, () => ctx.reader.netnsInode(pid), null) : null;
  if (!stat || netns === null) {
    ctx.state.removeProcess(pid);
    return;
  }
  // Same start time, namespace and name: the same process image as before; keep what we know.
  if (known && known.startTime === stat.startTime && known.netns === netns && known.comm === stat.comm) return;
  const seenAtMs = known && known.startTime === stat.startTime ? known.seenAtMs : Date.now();
  ctx.state.addProcess({ pid, startTime: stat.startTime, netns, comm: stat.comm, ppid: stat.ppid, sockets: new Map(), walked: false, info: null, seenAtMs });
}

function* readOrDrop(ctx: PassContext, ns: NamespaceEntry, tables: readonly TableSpec[], rewalk: 'all' | 'new'): Generator<Pause, void> {
  const ok = ns.members.size > 0 && (yield* readNamespace(ctx, ns, tables, rewalk));
  if (!ok) ctx.state.dropNamespace(ns);
}

/**
 * Read `tables` of one namespace (from its first live member) and rebuild their records. Members are
 * walked first (`all`: every member; `new`: those not walked yet); if a socket then has no known owner,
 * the members are walked once more (a process opened it since). Returns false when no member is alive.
 */
function* readNamespace(ctx: PassContext, ns: NamespaceEntry, tables: readonly TableSpec[], rewalk: 'all' | 'new'): Generator<Pause, boolean> {
  const members = (): ProcessEntry[] => [...ns.members].sort((a, b) => a - b).map((pid) => ctx.state.processes.get(pid)!);
  for (const entry of members()) if (rewalk === 'all' || !entry.walked) yield* walkProcess(ctx, entry);
  const built = new Map<string, Map<string, AttributedSocket>>();
  for (const table of tables) {
    const records = yield* readTable(ctx, ns, table);
    if (!records) return false;
    built.set(table.file, records);
  }
  if (rewalk === 'new' && hasUnowned(built, ns.unresolved)) {
    for (const entry of members()) yield* walkProcess(ctx, entry);
    for (const records of built.values()) attachUnowned(ctx, records);
    ns.unresolved = unownedInodes(built.values());
  }
  for (const [file, records] of built) ctx.state.replaceTable(ns, file, records);
  readAddresses(ctx, ns);
  assignRoles(ns, ctx.ephemeral);
  if (tables.length === SOCKET_TABLES.length) {
    ns.dirty = false;
    ns.read = true;
  }
  return true;
}

/**
 * Records of one table, read through the first member that is still alive; null when none is. Records
 * are built as rows stream in (no intermediate row list: less garbage, shorter GC pauses).
 */
function* readTable(ctx: PassContext, ns: NamespaceEntry, table: TableSpec): Generator<Pause, Map<string, AttributedSocket> | null> {
  for (const pid of [...ns.members].sort((a, b) => a - b)) {
    const rows = new Map<string, AttributedSocket>();
    const onRow = (row: SocketTableRow): void => {
      const record = buildRecord(row, ns, ctx.state);
      rows.set(socketKey(ns.inode, record.proto, record.inode, record.local, record.remote), record);
    };
    try {
      yield* ctx.reader.readSocketTable(pid, table, onRow);
      // The pid may have been reused by a process of another namespace since it was listed: the table
      // counts only if the pid is still in this namespace after the read.
      if (ctx.reader.netnsInode(pid) !== ns.inode) throw new ProcfsReadError(`${ctx.reader.root}/${pid}/ns/net`, 'ESRCH');
      ctx.counters.sockets += rows.size;
      return rows;
    } catch (err) {
      if (tableAbsent(ctx, ns, pid, err)) return new Map();
      noteFailure(ctx, pid, err);
      ctx.state.removeProcess(pid);
    }
  }
  return null;
}

/** A table file missing while its process is alive in the namespace: the kernel has no such table
 * (IPv6 disabled: no tcp6/udp6). That is an empty table, not a vanished process. */
function tableAbsent(ctx: PassContext, ns: NamespaceEntry, pid: number, err: unknown): boolean {
  if (!(err instanceof ProcfsReadError) || err.errno !== 'ENOENT') return false;
  try {
    return ctx.reader.netnsInode(pid) === ns.inode;
  } catch {
    return false;
  }
}

/** Walk the fds of one process and, when it holds sockets, read who it is. */
function* walkProcess(ctx: PassContext, entry: ProcessEntry): Generator<Pause, void> {
  const { state } = ctx;
  state.clearSockets(entry);
  try {
    ctx.counters.fds += yield* ctx.reader.walkSocketFds(entry.pid, (fd, inode) => state.addSocketFd(entry, fd, inode));
    // A pid reused during the walk would lend its fds to the old process: keep the walk only if the
    // same process instance is still there after it.
    if (ctx.reader.stat(entry.pid).startTime !== entry.startTime) throw new ProcfsReadError(`${ctx.reader.root}/${entry.pid}/stat`, 'ESRCH');
  } catch (err) {
    noteFailure(ctx, entry.pid, err);
    if (ctx.vanished.has(entry.pid)) {
      state.removeProcess(entry.pid);
      return;
    }
  }
  entry.walked = true;
  if (entry.sockets.size && !entry.info) entry.info = readInfo(ctx, entry);
}

/** status, exe and cgroup of a socket owner; null when it vanished. */
function readInfo(ctx: PassContext, entry: ProcessEntry): ProcessInfo | null {
  const { reader } = ctx;
  const pid = entry.pid;
  const status = tolerate(ctx, pid, () => reader.status(pid), null);
  if (!status) return null;
  const exe = tolerate(ctx, pid, () => reader.exe(pid), null);
  const cgroup = tolerate(ctx, pid, () => reader.cgroup(pid), null);
  return {
    pid,
    comm: status.name ?? entry.comm,
    exe,
    ppid: status.ppid ?? entry.ppid,
    nspid: status.nspid,
    uid: status.uid,
    container: cgroup?.container ?? null,
    pod: cgroup?.pod ?? null,
  };
}

/** True when a socket has no owner and is not known to stay without one. */
function hasUnowned(tables: Map<string, Map<string, AttributedSocket>>, known: Set<number>): boolean {
  for (const records of tables.values()) {
    for (const record of records.values()) if (record.pid === null && record.inode !== 0 && !known.has(record.inode)) return true;
  }
  return false;
}

function unownedInodes(tables: Iterable<Map<string, AttributedSocket>>): Set<number> {
  const inodes = new Set<number>();
  for (const records of tables) for (const record of records.values()) if (record.pid === null && record.inode !== 0) inodes.add(record.inode);
  return inodes;
}

/** Give sockets without an owner the owner the index knows now (walked since they were built). */
function attachUnowned(ctx: PassContext, records: Map<string, AttributedSocket>): void {
  for (const record of records.values()) if (record.pid === null && record.inode !== 0) attachOwner(record, ctx.state);
}

/** Sockets whose owner lives in a namespace read later get their owner now. */
function attachUnownedIn(ctx: PassContext, namespaces: NamespaceEntry[]): void {
  for (const ns of namespaces) for (const records of ns.tables.values()) attachUnowned(ctx, records);
}

function readAddresses(ctx: PassContext, ns: NamespaceEntry): void {
  for (const pid of [...ns.members].sort((a, b) => a - b)) {
    const addresses = tolerate(ctx, pid, () => ctx.reader.localAddresses(pid), null);
    if (addresses) {
      ns.addresses = new Set(addresses);
      return;
    }
  }
}

/** Namespaces of `all` that can hold either end of `query` (every one for loopback or unknown addresses). */
function candidateNamespaces(all: NamespaceEntry[], query: FlowQuery): NamespaceEntry[] {
  if (query.netns !== undefined) return all.filter((ns) => ns.inode === query.netns);
  const wanted = [plainIp(query.local.ip), plainIp(query.remote.ip)];
  if (wanted.some(isNamespaceLocalIp)) return all;
  const owners = all.filter((ns) => wanted.some((ip) => ns.addresses.has(ip) || ns.addresses.has(`::ffff:${ip}`)));
  return owners.length ? owners : all;
}

function applyNames(ctx: PassContext): void {
  const names = readNetnsNames(ctx.netnsDir);
  for (const ns of ctx.state.namespaces.values()) ns.name = names.get(ns.inode) ?? null;
}

function sortedNamespaces(ctx: PassContext): NamespaceEntry[] {
  return [...ctx.state.namespaces.values()].sort((a, b) => a.inode - b.inode);
}

function finishCounters(ctx: PassContext): void {
  const { counters, state } = ctx;
  counters.namespaces = state.namespaces.size;
  counters.processes = [...state.processes.values()].filter((p) => p.sockets.size > 0).length;
}

function isIpv4(ip: string): boolean {
  return !ip.includes(':') || (ip.startsWith('::ffff:') && ip.includes('.'));
}

