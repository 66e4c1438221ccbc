/**
 * The entry: one API call (a request and its response) with both endpoints attributed. This is the
 * versioned schema everything downstream of correlate reads — the store, the API, the dashboard.
 * Bump `ENTRY_SCHEMA_VERSION` on any incompatible change.
 */
import type { Anomaly } from './anomaly.js';
import type { Transport } from './flow.js';
import type { DnsMessageDetail, HttpRequestDetail, HttpResponseDetail } from './messages.js';
import type { ContainerRef, PodRef } from './socket.js';

export const ENTRY_SCHEMA_VERSION = 1 as const;

/** Protocols with a dissector. */
export type ProtocolName = 'http' | 'dns';

/** Whether an endpoint's owner is known: not yet looked up, found, or looked up and not on this node. */
export type Resolution = 'resolved' | 'pending' | 'unresolved';

/** One side of a call and who owns it. Identity fields are null until resolved. */
export interface EntryEndpoint {
  readonly ip: string;
  readonly port: number;
  readonly process: { readonly pid: number; readonly comm: string; readonly exe: string | null } | null;
  readonly container: ContainerRef | null;
  readonly pod: PodRef | null;
  readonly netns: { readonly inode: number; readonly name: string | null } | null;
  readonly resolution: Resolution;
}

/** What a one-line view shows, uniform across protocols. */
export interface EntrySummary {
  /** HTTP method, or DNS opcode-ish verb (`QUERY`). */
  readonly method: string | null;
  /** HTTP request target, or the first DNS question (`example.com A`). */
  readonly target: string | null;
  /** HTTP status code, or null. */
  readonly statusCode: number | null;
  /** HTTP status code as text, DNS rcode, or null without a response. */
  readonly status: string | null;
}

/** What every entry has, whatever its protocol. */
export interface EntryBase {
  readonly schema: typeof ENTRY_SCHEMA_VERSION;
  /** Unique within one pipeline run; deterministic for a given capture. */
  readonly id: string;
  readonly transport: Transport;
  /** Id of the connection (or UDP flow) the call travelled on. */
  readonly connectionId: string;
  /** Client side: sender of the request (or of the response's peer when only the response was seen). */
  readonly src: EntryEndpoint;
  /** Server side. */
  readonly dst: EntryEndpoint;
  /** Capture time of the first byte of the request (or of the response when there was none), RFC 3339. */
  readonly startedAt: string;
  /** Same instant in milliseconds since the epoch. */
  readonly startedAtMs: number;
  /** First request byte to last response byte, in ms; null without both. */
  readonly elapsedMs: number | null;
  /** Wire bytes of the request and of the response messages (headers and bodies). */
  readonly requestSize: number;
  readonly responseSize: number;
  readonly summary: EntrySummary;
  readonly anomalies: readonly Anomaly[];
  /**
   * What redaction replaced by a marker before the entry left the pipeline (`request.headers.cookie`,
   * `request.body.password`, `request.query.token`); absent when nothing was. Its packets still hold
   * those values in clear, so its pcap is served only where raw packets are allowed (`--raw-pcap`).
   */
  readonly redacted?: readonly string[];
}

export interface HttpEntry extends EntryBase {
  readonly protocol: 'http';
  readonly request: HttpRequestDetail | null;
  readonly response: HttpResponseDetail | null;
}

export interface DnsEntry extends EntryBase {
  readonly protocol: 'dns';
  readonly request: DnsMessageDetail | null;
  readonly response: DnsMessageDetail | null;
}

/** An API call. A union keyed on `protocol`. */
export type Entry = HttpEntry | DnsEntry;
