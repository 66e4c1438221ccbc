/**
 * Scan progress and the connection-service contract between the identity stage and the API. The API only
 * ever sees these interfaces; the worker composition root binds them to `identity/`.
 */
import type { AttributedSocket, SocketAddress, SocketProto } from './socket.js';

/** What the scanner is doing: `scanning` until the first full scan ends; then `idle` (complete, kept fresh by refreshes). */
export type ScanPhase = 'starting' | 'scanning' | 'idle' | 'stopped';

/** Counters of one scan or refresh. Vanished = a pid gone mid-scan (ENOENT/ESRCH): normal churn. */
export interface ScanCounters {
  pids: number;
  namespaces: number;
  /** Processes that hold at least one socket. */
  processes: number;
  sockets: number;
  fds: number;
  vanishedPids: number;
  /** Reads refused (EACCES/EPERM), by pid. */
  deniedPids: number;
  /** Other read errors, by errno code. */
  errors: Record<string, number>;
}

/** Progress of the scan in flight, for `/api/v1/status`. */
export interface ScanProgress {
  namespacesDone: number;
  namespacesTotal: number;
  pidsDone: number;
  pidsTotal: number;
}

/** Status snapshot served at `/api/v1/status`. */
export interface ScanStatus {
  phase: ScanPhase;
  /** Kind of the pass in flight or last finished. */
  pass: 'full' | 'incremental' | 'lookup' | null;
  progress: ScanProgress;
  /** Counts in the live table. */
  table: { sockets: number; namespaces: number; processes: number };
  fullScans: number;
  refreshes: number;
  /** Lookup passes run (concurrent lookups share one pass). */
  lookups: number;
  lastFullScan: { durationMs: number; cpuMs: number; finishedAt: string; counters: ScanCounters } | null;
  lastRefresh: { durationMs: number; finishedAt: string; changedNamespaces: number } | null;
  /** Totals since start. */
  totals: { vanishedPids: number; deniedPids: number; errors: Record<string, number> };
}

/** Filter for `/api/v1/connections`. Absent fields match everything. */
export interface ConnectionFilter {
  pid?: number;
  netns?: number;
  /** Name under /run/netns. */
  netnsName?: string;
  podUid?: string;
  containerId?: string;
  proto?: SocketProto;
  state?: string;
  listeningOnly?: boolean;
}

/** A flow to resolve: local/remote as seen from the socket that is asked for. */
export interface FlowQuery {
  proto: SocketProto;
  local: SocketAddress;
  remote: SocketAddress;
  /** Narrow to one network namespace when known. */
  netns?: number;
}

/** Answer of a lookup: the sockets of either end of the flow that live on this node. */
export interface FlowLookupResult {
  /** Sockets whose (local, remote) equals the query's. */
  local: AttributedSocket[];
  /** Sockets whose (local, remote) is the query's reversed: the peer end, when it is on this node. */
  peer: AttributedSocket[];
  /** `table` when already known; `rescan` when a targeted namespace re-read found it. */
  source: 'table' | 'rescan' | 'none';
  namespacesRead: number;
  elapsedMs: number;
}

/** The connection table as the API uses it. */
export interface ConnectionService {
  list(filter: ConnectionFilter): AttributedSocket[];
  lookup(query: FlowQuery): Promise<FlowLookupResult>;
  status(): ScanStatus;
}
