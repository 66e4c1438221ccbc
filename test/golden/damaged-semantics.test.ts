/**
 * The derived fixtures: http-midstream (http-basic without its first handshake and request and without
 * the second handshake) and http-lost-segment (http-bodies without one segment of the /large response).
 * Damage shows as anomalies on the entries it touches; every other entry is as in the intact capture.
 */
import { describe, expect, it } from 'vitest';
import type { HttpEntry } from '../../src/model/index.js';
import { codes, httpEntries, line, readFixture } from './support.js';

/** What must not change when damage elsewhere in the capture is survived. */
function project(e: HttpEntry): object {
  return { line: line(e), startedAt: e.startedAt, elapsedMs: e.elapsedMs, requestSize: e.requestSize, responseSize: e.responseSize, anomalies: e.anomalies };
}

describe('http-midstream', () => {
  const basic = httpEntries(readFixture('http-basic'));
  const mid = httpEntries(readFixture('http-midstream'));
  const sortByTime = (es: HttpEntry[]): HttpEntry[] => [...es].sort((a, b) => a.startedAtMs - b.startedAtMs);

  it('flags the connections joined mid-stream', () => {
    const flagged = mid.filter((e) => codes(e).includes('tcp.mid-stream'));
    expect(flagged.length).toBeGreaterThanOrEqual(1);
    const post = mid.find((e) => e.request?.method === 'POST');
    expect(post && line(post)).toBe('POST /api/v1/namespaces/default/pods 201');
    expect(codes(post!)).toContain('tcp.mid-stream');
  });

  it('shows the first response without its request, if at all, as an anomaly', () => {
    const orphan = mid.filter((e) => e.request === null);
    for (const e of orphan) {
      expect(e.response?.status).toBe(200);
      expect(codes(e).length).toBeGreaterThan(0);
    }
    expect(mid.some((e) => e.request?.target === '/api/v1/pods?namespace=default&limit=2')).toBe(false);
  });

  it('loses none of the other entries', () => {
    const rest = sortByTime(mid).filter((e) => e.request !== null && e.request.method !== 'POST');
    expect(rest.map(project)).toEqual(sortByTime(basic).slice(2).map(project));
  });
});

describe('http-lost-segment', () => {
  const bodies = httpEntries(readFixture('http-bodies'));
  const lost = httpEntries(readFixture('http-lost-segment'));

  it('reports the gap on the /large response and still pairs it', () => {
    const large = lost.find((e) => e.request?.path === '/large');
    expect(large && line(large)).toBe('GET /large 200');
    // The loss must show; `tcp.gap` (bytes lost) or `truncated` ("cut short by close, gap or end").
    expect(codes(large!).some((c) => c === 'tcp.gap' || c === 'truncated')).toBe(true);
    expect(large!.response!.body).toMatchObject({ size: 150_000, truncated: true });
  });

  it('loses none of the other entries', () => {
    const others = (es: HttpEntry[]): object[] => es.filter((e) => e.request?.path !== '/large').map(project);
    expect(others(lost)).toEqual(others(bodies));
  });
});
