/**
 * Builds entries from paired protocol messages. Pure: the same messages give the same entry. Endpoints
 * start with no identity and the resolution the caller chooses (`unresolved` offline, `pending` live);
 * attribution fills them later.
 */
import {
  ENTRY_SCHEMA_VERSION,
  tsDiffMs,
  tsToIso,
  tsToMs,
  type Anomaly,
  type ConnectionInfo,
  type Direction,
  type DnsMessageDetail,
  type Entry,
  type EntryEndpoint,
  type EntrySummary,
  type L4Endpoint,
  type Resolution,
} from '../model/index.js';
import type { ProtocolMessage } from '../protocols/index.js';

/** A request and its response as paired; either may be missing (no response, unpaired response). */
export interface Pair {
  readonly conn: ConnectionInfo;
  readonly request: ProtocolMessage | null;
  readonly response: ProtocolMessage | null;
  readonly anomalies: readonly Anomaly[];
}

/**
 * Hot path (one call per entry): the entry is built as one object literal in schema key order — no
 * spreads — so every entry shares one hidden class and serialises in a fixed order.
 */
export function buildEntry(id: string, pair: Pair, resolution: Resolution): Entry {
  const { request: req, response: res } = pair;
  const first = (req ?? res)!;
  if (first.protocol === 'http') {
    const request = req?.protocol === 'http' && req.kind === 'request' ? req.detail : null;
    const response = res?.protocol === 'http' && res.kind === 'response' ? res.detail : null;
    const summary: EntrySummary = {
      method: request?.method ?? null,
      target: request?.target ?? null,
      statusCode: response?.status ?? null,
      status: response ? String(response.status) : null,
    };
    return assemble(id, pair, resolution, 'http', summary, request, response);
  }
  const request = dnsDetail(req);
  const response = dnsDetail(res);
  return assemble(id, pair, resolution, 'dns', dnsSummary(request, response), request, response);
}

function assemble<P extends Entry['protocol']>(
  id: string,
  pair: Pair,
  resolution: Resolution,
  protocol: P,
  summary: EntrySummary,
  request: Entry['request'],
  response: Entry['response'],
): Entry {
  const { conn, request: req, response: res } = pair;
  const first = (req ?? res)!;
  const clientDir: Direction = req ? req.dir : res!.dir === 0 ? 1 : 0;
  const last = res ?? req!;
  return {
    schema: ENTRY_SCHEMA_VERSION,
    id,
    transport: conn.transport,
    connectionId: conn.id,
    src: endpoint(clientDir === 0 ? conn.a : conn.b, resolution),
    dst: endpoint(clientDir === 0 ? conn.b : conn.a, resolution),
    startedAt: tsToIso(first.startTs),
    startedAtMs: roundUs(tsToMs(first.startTs)),
    elapsedMs: req && res ? roundUs(Math.max(0, tsDiffMs(req.startTs, last.endTs))) : null,
    requestSize: req?.size ?? 0,
    responseSize: res?.size ?? 0,
    anomalies: mergeAnomalies(pair),
    protocol,
    summary,
    request,
    response,
  } as Entry;
}

function dnsDetail(msg: ProtocolMessage | null): DnsMessageDetail | null {
  return msg?.protocol === 'dns' ? (msg).detail : null;
}

function dnsSummary(request: DnsMessageDetail | null, response: DnsMessageDetail | null): EntrySummary {
  const question = (request ?? response)?.questions[0];
  return {
    method: (request ?? response)?.opcode ?? null,
    target: question ? `${question.name} ${question.type}` : null,
    statusCode: null,
    status: response?.rcode ?? null,
  };
}

function endpoint(at: L4Endpoint, resolution: Resolution): EntryEndpoint {
  return { ip: at.ip, port: at.port, process: null, container: null, pod: null, netns: null, resolution };
}

function mergeAnomalies(pair: Pair): Anomaly[] {
  const fromRequest = pair.request?.anomalies ?? [];
  const fromResponse = pair.response?.anomalies ?? [];
  if (!pair.anomalies.length && !fromRequest.length && !fromResponse.length) return [];
  const all = [...pair.anomalies, ...fromRequest, ...fromResponse];
  const seen = new Set<string>();
  return all.filter((a) => {
    const key = `${a.code}\u0000${a.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Milliseconds rounded to the microsecond, so JSON output is stable across platforms. */
function roundUs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
