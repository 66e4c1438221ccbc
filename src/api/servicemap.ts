/**
 * `GET /api/v1/servicemap?q=&limit=`: who talks to whom among the newest `limit` entries matching the
 * filter. Nodes are pods when known, else processes (by command name within a network namespace, so
 * a client's many short-lived pids are one node), else addresses. Edges are per (source, target,
 * protocol) with call and error counts, bytes, rate over the window and latency percentiles. Reading
 * is bounded in time (a rare unindexed filter over a big store would otherwise scan it all): the map
 * then covers what was read and says `truncated`.
 */
import type { EntryEndpoint, EntryListItem, LatencyPercentiles, ServiceEdge, ServiceMap, ServiceNode } from '../model/index.js';
import type { EntryIndex } from './entry-source.js';
import type { ApiServer } from './http-server.js';
import { filterParam, intParam } from './params.js';

const DEFAULT_WINDOW = 10_000;
const MAX_WINDOW = 100_000;
const PAGE = 5_000;
/** Longest time spent reading pages for one map; past it the map is built from what was read (`truncated`). */
const READ_BUDGET_MS = 250;

export function registerServiceMapRoute(server: ApiServer, index: EntryIndex): void {
  server.get('/api/v1/servicemap', (url) => {
    const matcher = filterParam(url);
    const limit = intParam(url, 'limit', DEFAULT_WINDOW, 1, MAX_WINDOW);
    const items: EntryListItem[] = [];
    let before: number | undefined;
    let truncated = false;
    const deadline = performance.now() + READ_BUDGET_MS;
    for (;;) {
      const page = index.list({ matcher, limit: Math.min(PAGE, limit - items.length), before });
      items.push(...page.items);
      if (page.before === null) break;
      if (items.length >= limit) {
        truncated = true;
        break;
      }
      before = page.before;
      if (performance.now() > deadline) {
        truncated = true;
        break;
      }
    }
    return { body: buildServiceMap(items, truncated) };
  });
}

/** Aggregate rows into a map. Deterministic: nodes and edges are sorted by id. */
export function buildServiceMap(items: readonly EntryListItem[], truncated = false): ServiceMap {
  const nodes = new Map<string, ServiceNode>();
  const edges = new Map<string, EdgeAccumulator>();
  let fromMs: number | null = null;
  let toMs: number | null = null;
  for (const item of items) {
    const source = nodeOf(item.src);
    const target = nodeOf(item.dst);
    nodes.set(source.id, source);
    nodes.set(target.id, target);
    const key = `${source.id}\u0000${target.id}\u0000${item.protocol}`;
    let edge = edges.get(key);
    if (!edge) edges.set(key, (edge = { source: source.id, target: target.id, protocol: item.protocol, calls: 0, errors: 0, bytes: 0, latencies: [] }));
    edge.calls++;
    if (isError(item)) edge.errors++;
    edge.bytes += item.requestSize + item.responseSize;
    if (item.elapsedMs !== null) edge.latencies.push(item.elapsedMs);
    fromMs = fromMs === null ? item.startedAtMs : Math.min(fromMs, item.startedAtMs);
    toMs = toMs === null ? item.startedAtMs : Math.max(toMs, item.startedAtMs);
  }
  const spanSec = fromMs === null || toMs === null ? 1 : Math.max(1, (toMs - fromMs) / 1000);
  return {
    nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
    edges: [...edges.values()].map((e) => finishEdge(e, spanSec)).sort((a, b) => `${a.source} ${a.target} ${a.protocol}`.localeCompare(`${b.source} ${b.target} ${b.protocol}`)),
    window: { entries: items.length, fromMs, toMs, truncated },
  };
}

interface EdgeAccumulator {
  source: string;
  target: string;
  protocol: ServiceEdge['protocol'];
  calls: number;
  errors: number;
  bytes: number;
  latencies: number[];
}

function finishEdge(e: EdgeAccumulator, spanSec: number): ServiceEdge {
  return {
    source: e.source,
    target: e.target,
    protocol: e.protocol,
    calls: e.calls,
    errors: e.errors,
    bytes: e.bytes,
    ratePerSec: Math.round((e.calls / spanSec) * 100) / 100,
    latencyMs: percentiles(e.latencies),
  };
}

/** Nearest-rank percentiles, or null without samples. */
export function percentiles(samples: number[]): LatencyPercentiles | null {
  if (!samples.length) return null;
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { p50: at(50), p95: at(95), p99: at(99) };
}

/** A failed call: HTTP 5xx, a DNS error other than NXDOMAIN, or no response at all. */
function isError(item: EntryListItem): boolean {
  const { statusCode, status } = item.summary;
  if (status === null) return true;
  if (item.protocol === 'http') return statusCode !== null && statusCode >= 500;
  return status !== 'NOERROR' && status !== 'NXDOMAIN';
}

function nodeOf(end: EntryEndpoint): ServiceNode {
  const pod = end.pod;
  if (pod) {
    const name = (pod as { name?: string }).name;
    return { id: `pod:${pod.uid}`, kind: 'pod', label: name ?? `pod ${pod.uid.slice(0, 8)}`, pod: pod.uid, process: end.process?.comm ?? null, ip: end.ip };
  }
  if (end.process) {
    const ns = end.netns?.inode ?? 0;
    return { id: `process:${ns}:${end.process.comm}`, kind: 'process', label: end.process.comm, pod: null, process: end.process.comm, ip: end.ip };
  }
  return { id: `address:${end.ip}`, kind: 'address', label: end.ip, pod: null, process: null, ip: end.ip };
}
