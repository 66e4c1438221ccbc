/** The filters every user starts with: each parses, type-checks and picks exactly the right fixtures. */
import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/query/index.js';
import { ALL, NOW } from './fixtures.js';

const ids = (text: string, now = NOW) => {
  const f = compileFilter(text, { now: () => now });
  return ALL.filter((e) => f.matches(e)).map((e) => e.id);
};

describe('example filters', () => {
  it.each([
    ['http && method == "POST" && status_code >= 500', ['e-1']],
    ['dst.pod.name.startsWith("checkout")', ['e-1']],
    ['src.process.comm == "curl"', ['e-1']],
    ['dns && "example.com" in dns_questions', ['e-2']],
    ['elapsed_ms > 200', ['e-1']],
    ['path.matches("^/api/v[12]/")', ['e-1']],
    ['!(src.pod.namespace in ["kube-system"])', ['e-1', 'e-3', 'e-4']],
    ['timestamp > now() - duration("5m")', ['e-1', 'e-3']],
  ])('%s', (text, expected) => {
    expect(ids(text)).toEqual(expected);
  });

  it('reads now() at evaluation time through the injected clock', () => {
    let clock = NOW;
    const f = compileFilter('timestamp > now() - duration("5m")', { now: () => clock });
    expect(ALL.filter((e) => f.matches(e)).map((e) => e.id)).toEqual(['e-1', 'e-3']);
    clock = NOW + 200_000;
    expect(ALL.filter((e) => f.matches(e)).map((e) => e.id)).toEqual(['e-3']);
    expect(f.usesClock).toBe(true);
  });

  it('uses Date.now by default', () => {
    const f = compileFilter('timestamp > now() - duration("1h")');
    expect(f.matches({ ...ALL[0]!, startedAtMs: Date.now() })).toBe(true);
    expect(f.matches({ ...ALL[0]!, startedAtMs: Date.now() - 7_200_000 })).toBe(false);
  });
});
