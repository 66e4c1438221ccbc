/** Every field read from realistic entries, the empty-value rule for missing data, and QUERY_FIELDS. */
import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../src/query/fields.js';
import { QUERY_FIELDS } from '../../src/query/index.js';
import type { Entry } from '../../src/model/index.js';
import { dnsQuery, httpGetAttributed, httpPost500, unresolvedNoResponse } from './fixtures.js';

const read = (name: string, e: Entry) => FIELDS.get(name)!.read(e);

describe('fields of an HTTP POST 500', () => {
  it.each([
    ['id', 'e-1'], ['connection_id', 'c-1'], ['protocol', 'http'], ['transport', 'tcp'], ['http', true], ['dns', false],
    ['tcp', true], ['udp', false], ['method', 'POST'], ['path', '/api/v1/orders'], ['target', '/api/v1/orders?dry=1'],
    ['url', '/api/v1/orders?dry=1'], ['query', 'dry=1'], ['host', 'checkout.shop.svc'], ['version', '1.1'], ['status_code', 500],
    ['status', '500'], ['elapsed_ms', 250], ['request_size', 412], ['response_size', 180], ['timestamp', httpPost500.startedAtMs],
    ['anomalies', ['truncated']], ['src.ip', '10.1.0.5'], ['src.port', 43512], ['src.process.pid', 4242], ['src.process.comm', 'curl'],
    ['src.process.exe', '/usr/bin/curl'], ['src.netns', 4026532001], ['src.netns_name', ''], ['src.resolution', 'resolved'],
    ['src.pod.uid', ''], ['src.pod.name', ''], ['dst.pod.uid', 'pod-checkout-uid'], ['dst.pod.name', 'checkout-7d9f'],
    ['dst.pod.namespace', 'shop'], ['dst.container.id', 'abc123'], ['dst.container.runtime', 'containerd'], ['dst.process.pid', 0],
    ['request.body', '{"order":"A-17","items":[{"sku":"x","qty":2}]}'], ['response.body', ''], ['dns_questions', []], ['dns_rcode', ''],
  ])('%s', (name, value) => {
    expect(read(name, httpPost500)).toEqual(value);
  });

  it('exposes headers as the captured list', () => {
    expect(read('request.headers', httpPost500)).toHaveLength(4);
    expect(read('response.headers', httpPost500)).toEqual([['Content-Type', 'text/plain']]);
  });
});

describe('fields of a DNS query', () => {
  it.each([
    ['protocol', 'dns'], ['dns', true], ['http', false], ['udp', true], ['method', 'QUERY'], ['target', 'Example.COM. A'],
    ['status', 'NOERROR'], ['status_code', 0], ['elapsed_ms', 3.5], ['path', ''], ['host', ''], ['request.headers', []],
    ['dns_questions', ['example.com']], ['dns_types', ['A']], ['dns_answers', ['edge.example.net', '93.184.216.34']],
    ['dns_rcode', 'NOERROR'], ['src.pod.namespace', 'kube-system'], ['dst.resolution', 'pending'],
  ])('%s', (name, value) => {
    expect(read(name, dnsQuery)).toEqual(value);
  });
});

describe('missing data reads as empty values', () => {
  it('for unresolved endpoints and a missing response', () => {
    for (const [name, value] of [
      ['src.pod.uid', ''], ['src.pod.name', ''], ['src.pod.namespace', ''], ['src.process.comm', ''], ['src.process.pid', 0],
      ['src.container.id', ''], ['src.netns', 0], ['dst.resolution', 'unresolved'], ['status_code', 0], ['status', ''],
      ['elapsed_ms', 0], ['response.headers', []], ['response.body', ''], ['host', ''], ['query', ''],
    ] as const) {
      expect(read(name, unresolvedNoResponse), name).toEqual(value);
    }
  });

  it('for a pod known by uid only', () => {
    expect(read('dst.pod.uid', httpGetAttributed)).toBe('pod-checkout-uid');
    expect(read('dst.pod.name', httpGetAttributed)).toBe('');
  });

  it('for entries with whole parts missing (older writers), never throwing', () => {
    const broken = { src: null, summary: null, request: { headers: null }, anomalies: null } as unknown as Entry;
    for (const [name, spec] of FIELDS) {
      const v = spec.read(broken);
      const empty = spec.type === 'string' ? '' : spec.type === 'bool' ? expect.any(Boolean) : spec.type === 'number' || spec.type === 'timestamp' ? 0 : [];
      expect(v, name).toEqual(empty);
    }
  });
});

describe('QUERY_FIELDS', () => {
  it('lists every field once with a type and a description', () => {
    const names = QUERY_FIELDS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...FIELDS.keys()]);
    for (const f of QUERY_FIELDS) {
      expect(f.description.length, f.name).toBeGreaterThan(10);
      expect(['string', 'number', 'bool', 'timestamp', 'list', 'map']).toContain(f.type);
    }
    expect(QUERY_FIELDS.find((f) => f.name === 'timestamp')?.type).toBe('timestamp');
    expect(QUERY_FIELDS.find((f) => f.name === 'request.headers')?.type).toBe('map');
    expect(QUERY_FIELDS.find((f) => f.name === 'dns_questions')?.type).toBe('list');
  });

  it('covers the documented field set', () => {
    const names = new Set(QUERY_FIELDS.map((f) => f.name));
    for (const side of ['src', 'dst']) {
      for (const f of ['ip', 'port', 'pod.uid', 'pod.name', 'pod.namespace', 'container.id', 'process.pid', 'process.comm', 'process.exe', 'netns', 'resolution']) {
        expect(names.has(`${side}.${f}`), `${side}.${f}`).toBe(true);
      }
    }
  });
});
