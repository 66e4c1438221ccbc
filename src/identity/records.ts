/**
 * Turning a socket-table row plus the owner index into an `AttributedSocket`, and roles. A socket held by
 * several processes is attributed to the lowest pid (the parent, for a fork); the others are listed in
 * `sharedWith`. Pure functions over `NodeState`.
 */
import type { AttributedSocket, SocketRole } from '../model/index.js';
import { stateName, type SocketTableRow } from '../procfs/index.js';
import type { NamespaceEntry, NodeState, ProcessEntry } from './node-state.js';

const NO_OWNER = { pid: null, fd: null, comm: null, exe: null, ppid: null, nspid: null, uid: null, container: null, pod: null };

/** A fresh record for `row` in `ns`, attributed from `state.owners`. Role is set by `assignRoles`. */
export function buildRecord(row: SocketTableRow, ns: NamespaceEntry, state: NodeState): AttributedSocket {
  const record: AttributedSocket = {
    proto: row.proto,
    family: row.family,
    state: stateName(row.proto, row.state),
    local: { ip: row.localIp, port: row.localPort },
    remote: { ip: row.remoteIp, port: row.remotePort },
    inode: row.inode,
    netns: ns.inode,
    netnsName: ns.name,
    role: null,
    ...NO_OWNER,
    socketUid: row.uid,
    sharedWith: [],
  };
  attachOwner(record, state);
  return record;
}

/** Fill (or refill) the owner fields of `record` from the owner index. Returns true when it has one. */
export function attachOwner(record: AttributedSocket, state: NodeState): boolean {
  const pids = record.inode ? state.owners.get(record.inode) : undefined;
  let owner: ProcessEntry | undefined;
  const shared: number[] = [];
  if (pids) {
    for (const pid of [...pids].sort((a, b) => a - b)) {
      const entry = state.processes.get(pid);
      if (!entry) continue;
      if (!owner) owner = entry;
      else shared.push(pid);
    }
  }
  if (!owner) {
    Object.assign(record, NO_OWNER);
    record.sharedWith = [];
    return false;
  }
  const info = owner.info;
  record.pid = owner.pid;
  record.fd = owner.sockets.get(record.inode) ?? null;
  record.comm = info?.comm ?? owner.comm;
  record.exe = info?.exe ?? null;
  record.ppid = info?.ppid ?? owner.ppid;
  record.nspid = info?.nspid ?? null;
  record.uid = info?.uid ?? null;
  record.container = info?.container ?? null;
  record.pod = info?.pod ?? null;
  record.sharedWith = shared;
  return true;
}

/**
 * Set `role` on every record of a namespace. TCP: LISTEN is server; a connection whose local address is
 * served by a listener of the same namespace (same port; listener on that IP or a wildcard) is server,
 * any other connection client. UDP: an unconnected socket bound outside the ephemeral port range is a
 * server, inside it unknown (null); a connected one is server when an unconnected socket of the
 * namespace serves its local port, else client.
 */
export function assignRoles(ns: NamespaceEntry, ephemeral: readonly [number, number]): void {
  const listeners = new Map<string, string[]>();
  for (const table of ns.tables.values()) {
    for (const r of table.values()) {
      if (!isListening(r)) continue;
      const key = `${r.proto}|${r.local.port}`;
      const ips = listeners.get(key);
      if (ips) ips.push(r.local.ip);
      else listeners.set(key, [r.local.ip]);
    }
  }
  for (const table of ns.tables.values()) {
    for (const r of table.values()) r.role = roleOf(r, listeners, ephemeral);
  }
}

function isListening(r: AttributedSocket): boolean {
  return r.proto === 'tcp' ? r.state === 'LISTEN' : r.state === 'UNCONN';
}

function roleOf(r: AttributedSocket, listeners: Map<string, string[]>, ephemeral: readonly [number, number]): SocketRole {
  if (isListening(r)) {
    if (r.proto === 'tcp') return 'server';
    return r.local.port < ephemeral[0] || r.local.port > ephemeral[1] ? 'server' : null;
  }
  const ips = listeners.get(`${r.proto}|${r.local.port}`);
  if (ips?.some((ip) => servesAddress(ip, r.local.ip))) return 'server';
  return 'client';
}

function servesAddress(listenerIp: string, localIp: string): boolean {
  if (listenerIp === '0.0.0.0' || listenerIp === '::' || listenerIp === localIp) return true;
  return localIp.startsWith('::ffff:') && localIp.slice(7) === listenerIp;
}
