/**
 * Shapes of the dashboard API (`/api/v1/...`) as JSON: what `api/` sends and what `ui/` reads. The
 * dashboard may import only `src/model` types, so the wire contract lives here. Plain JSON data.
 */
import type { Entry, EntryBase, ProtocolName } from './entry.js';

/** An entry without its request/response details: one row of the traffic table. */
export interface EntryListItem extends Omit<EntryBase, 'schema' | 'anomalies'> {
  /** Store position; grows with arrival; newer entries have larger cursors. */
  readonly cursor: number;
  readonly protocol: ProtocolName;
  /** Anomaly codes only. */
  readonly anomalies: readonly string[];
}

/**
 * `GET /api/v1/entries?q=&limit=&before=&after=`: matching entries, newest first.
 * - `before`: pass as `before` to get the next older page; null when nothing older is left.
 * - `after`: the newest cursor looked at; pass as `after` to poll for newer entries.
 * - `complete`: false when the scan budget ran out before `limit` matches were found (an unindexed
 *   filter over a big store); the page is still correct, and `before` continues the scan.
 */
export interface EntryPage {
  readonly entries: readonly EntryListItem[];
  readonly before: number | null;
  readonly after: number | null;
  readonly complete: boolean;
}

/** `GET /api/v1/entries/:id`: the whole entry, with what the store keeps of its stream. */
export interface EntryDetail {
  readonly cursor: number;
  readonly entry: Entry;
  /** Packets stored for the entry's connection (for `/pcap`); null when none are kept. */
  readonly packets: { readonly count: number; readonly bytes: number } | null;
}

/** A filter error: where in the text, and what was expected there. */
export interface QueryErrorInfo {
  readonly code: string;
  readonly message: string;
  /** 0-based character offset into the filter text. */
  readonly position: number;
  readonly expected: readonly string[];
}

/** `GET /api/v1/query?q=`: validation as you type. */
export type QueryCheck = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: QueryErrorInfo };

/** A field of the filter language, for completion and the "+" buttons. */
export interface QueryField {
  readonly name: string;
  readonly type: 'string' | 'number' | 'bool' | 'timestamp' | 'list' | 'map';
  readonly description: string;
}

/** A node of the service map: a pod, else a process, else an address. */
export interface ServiceNode {
  readonly id: string;
  readonly kind: 'pod' | 'process' | 'address';
  readonly label: string;
  readonly pod: string | null;
  readonly process: string | null;
  readonly ip: string | null;
}

export interface LatencyPercentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** Calls from `source` to `target` over one protocol. */
export interface ServiceEdge {
  readonly source: string;
  readonly target: string;
  readonly protocol: ProtocolName;
  readonly calls: number;
  /** HTTP status >= 500, DNS rcode other than NOERROR/NXDOMAIN, or no response. */
  readonly errors: number;
  readonly bytes: number;
  /** Calls per second over the window the map covers. */
  readonly ratePerSec: number;
  readonly latencyMs: LatencyPercentiles | null;
}

/** `GET /api/v1/servicemap?q=`. */
export interface ServiceMap {
  readonly nodes: readonly ServiceNode[];
  readonly edges: readonly ServiceEdge[];
  /** The entries the map was built from: the newest `entries` matches, spanning fromMs..toMs. */
  readonly window: { readonly entries: number; readonly fromMs: number | null; readonly toMs: number | null; readonly truncated: boolean };
}

/** Messages of the WebSocket `/api/v1/stream?q=&limit=`. */
export type StreamMessage =
  | { readonly type: 'snapshot'; readonly entries: readonly EntryListItem[]; readonly after: number | null }
  | { readonly type: 'entry'; readonly entry: EntryListItem }
  | { readonly type: 'update'; readonly entry: EntryListItem }
  /** Events were dropped because the client read too slowly; re-fetch with `after`. */
  | { readonly type: 'lagged'; readonly dropped: number; readonly after: number | null };

/** `GET /api/v1/overview`: what the dashboard shows in its status bar and empty states. */
export interface LocalStatus {
  readonly mode: 'live' | 'replay';
  /** Live: the device; replay: the file. */
  readonly source: string;
  /** Replay progress, or null when live. */
  readonly replay: { readonly done: boolean; readonly packets: number; readonly entries: number; readonly error: string | null } | null;
  readonly capture: {
    readonly packets: number;
    readonly dropped: number;
    readonly entries: number;
    /** `failed` while the capture is down (its interface went away) and being retried; `reason` says why. */
    readonly phase: 'running' | 'failed' | 'stopped';
    readonly reason: string | null;
  } | null;
  /** Socket scan progress (live only): `starting`/`scanning` until the first full pass is done, then `done`. */
  readonly scan: { readonly phase: 'starting' | 'scanning' | 'done'; readonly namespacesDone: number; readonly namespacesTotal: number; readonly sockets: number } | null;
  readonly store: { readonly entries: number; readonly bytes: number; readonly dropped: number };
  /**
   * Why the data is not what the user may expect, and what to do: e.g. live capture was not permitted
   * (missing CAP_NET_RAW), so the sample capture is replayed. Null when there is nothing to say.
   */
  readonly notice: string | null;
  /**
   * Whether the packets of calls with redacted fields are served (`--raw-pcap`); when false, such a
   * call's pcap is refused (403 `E_RAW_PCAP_DISABLED`) and the dashboard says so instead of offering it.
   */
  readonly rawPcap: boolean;
}
