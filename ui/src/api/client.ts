/**
 * HTTP client of the dashboard API (same origin, relative URLs). Every failure becomes an `ApiError`:
 * HTTP errors carry the server's `{error:{code,message,position?,expected?}}`, network failures have
 * status 0 and code `E_NETWORK`.
 */
import type { EntryDetail, EntryPage, LocalStatus, QueryCheck, QueryField, ServiceMap } from '../types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly position: number | null = null,
    readonly expected: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get unreachable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

type Params = Record<string, string | number | null | undefined>;

export function apiUrl(path: string, params: Params = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') search.set(k, String(v));
  const qs = search.toString();
  return `${path}${qs ? `?${qs}` : ''}`;
}

interface ErrorBody {
  error?: { code?: string; message?: string; position?: number; expected?: string[] };
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // not JSON: keep the status line
  }
  const e = body.error ?? {};
  return new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? res.statusText, e.position ?? null, e.expected ?? []);
}

export async function getJson<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path, params), { signal: signal ?? null, headers: { accept: 'application/json' } });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, 'E_NETWORK', `cannot reach the server (${(err as Error).message})`);
  }
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as T;
}

export interface PageRequest {
  q: string;
  limit: number;
  before?: number | null;
  after?: number | null;
}

export function fetchEntries(req: PageRequest, signal?: AbortSignal): Promise<EntryPage> {
  return getJson<EntryPage>('/api/v1/entries', { q: req.q, limit: req.limit, before: req.before, after: req.after }, signal);
}

export function fetchEntry(id: string, signal?: AbortSignal): Promise<EntryDetail> {
  return getJson<EntryDetail>(`/api/v1/entries/${encodeURIComponent(id)}`, {}, signal);
}

export function pcapUrl(id: string): string {
  return `/api/v1/entries/${encodeURIComponent(id)}/pcap`;
}

export function fetchServiceMap(q: string, signal?: AbortSignal): Promise<ServiceMap> {
  return getJson<ServiceMap>('/api/v1/servicemap', { q }, signal);
}

export function checkQuery(q: string, signal?: AbortSignal): Promise<QueryCheck> {
  return getJson<QueryCheck>('/api/v1/query', { q }, signal);
}

export async function fetchFields(signal?: AbortSignal): Promise<readonly QueryField[]> {
  return (await getJson<{ fields: QueryField[] }>('/api/v1/query/fields', {}, signal)).fields;
}

export function fetchOverview(signal?: AbortSignal): Promise<LocalStatus> {
  return getJson<LocalStatus>('/api/v1/overview', {}, signal);
}
