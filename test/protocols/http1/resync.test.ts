import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findStart, ResyncScanner, type HeldStart } from '../../../src/protocols/http1/resync.js';
import { tsOf } from '../_framing/harness.js';

/** Feeds `text` in `pieces` and returns the absolute offset of the start found (or -1) and bytes skipped. */
function scanAll(text: string, cuts: number[], role: 'request' | 'response' | 'any' = 'any', skipLine = false): { at: number; skipped: number; held: string | null } {
  const s = new ResyncScanner();
  s.begin(skipLine);
  const bytes = Buffer.from(text, 'latin1');
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  let from = 0;
  for (const end of [...points, bytes.length]) {
    const out: { held: HeldStart | null } = { held: null };
    const r = s.scan(bytes.subarray(from, end), 0, role, tsOf(0), out);
    if (r >= 0) {
      const held = out.held ? out.held.bytes.toString('latin1') : null;
      return { at: held ? from + r - held.length : from + r, skipped: s.skipped, held };
    }
    from = end;
  }
  return { at: -1, skipped: s.finish(), held: null };
}

describe('HTTP/1 resynchronisation', () => {
  it('finds start lines at line starts and right after other bytes', () => {
    const text = 'junk\r\nmore junk{"a":1}HTTP/1.1 200 OK\r\nX: y\r\n';
    expect(scanAll(text, []).at).toBe(text.indexOf('HTTP/1.1'));
    const req = 'body bytes without newline}XPOST /p HTTP/1.1\r\n';
    expect(scanAll(req, []).at).toBe(req.indexOf('POST'));
    expect(scanAll('junk UNLOCK /f HTTP/1.1\r\n', []).at).toBe(5);
  });

  it('honours the role and the skipped first line', () => {
    const text = 'GET / HTTP/1.1\r\nHTTP/1.1 200 OK\r\n';
    expect(scanAll(text, [], 'response').at).toBe(16);
    expect(scanAll(text, [], 'request').at).toBe(0);
    expect(scanAll(text, [], 'any', true).at).toBe(16);
  });

  it('counts skipped bytes and gives the same answer however the bytes arrive', () => {
    const filler = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '\r', '\n', '}', 'H', 'T', 'P', '/', '1', '.'), maxLength: 200 });
    fc.assert(
      fc.property(filler, fc.constantFrom('GET /x HTTP/1.1', 'HTTP/1.0 404 Nope', 'DELETE /a?b HTTP/1.1', ''), filler, fc.array(fc.nat({ max: 500 }), { maxLength: 8 }), (pre, line, post, cuts) => {
        const text = `${pre}${line}${line ? '\r\n' : ''}${post}`;
        const whole = scanAll(text, []);
        const split = scanAll(text, cuts);
        expect({ at: split.at, skipped: split.skipped }).toEqual({ at: whole.at, skipped: whole.skipped });
        if (whole.at >= 0) expect(whole.skipped).toBe(whole.at);
      }),
      { numRuns: 500 },
    );
  });

  it('holds at most the line limit while scanning', () => {
    const s = new ResyncScanner();
    s.begin(false);
    for (let i = 0; i < 100; i++) s.scan(Buffer.alloc(4096, 0x61), 0, 'any', tsOf(0), { held: null });
    expect(s.held).toBeLessThanOrEqual(8 * 1024);
    expect(s.finish()).toBe(100 * 4096);
  });

  it('findStart needs CRLF and a strict line', () => {
    const b = Buffer.from('xxGET / HTTP/1.1\n', 'latin1');
    expect(findStart(b, 0, b.length - 1, 'any')).toBe(-1);
  });
});
