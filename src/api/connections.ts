/**
 * `/api/v1/status`, `/api/v1/connections` and `/api/v1/connections/lookup` over a `ConnectionService`.
 * Query parameters are validated: a bad value is a 400 that names the parameter and the expected form.
 */
import type { ConnectionFilter, ConnectionService, FlowQuery, SocketProto } from '../model/index.js';
import { parseHostPort, parseSocketState, SOCKET_STATES } from '../model/index.js';
import { HttpError } from './http-error.js';
import type { ApiServer } from './http-server.js';

const MAX_LIMIT = 100_000;

/** Register the connection routes. */
export function registerConnectionRoutes(server: ApiServer, service: ConnectionService): void {
  server.get('/api/v1/status', () => ({ body: service.status() }));
  server.get('/api/v1/connections', (url) => {
    const filter = parseFilter(url.searchParams);
    const limit = intParam(url.searchParams, 'limit') ?? MAX_LIMIT;
    const all = service.list(filter);
    const items = all.slice(0, Math.min(limit, MAX_LIMIT));
    return { body: { items, count: items.length, total: all.length, scan: { phase: service.status().phase } } };
  });
  server.get('/api/v1/connections/lookup', async (url) => {
    const result = await service.lookup(parseFlow(url.searchParams));
    return { status: result.local.length || result.peer.length ? 200 : 404, body: result };
  });
}

/** Parse the filter parameters of `/api/v1/connections`. */
export function parseFilter(params: URLSearchParams): ConnectionFilter {
  const filter: ConnectionFilter = {};
  const pid = intParam(params, 'pid');
  if (pid !== undefined) filter.pid = pid;
  const netns = params.get('netns');
  if (netns) {
    if (/^\d+$/.test(netns)) filter.netns = Number(netns);
    else filter.netnsName = netns;
  }
  const pod = params.get('pod');
  if (pod) filter.podUid = pod;
  const container = params.get('container');
  if (container) filter.containerId = container;
  const proto = params.get('proto');
  if (proto) filter.proto = protoParam(proto);
  const state = params.get('state');
  if (state) filter.state = stateParam(state);
  if (params.get('listening') === 'true' || params.get('listening') === '1') filter.listeningOnly = true;
  return filter;
}

/** Parse `proto`, `local`, `remote` (and optional `netns`) of a lookup. */
export function parseFlow(params: URLSearchParams): FlowQuery {
  const proto = protoParam(params.get('proto') ?? 'tcp');
  const local = addressParam(params, 'local');
  const remote = addressParam(params, 'remote');
  const netns = intParam(params, 'netns');
  return netns === undefined ? { proto, local, remote } : { proto, local, remote, netns };
}

function addressParam(params: URLSearchParams, name: string): { ip: string; port: number } {
  const raw = params.get(name);
  if (!raw) throw new HttpError(400, 'E_BAD_QUERY', `missing ${name}: expected ${name}=IP:PORT (IPv6 as [IP]:PORT)`);
  const parsed = parseHostPort(raw);
  if (!parsed) throw new HttpError(400, 'E_BAD_ADDRESS', `bad ${name} "${raw}": expected IP:PORT (IPv6 as [IP]:PORT)`);
  return parsed;
}

function stateParam(raw: string): string {
  const state = parseSocketState(raw);
  if (state === null) throw new HttpError(400, 'E_BAD_QUERY', `bad state "${raw.slice(0, 40)}": expected one of ${SOCKET_STATES.join(', ')}`);
  return state;
}

function protoParam(raw: string): SocketProto {
  if (raw === 'tcp' || raw === 'udp') return raw;
  throw new HttpError(400, 'E_BAD_QUERY', `bad proto "${raw}": expected tcp or udp`);
}

function intParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new HttpError(400, 'E_BAD_QUERY', `bad ${name} "${raw}": expected a non-negative integer`);
  return Number(raw);
}
