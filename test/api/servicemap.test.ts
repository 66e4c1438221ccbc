/** The service map aggregation: node identity (pod, else process, else address), edge counts, errors, percentiles. */
import { describe, expect, it } from 'vitest';
import { buildServiceMap, percentiles } from '../../src/api/servicemap.js';
import type { EntryEndpoint, EntryListItem } from '../../src/model/index.js';
import { endlessIndex } from './support/endless-index.js';

const end = (ip: string, port: number, extra: Partial<EntryEndpoint> = {}): EntryEndpoint => ({
  ip,
  port,
  process: null,
  container: null,
  pod: null,
  netns: null,
  resolution: 'unresolved',
  ...extra,
});

let cursor = 0;
function row(src: EntryEndpoint, dst: EntryEndpoint, o: { protocol?: 'http' | 'dns'; status?: string | null; code?: number | null; elapsed?: number | null; at?: number } = {}): EntryListItem {
  cursor++;
  return {
    cursor,
    id: `e${cursor}`,
    protocol: o.protocol ?? 'http',
    transport: o.protocol === 'dns' ? 'udp' : 'tcp',
    connectionId: 'c1',
    src,
    dst,
    startedAt: new Date(o.at ?? 0).toISOString(),
    startedAtMs: o.at ?? 0,
    elapsedMs: o.elapsed === undefined ? 1 : o.elapsed,
    requestSize: 100,
    responseSize: 200,
    summary: { method: 'GET', target: '/', statusCode: o.code === undefined ? 200 : o.code, status: o.status === undefined ? '200' : o.status },
    anomalies: [],
  };
}

describe('buildServiceMap', () => {
  const web = end('10.0.0.1', 40000, { pod: { uid: 'aaaaaaaa-1111' }, process: { pid: 7, comm: 'node', exe: null }, resolution: 'resolved' });
  const api = end('10.0.0.2', 8080, { pod: { uid: 'bbbbbbbb-2222' }, resolution: 'resolved' });
  const curl = end('127.0.0.1', 5000, { process: { pid: 9, comm: 'curl', exe: '/usr/bin/curl' }, netns: { inode: 42, name: null }, resolution: 'resolved' });
  const dns = end('10.0.0.53', 53);

  it('merges calls per (source, target, protocol) and names nodes by pod, process or address', () => {
    const map = buildServiceMap([
      row(web, api, { elapsed: 10, at: 1000 }),
      row(web, api, { elapsed: 30, code: 503, status: '503', at: 3000 }),
      row(web, api, { elapsed: null, code: null, status: null, at: 5000 }),
      row(curl, api, { elapsed: 5, at: 2000 }),
      row(web, dns, { protocol: 'dns', status: 'NXDOMAIN', code: null, at: 4000 }),
      row(web, dns, { protocol: 'dns', status: 'SERVFAIL', code: null, at: 4500 }),
    ]);
    expect(map.nodes.map((n) => [n.id, n.kind, n.label])).toEqual([
      ['address:10.0.0.53', 'address', '10.0.0.53'],
      ['pod:aaaaaaaa-1111', 'pod', 'pod aaaaaaaa'],
      ['pod:bbbbbbbb-2222', 'pod', 'pod bbbbbbbb'],
      ['process:42:curl', 'process', 'curl'],
    ]);
    const edge = (s: string, t: string) => map.edges.find((e) => e.source === s && e.target === t)!;
    expect(edge('pod:aaaaaaaa-1111', 'pod:bbbbbbbb-2222')).toMatchObject({ calls: 3, errors: 2, bytes: 900, latencyMs: { p50: 10, p95: 30, p99: 30 } });
    expect(edge('process:42:curl', 'pod:bbbbbbbb-2222')).toMatchObject({ calls: 1, errors: 0 });
    // NXDOMAIN is an answer, SERVFAIL a failure.
    expect(edge('pod:aaaaaaaa-1111', 'address:10.0.0.53')).toMatchObject({ protocol: 'dns', calls: 2, errors: 1 });
    // Six calls over 4 s of capture time.
    expect(map.window).toEqual({ entries: 6, fromMs: 1000, toMs: 5000, truncated: false });
    expect(edge('pod:aaaaaaaa-1111', 'pod:bbbbbbbb-2222').ratePerSec).toBe(0.75);
  });

  it('is empty for no entries', () => {
    expect(buildServiceMap([])).toEqual({ nodes: [], edges: [], window: { entries: 0, fromMs: null, toMs: null, truncated: false } });
  });
});

describe('percentiles', () => {
  it('uses nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(samples)).toEqual({ p50: 50, p95: 95, p99: 99 });
    expect(percentiles([7])).toEqual({ p50: 7, p95: 7, p99: 7 });
    expect(percentiles([])).toBeNull();
  });
});

describe('GET /api/v1/servicemap', () => {
  it('stops reading after its time budget and says the map is truncated', async () => {
    const { ApiServer } = await import('../../src/api/index.js');
    const { registerServiceMapRoute } = await import('../../src/api/servicemap.js');
    const server = new ApiServer();
    // A rare unindexed filter over a huge store: every page is cut by the scan budget, and slow.
    const endless = endlessIndex(20);
    registerServiceMapRoute(server, endless.index);
    const port = await server.listen(0, '127.0.0.1');
    try {
      // The store never runs out of pages: only the time budget can end the read (how soon: bench:api).
      const map = (await (await fetch(`http://127.0.0.1:${port}/api/v1/servicemap?q=dns`)).json()) as { window: { truncated: boolean } };
      expect(map.window.truncated).toBe(true);
      expect(endless.pages()).toBeGreaterThan(1);
    } finally {
      await server.close();
    }
  });
});
