/**
 * The field schema: one table that drives the type checker (names and types), the evaluator (how each
 * field is read from an `Entry`), pushdown (which store column a field mirrors) and the dashboard's
 * field list (`QUERY_FIELDS`). Every reader returns the field's empty value when data is missing.
 */
import type { Entry, EntryEndpoint, IndexedColumn, QueryField } from '../model/index.js';
import * as read from './entry-access.js';
import { publicType, type QType } from './types.js';
import type { Value } from './values.js';

/** One field of the language. */
export interface FieldSpec {
  readonly name: string;
  readonly type: QType;
  readonly description: string;
  readonly read: (e: Entry) => Value;
  /** The store column holding the same value (missing = empty value on both sides). */
  readonly column?: IndexedColumn;
  /** For protocol flags: the field is true exactly when `protocol` equals this. */
  readonly protocolFlag?: string;
}

type Spec = Omit<FieldSpec, 'name'>;

const entryFields: Record<string, Spec> = {
  id: { type: 'string', description: 'Entry id (unique within one capture run)', read: (e) => read.str(e.id) },
  connection_id: { type: 'string', description: 'Id of the connection or UDP flow the call travelled on', read: (e) => read.str(e.connectionId) },
  protocol: { type: 'string', description: 'Application protocol: "http" or "dns"', read: (e) => read.str(e.protocol), column: 'protocol' },
  transport: { type: 'string', description: 'Transport protocol: "tcp" or "udp"', read: (e) => read.str(e.transport) },
  http: { type: 'bool', description: 'True for HTTP calls', read: (e) => e.protocol === 'http', column: 'protocol', protocolFlag: 'http' },
  dns: { type: 'bool', description: 'True for DNS queries', read: (e) => e.protocol === 'dns', column: 'protocol', protocolFlag: 'dns' },
  tcp: { type: 'bool', description: 'True for calls carried over TCP', read: (e) => e.transport === 'tcp' },
  udp: { type: 'bool', description: 'True for calls carried over UDP', read: (e) => e.transport === 'udp' },
  method: { type: 'string', description: 'HTTP method ("GET", "POST", ...) or DNS opcode ("QUERY")', read: (e) => read.str(e.summary?.method), column: 'method' },
  path: { type: 'string', description: 'HTTP request path without the query string', read: (e) => read.str(read.httpRequest(e)?.path) },
  target: { type: 'string', description: 'HTTP request target as sent (path and query), or the first DNS question ("example.com A")', read: (e) => read.str(e.summary?.target) },
  query: { type: 'string', description: 'HTTP query string (after "?"), without the "?"', read: (e) => read.queryString(read.str(read.httpRequest(e)?.target)) },
  host: { type: 'string', description: 'HTTP Host header or authority of the target', read: (e) => read.str(read.httpRequest(e)?.host) },
  version: { type: 'string', description: 'HTTP version of the request ("1.1")', read: (e) => read.str(read.httpRequest(e)?.version) },
  status_code: { type: 'number', description: 'HTTP status code; 0 without a response and for DNS', read: (e) => read.num(e.summary?.statusCode), column: 'statusCode' },
  status: { type: 'string', description: 'HTTP status code as text, or the DNS response code ("NXDOMAIN")', read: (e) => read.str(e.summary?.status) },
  elapsed_ms: { type: 'number', description: 'Milliseconds from the first request byte to the last response byte; 0 without both', read: (e) => read.num(e.elapsedMs), column: 'elapsedMs' },
  request_size: { type: 'number', description: 'Wire bytes of the request (headers and body)', read: (e) => read.num(e.requestSize) },
  response_size: { type: 'number', description: 'Wire bytes of the response (headers and body)', read: (e) => read.num(e.responseSize) },
  timestamp: { type: 'timestamp', description: 'When the call started; compare with now(), timestamp("...") and duration("...")', read: (e) => read.num(e.startedAtMs), column: 'startedAtMs' },
  anomalies: { type: 'list<string>', description: 'Anomaly codes of the entry ("tcp.gap", "no-response", ...)', read: read.anomalyCodes },
  'request.headers': { type: 'map', description: 'HTTP request headers; request.headers["name"] is the first value, "" when absent (name case-insensitive)', read: read.requestHeaders },
  'response.headers': { type: 'map', description: 'HTTP response headers; response.headers["name"] is the first value, "" when absent', read: read.responseHeaders },
  'request.body': { type: 'string', description: 'Decoded request body when it is UTF-8 text, else ""', read: (e) => read.bodyText(read.httpRequest(e)?.body) },
  'response.body': { type: 'string', description: 'Decoded response body when it is UTF-8 text, else ""', read: (e) => read.bodyText(read.httpResponse(e)?.body) },
  dns_questions: { type: 'list<string>', description: 'DNS question names, lower-case, without the trailing dot ("example.com")', read: read.dnsQuestionNames },
  dns_types: { type: 'list<string>', description: 'DNS question types ("A", "AAAA", ...)', read: read.dnsQuestionTypes },
  dns_answers: { type: 'list<string>', description: 'DNS answer data as text, trailing dot removed ("93.184.216.34")', read: read.dnsAnswerData },
  dns_rcode: { type: 'string', description: 'DNS response code ("NOERROR", "NXDOMAIN"); "" without a response', read: read.dnsRcode },
};

type PodLike = Readonly<Record<'uid' | 'name' | 'namespace', unknown>> | null | undefined;

/** Readers are written out per side (no `e[side]` lookups) so each stays monomorphic and cheap. */
function endpointFields(side: read.Side, ep: (e: Entry) => Partial<EntryEndpoint> | undefined, who: string): Record<string, Spec> {
  const pod = (e: Entry): PodLike => ep(e)?.pod as PodLike;
  const fields: Record<string, Spec> = {
    ip: { type: 'string', description: `IP address of the ${who}`, read: (e) => read.str(ep(e)?.ip), column: side === 'src' ? 'srcIp' : 'dstIp' },
    port: { type: 'number', description: `Port of the ${who}`, read: (e) => read.num(ep(e)?.port) },
    'pod.uid': { type: 'string', description: `Pod uid of the ${who}`, read: (e) => read.str(pod(e)?.uid), column: side === 'src' ? 'srcPod' : 'dstPod' },
    'pod.name': { type: 'string', description: `Pod name of the ${who} ("" until known)`, read: (e) => read.str(pod(e)?.name) },
    'pod.namespace': { type: 'string', description: `Kubernetes namespace of the ${who}'s pod`, read: (e) => read.str(pod(e)?.namespace) },
    'container.id': { type: 'string', description: `Container id of the ${who}`, read: (e) => read.str(ep(e)?.container?.id) },
    'container.runtime': { type: 'string', description: `Container runtime of the ${who} ("containerd", "cri-o", "docker")`, read: (e) => read.str(ep(e)?.container?.runtime) },
    'process.pid': { type: 'number', description: `Pid of the ${who}'s process`, read: (e) => read.num(ep(e)?.process?.pid) },
    'process.comm': { type: 'string', description: `Command name of the ${who}'s process ("curl")`, read: (e) => read.str(ep(e)?.process?.comm) },
    'process.exe': { type: 'string', description: `Executable path of the ${who}'s process`, read: (e) => read.str(ep(e)?.process?.exe) },
    netns: { type: 'number', description: `Network namespace inode of the ${who}`, read: (e) => read.num(ep(e)?.netns?.inode) },
    netns_name: { type: 'string', description: `Name of the ${who}'s network namespace under /run/netns`, read: (e) => read.str(ep(e)?.netns?.name) },
    resolution: { type: 'string', description: `Whether the ${who}'s owner is known: "resolved", "pending", "unresolved"`, read: (e) => read.str(ep(e)?.resolution) },
  };
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${side}.${k}`, v]));
}

/** Alternative names: `url` is `target`. */
const ALIASES: Readonly<Record<string, string>> = { url: 'target' };

function buildTable(): ReadonlyMap<string, FieldSpec> {
  const src = (e: Entry): Partial<EntryEndpoint> | undefined => e.src;
  const dst = (e: Entry): Partial<EntryEndpoint> | undefined => e.dst;
  const specs = { ...entryFields, ...endpointFields('src', src, 'client'), ...endpointFields('dst', dst, 'server') };
  const table = new Map<string, FieldSpec>();
  for (const [name, spec] of Object.entries(specs)) table.set(name, { name, ...spec });
  for (const [alias, of] of Object.entries(ALIASES)) {
    const spec = table.get(of)!;
    table.set(alias, { ...spec, name: alias, description: `Alias of ${of}: ${spec.description}` });
  }
  return table;
}

/** All fields by name (aliases included). */
export const FIELDS: ReadonlyMap<string, FieldSpec> = buildTable();

/** The fields as the dashboard lists them, in table order. */
export const QUERY_FIELDS: readonly QueryField[] = Object.freeze(
  [...FIELDS.values()].map((f) => Object.freeze({ name: f.name, type: publicType(f.type), description: f.description })),
);
