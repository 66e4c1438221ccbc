import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodedPacket } from '../../src/decode/index.js';
import { tsFromMs } from '../../src/model/index.js';
import type { Direction } from '../../src/model/index.js';
import { ACK, endOf, FIN, PSH, recording, rev, seg, SYN } from './helpers.js';
import type { Recorded, SegmentSpec } from './helpers.js';

type Range = readonly [number, number];

/** One direction's traffic: bytes, ISN near 2^32, partition pieces and extra copies. */
interface Plan {
  readonly bytes: Uint8Array;
  readonly isn: number;
  readonly pieces: Range[];
  /** Duplicates and overlapping retransmissions (unions of consecutive pieces). */
  readonly extra: Range[];
}

const plan = (maxLength: number): fc.Arbitrary<Plan> =>
  fc
    .record({
      bytes: fc.uint8Array({ minLength: 1, maxLength }),
      isn: fc.integer({ min: 2 ** 32 - 3000, max: 2 ** 32 - 1 }),
      cuts: fc.array(fc.nat(), { maxLength: 30 }),
      extra: fc.array(fc.tuple(fc.nat(), fc.nat(3)), { maxLength: 10 }),
    })
    .map(({ bytes, isn, cuts, extra }) => {
      const points = [...new Set([0, ...cuts.map((c) => c % bytes.length), bytes.length])].sort((a, b) => a - b);
      const pieces: Range[] = [];
      for (let i = 0; i + 1 < points.length; i++) pieces.push([points[i]!, points[i + 1]!]);
      const copies = extra.map(([i, span]): Range => {
        const first = i % pieces.length;
        const last = Math.min(pieces.length - 1, first + span);
        return [pieces[first]![0], pieces[last]![1]];
      });
      return { bytes, isn, pieces, extra: copies };
    });

function dataPacket(p: Plan, dir: Direction, [a, b]: Range, other: Plan, sport: number): DecodedPacket {
  const spec: SegmentSpec = { sport, seq: (p.isn + 1 + a) >>> 0, ack: (other.isn + 1) >>> 0, flags: ACK | PSH, payload: p.bytes.slice(a, b) };
  return dir === 0 ? seg(spec) : rev(spec);
}

/** Handshake, the data of both directions in the order of `order`, then FINs. */
function packets(p0: Plan, p1: Plan, order: number[], sport = 40000, drop?: Range): DecodedPacket[] {
  const hits = (r: Range): boolean => drop !== undefined && r[0] < drop[1] && drop[0] < r[1];
  const data: DecodedPacket[] = [];
  for (const r of [...p0.pieces, ...p0.extra]) if (!hits(r)) data.push(dataPacket(p0, 0, r, p1, sport));
  for (const r of [...p1.pieces, ...p1.extra]) data.push(dataPacket(p1, 1, r, p0, sport));
  const keyed = data.map((d, i) => [order[i % Math.max(1, order.length)]! * 1000 + i, d] as const).sort((x, y) => x[0] - y[0]);
  return [
    seg({ sport, seq: p0.isn, flags: SYN }),
    rev({ sport, seq: p1.isn, ack: (p0.isn + 1) >>> 0, flags: SYN | ACK }),
    ...keyed.map(([, d]) => d),
    seg({ sport, seq: (p0.isn + 1 + p0.bytes.length) >>> 0, ack: (p1.isn + 1) >>> 0, flags: FIN | ACK }),
    rev({ sport, seq: (p1.isn + 1 + p1.bytes.length) >>> 0, ack: (p0.isn + 1) >>> 0, flags: FIN | ACK }),
  ];
}

/**
 * Checks that every byte delivered in `dir` sits at its place in `original` once gaps are counted as
 * skipped bytes, and that data and gaps together cover the whole stream. Returns the gaps.
 */
function checkPlaces(rec: Recorded, dir: Direction, original: Uint8Array): number[] {
  let pos = 0;
  const gaps: number[] = [];
  for (const e of rec.events) {
    if (e.kind === 'end' || e.dir !== dir) continue;
    if (e.kind === 'gap') {
      expect(e.lost).toBeGreaterThan(0);
      gaps.push(e.lost!);
      pos += e.lost!;
    } else {
      expect(Buffer.from(e.bytes).equals(Buffer.from(original.subarray(pos, pos + e.bytes.length)))).toBe(true);
      pos += e.bytes.length;
    }
  }
  expect(pos).toBe(original.length);
  return gaps;
}

const order = fc.array(fc.nat(1000), { minLength: 1, maxLength: 60 });

describe('reassembly properties', () => {
  it('delivers exactly the original bytes of both directions whatever the order, duplicates and overlaps', () => {
    let reordered = 0;
    fc.assert(
      fc.property(plan(3000), plan(3000), order, (p0, p1, ord) => {
        const { asm, conns } = recording({ closeTimeoutMs: 0 });
        let buffered = 0;
        for (const p of packets(p0, p1, ord)) {
          asm.push(p);
          buffered = Math.max(buffered, asm.stats().bytesBuffered);
        }
        if (buffered > 0) reordered++;
        expect(conns).toHaveLength(1);
        const c = conns[0]!;
        expect(checkPlaces(c, 0, p0.bytes)).toEqual([]);
        expect(checkPlaces(c, 1, p1.bytes)).toEqual([]);
        expect(endOf(c)?.reason).toBe('fin');
        expect(asm.stats()).toMatchObject({ bytesBuffered: 0, gaps: 0, overlapConflicts: 0, connectionsLive: 0 });
      }),
      { numRuns: 300 },
    );
    expect(reordered).toBeGreaterThan(100); // the property is not vacuous
  });

  it('turns one lost segment into exactly one gap of its size, and delivers the rest', () => {
    fc.assert(
      fc.property(plan(2000), plan(500), order, fc.nat(), (p0, p1, ord, k) => {
        const lost = p0.pieces[k % p0.pieces.length]!;
        const { asm, conns } = recording();
        for (const p of packets(p0, p1, ord, 40000, lost)) asm.push(p);
        asm.flush(tsFromMs(10_000));
        const c = conns[0]!;
        expect(checkPlaces(c, 0, p0.bytes)).toEqual([lost[1] - lost[0]]);
        expect(checkPlaces(c, 1, p1.bytes)).toEqual([]);
        expect(asm.stats()).toMatchObject({ gaps: 1, bytesLost: lost[1] - lost[0], bytesBuffered: 0 });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps buffered bytes within the caps after every packet, declaring gaps instead', () => {
    let capped = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(plan(1500), plan(1500), fc.nat()), { minLength: 1, maxLength: 4 }),
        order,
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 400 }),
        (conns, ord, perConnection, total) => {
          const { asm, conns: recs } = recording({ maxBufferedPerConnection: perConnection, maxBufferedTotal: total });
          const streams = conns.map(([p0, p1, k], i) => {
            const lost = p0.pieces.length > 1 ? p0.pieces[k % p0.pieces.length] : undefined;
            return packets(p0, p1, ord, 1000 + i, lost);
          });
          // Interleave the connections packet by packet.
          for (let i = 0; streams.some((s) => i < s.length); i++) {
            for (const s of streams) {
              if (i >= s.length) continue;
              asm.push(s[i]!);
              const st = asm.stats();
              expect(st.bytesBuffered).toBeLessThanOrEqual(total);
              if (streams.length === 1) expect(st.bytesBuffered).toBeLessThanOrEqual(perConnection);
            }
          }
          asm.flush(tsFromMs(10_000));
          recs.forEach((rec, i) => {
            checkPlaces(rec, 0, conns[i]![0].bytes);
            checkPlaces(rec, 1, conns[i]![1].bytes);
          });
          const st = asm.stats();
          expect(st.bytesBuffered).toBe(0);
          if (st.capEvictions > 0) {
            capped++;
            expect(st.gaps).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(capped).toBeGreaterThan(40);
  });

  it('gives identical calls when the same packets are replayed', () => {
    fc.assert(
      fc.property(plan(800), plan(800), order, fc.nat(), (p0, p1, ord, k) => {
        const run = (): string => {
          const { asm, conns } = recording({ maxBufferedPerConnection: 300 });
          for (const p of packets(p0, p1, ord, 40000, p0.pieces[k % p0.pieces.length])) asm.push(p);
          asm.flush(tsFromMs(1));
          return JSON.stringify(conns.map((c) => [c.info, c.events.map((e) => (e.kind === 'data' ? [e.dir, Array.from(e.bytes)] : e))]));
        };
        expect(run()).toBe(run());
      }),
      { numRuns: 50 },
    );
  });
});

