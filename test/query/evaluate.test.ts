/** Operators, functions, headers, lists and time arithmetic evaluated against fixtures. */
import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/query/index.js';
import { dnsQuery, httpGetAttributed, httpPost500, NOW, unresolvedNoResponse } from './fixtures.js';
import type { Entry } from '../../src/model/index.js';

const m = (text: string, e: Entry = httpPost500) => compileFilter(text, { now: () => NOW }).matches(e);

describe('evaluation', () => {
  it('compares numbers, strings and bools', () => {
    expect(m('status_code == 500 && status_code != 404 && elapsed_ms <= 250 && elapsed_ms < 250.5')).toBe(true);
    expect(m('method < "Q" && "GET" < method')).toBe(true);
    expect(m('http == true && dns == false')).toBe(true);
    expect(m('-status_code < 0 && 7 % 4 == 3 && 10 / 4 == 2.5 && 2 * 3 - 1 == 5')).toBe(true);
    expect(m('path + "?" + query == target')).toBe(true);
  });

  it('short-circuits && and ||', () => {
    expect(m('dns || http')).toBe(true);
    expect(m('dns && http')).toBe(false);
    expect(m('false || false || status_code == 500')).toBe(true);
    expect(m('true && true && true && status_code == 404')).toBe(false);
  });

  it('reads headers case-insensitively, first value wins, "" when absent', () => {
    expect(m('request.headers["content-type"] == "application/json"')).toBe(true);
    expect(m('request.headers["CONTENT-TYPE"].contains("json")')).toBe(true);
    expect(m('request.headers["x-trace"] == "one"')).toBe(true);
    expect(m('request.headers["x-missing"] == ""')).toBe(true);
    expect(m('"X-TRACE" in request.headers && !("x-missing" in request.headers)')).toBe(true);
    expect(m('response.headers["content-type"].startsWith("text/")')).toBe(true);
    expect(m('response.headers["content-type"] == ""', unresolvedNoResponse)).toBe(true);
    expect(m('request.headers[path] == ""')).toBe(true);
    expect(m('size(request.headers) == 4')).toBe(true);
  });

  it('applies string functions as methods and global calls', () => {
    expect(m('path.contains("/v1/") && contains(path, "orders")')).toBe(true);
    expect(m('path.endsWith("orders") && endsWith(path, "orders")')).toBe(true);
    expect(m('path.size() == 14 && size(path) == 14')).toBe(true);
    expect(m('request.body.contains("\\"sku\\":\\"x\\"")')).toBe(true);
    expect(m('dst.pod.name.upperAscii() == "CHECKOUT-7D9F" && "ÄB".lowerAscii() == "Äb"')).toBe(true);
    expect(m('matches(path, "orders$") && !path.matches("^/v2")')).toBe(true);
    expect(m(String.raw`request.body.matches(r'"qty":\s*\d+')`)).toBe(true);
    expect(m('host.matches("(?i)CHECKOUT\\\\.SHOP")')).toBe(true);
  });

  it('handles lists: in, size, index, contains, equality', () => {
    expect(m('"truncated" in anomalies && size(anomalies) == 1 && anomalies[0] == "truncated"')).toBe(true);
    expect(m('anomalies[5] == "" && anomalies[-1] == "" && anomalies[0.5] == ""')).toBe(true);
    expect(m('anomalies.contains("truncated") && !anomalies.contains("tcp.gap")')).toBe(true);
    expect(m('anomalies == ["truncated"] && anomalies != [] && dns_questions == []')).toBe(true);
    expect(m('status_code in [200, 500] && !(status_code in [])')).toBe(true);
    expect(m('method in ["A","B","C","D","E","F","G","H","I","POST"]')).toBe(true);
    expect(m('src.ip in [src.ip, dst.ip]')).toBe(true);
    expect(m('dns_types[0] == "A" && dns_answers[1] == "93.184.216.34" && dns_rcode == "NOERROR"', dnsQuery)).toBe(true);
    expect(m('"edge.example.net" in dns_answers', dnsQuery)).toBe(true);
  });

  it('documents DNS name normalisation: lower-case, no trailing dot', () => {
    expect(m('"example.com" in dns_questions', dnsQuery)).toBe(true);
    expect(m('"Example.COM." in dns_questions', dnsQuery)).toBe(false);
  });

  it('does timestamp and duration arithmetic', () => {
    expect(m('timestamp == timestamp("2026-11-27T09:58:00Z")')).toBe(true);
    expect(m('timestamp < timestamp("2026-11-27T10:00:00+00:00") && timestamp >= timestamp("2026-11-27T10:58:00+01:00")')).toBe(true);
    expect(m('now() - timestamp == duration("2m")')).toBe(true);
    expect(m('now() - timestamp > duration("119s") && now() - timestamp < duration("1h")')).toBe(true);
    expect(m('timestamp + duration("2m") == now() && duration("2m") + timestamp == now()')).toBe(true);
    expect(m('duration("1h30m") == duration("90m") && -duration("1s") < duration("0")')).toBe(true);
    expect(m('duration("1s") - duration("500ms") == duration("500ms")')).toBe(true);
  });

  it('treats missing values as empty values', () => {
    expect(m('src.pod.name == "" && status_code == 0 && elapsed_ms == 0', unresolvedNoResponse)).toBe(true);
    expect(m('status_code < 400', unresolvedNoResponse)).toBe(true);
    expect(m('!dst.pod.name.startsWith("checkout")', httpGetAttributed)).toBe(true);
    expect(m('dst.pod.uid == "pod-checkout-uid"', httpGetAttributed)).toBe(true);
    expect(m('src.pod.namespace == "shop" && src.netns_name == "frontend-ns"', httpGetAttributed)).toBe(true);
  });

  it('never throws from matches, even on malformed entries', () => {
    const f = compileFilter('path.matches("a") || request.headers["x"] == "" || "a" in dns_questions || size(anomalies) > 0');
    for (const e of [{}, null, { protocol: 'http', request: { headers: [[null, null]] } }, { protocol: 'dns', request: 5 }]) {
      expect(() => f.matches(e as unknown as Entry)).not.toThrow();
    }
  });
});
