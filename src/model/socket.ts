/**
 * Socket identity records: what one TCP/UDP socket on a node is, where it lives (network namespace) and
 * who holds it (process, container, pod). Plain data, safe to JSON-serialise; produced by `identity/`,
 * consumed by the API and (later) by attribution of captured flows.
 */

/** Transport protocol of a socket. */
export type SocketProto = 'tcp' | 'udp';

/** IP version of a socket's address family. */
export type IpFamily = 4 | 6;

/**
 * Kernel state names, as `ss` prints them in full. Unconnected UDP sockets are `UNCONN`; connected UDP
 * sockets are `ESTABLISHED`.
 */
export type SocketState =
  | 'ESTABLISHED'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'TIME_WAIT'
  | 'CLOSE'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'LISTEN'
  | 'CLOSING'
  | 'NEW_SYN_RECV'
  | 'UNCONN'
  | 'UNKNOWN';

/** Every socket state name, in kernel order (UNCONN last but one). */
export const SOCKET_STATES: readonly SocketState[] = [
  'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT',
  'LAST_ACK', 'LISTEN', 'CLOSING', 'NEW_SYN_RECV', 'UNCONN', 'UNKNOWN',
];

/** `established`, `TIME-WAIT`, `listen` … as a state name; null when it names no state. */
export function parseSocketState(text: string): SocketState | null {
  const name = text.trim().toUpperCase().replace(/-/g, '_');
  return (SOCKET_STATES as readonly string[]).includes(name) ? (name as SocketState) : null;
}

/** An IP address in canonical text form (dotted quad, or RFC 5952 IPv6) and a port. */
export interface SocketAddress {
  ip: string;
  port: number;
}

/** Which side of a conversation a socket is: it accepted (server) or initiated (client). */
export type SocketRole = 'server' | 'client' | null;

/** A container as named by its runtime, parsed from the process's cgroup path. */
export interface ContainerRef {
  id: string;
  runtime: 'containerd' | 'cri-o' | 'docker' | 'unknown';
}

/** A Kubernetes pod known by uid only (name/namespace come from the Kubernetes API, later). */
export interface PodRef {
  uid: string;
}

/** The process facts podsniff keeps for a socket owner. */
export interface ProcessInfo {
  pid: number;
  comm: string | null;
  exe: string | null;
  ppid: number | null;
  /** The pid inside the process's innermost pid namespace. */
  nspid: number | null;
  /** Real uid of the process. */
  uid: number | null;
  container: ContainerRef | null;
  pod: PodRef | null;
}

/**
 * One socket with its attribution: the record `podsniff scan --json` prints and the worker serves.
 * `pid` is null for sockets no process holds (TIME_WAIT, orphans); `sharedWith` lists the other pids that
 * hold the same socket (fork, SCM_RIGHTS), sorted, empty when not shared.
 */
export interface AttributedSocket {
  proto: SocketProto;
  family: IpFamily;
  state: SocketState;
  local: SocketAddress;
  remote: SocketAddress;
  /** Socket inode number; 0 for sockets without one (TIME_WAIT). */
  inode: number;
  /** Network namespace inode number. */
  netns: number;
  /** Name of the namespace under /run/netns when it is bind-mounted there, else null. */
  netnsName: string | null;
  role: SocketRole;
  pid: number | null;
  fd: number | null;
  comm: string | null;
  exe: string | null;
  ppid: number | null;
  nspid: number | null;
  uid: number | null;
  /** uid that created the socket, from the kernel's socket table. */
  socketUid: number;
  container: ContainerRef | null;
  pod: PodRef | null;
  sharedWith: number[];
}

/** Key that identifies a live socket on a node: network namespace + socket inode. */
export function socketKey(netns: number, proto: SocketProto, inode: number, local: SocketAddress, remote: SocketAddress): string {
  // Inode 0 sockets (TIME_WAIT) are told apart by their 4-tuple.
  return inode !== 0 ? `${netns}/${inode}` : `${netns}/${proto}/${local.ip}:${local.port}/${remote.ip}:${remote.port}`;
}
