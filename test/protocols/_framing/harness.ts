/**
 * Test harness for dissector sessions: replays a script of data and gap events, each data event cut
 * into pieces (whole, byte by byte, or at given cut points). Every piece is a fresh Uint8Array that is
 * overwritten after the call, so a session that keeps a reference instead of a copy is caught. All
 * pieces of one event share that event's timestamp, so timestamps are comparable across splits.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Anomaly, ConnectionInfo, Direction, Timestamp } from '../../../src/model/index.js';
import type { Dissector, DissectorSession, ProtocolMessage } from '../../../src/protocols/types.js';

export type Step = { kind: 'data'; dir: Direction; bytes: Buffer } | { kind: 'gap'; dir: Direction; lost: number | null };

export interface Fed {
  messages: ProtocolMessage[];
  anomalies: { dir: Direction; anomaly: Anomaly; ts: Timestamp }[];
  session: DissectorSession;
}

export const data = (dir: Direction, bytes: string | Buffer | Uint8Array): Step => ({
  kind: 'data',
  dir,
  bytes: typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes),
});
export const gap = (dir: Direction, lost: number | null): Step => ({ kind: 'gap', dir, lost });

/** Timestamp of the i-th event. */
export const tsOf = (i: number): Timestamp => ({ sec: 1_700_000_000 + i, nsec: i * 1000 });

export function conn(over: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return { id: 'c1', transport: 'tcp', a: { ip: '10.0.0.2', port: 40000 }, b: { ip: '10.0.0.1', port: 8080 }, initiatorKnown: true, ...over };
}

/** Cut points of one data event (ascending offsets inside (0, len)). */
export type Splitter = (event: number, len: number) => number[];

export const whole: Splitter = () => [];
export const bytewise: Splitter = (_e, len) => Array.from({ length: Math.max(0, len - 1) }, (_, i) => i + 1);
export const atCuts =
  (cuts: readonly (readonly number[])[]): Splitter =>
  (event, len) =>
    [...new Set((cuts[event] ?? []).map((c) => 1 + (c % Math.max(1, len - 1))))].filter((c) => c > 0 && c < len).sort((a, b) => a - b);

/** Replays `steps` into a new session of `dissector`, then ends it. */
export function feed(dissector: Dissector, steps: readonly Step[], split: Splitter = whole, c: ConnectionInfo = conn(), end = true): Fed {
  const fed: Fed = { messages: [], anomalies: [], session: null as unknown as DissectorSession };
  fed.session = dissector.createSession(c, {
    message: (m) => fed.messages.push(m),
    anomaly: (dir, anomaly, ts) => fed.anomalies.push({ dir, anomaly, ts }),
  });
  steps.forEach((step, i) => {
    const ts = tsOf(i);
    if (step.kind === 'gap') return fed.session.onGap(step.dir, step.lost, ts);
    let from = 0;
    for (const cut of [...split(i, step.bytes.length), step.bytes.length]) {
      const piece = new Uint8Array(step.bytes.subarray(from, cut)); // a fresh copy, not a Buffer
      fed.session.onData(step.dir, i % 2 ? Buffer.from(piece.buffer) : piece, ts);
      piece.fill(0xee); // the session must not keep references to what it was given
      from = cut;
    }
  });
  if (end) fed.session.onEnd(tsOf(steps.length));
  return fed;
}

/** Anomalies without their timestamps (when a violation is noticed may depend on the chunking). */
export const anomalyList = (f: Fed): { dir: Direction; code: string; detail: string }[] =>
  f.anomalies.map((a) => ({ dir: a.dir, code: a.anomaly.code, detail: a.anomaly.detail }));

/** Plain JSON of the messages (deep equality without prototypes or frozen-ness). */
export const plain = (f: Fed): unknown => JSON.parse(JSON.stringify(f.messages));

/**
 * Asserts the session gives identical messages and anomalies whole, byte by byte, and at random cut
 * points (fast-check). Returns the whole-fed result for further assertions.
 */
export function expectChunkInvariant(dissector: Dissector, steps: readonly Step[], c: ConnectionInfo = conn(), runs = 60): Fed {
  const base = feed(dissector, steps, whole, c);
  const bytes = feed(dissector, steps, bytewise, c);
  expect(plain(bytes)).toEqual(plain(base));
  expect(anomalyList(bytes)).toEqual(anomalyList(base));
  fc.assert(
    fc.property(fc.array(fc.array(fc.nat(), { maxLength: 6 }), { minLength: steps.length, maxLength: steps.length }), (cuts) => {
      const split = feed(dissector, steps, atCuts(cuts), c);
      expect(plain(split)).toEqual(plain(base));
      expect(anomalyList(split)).toEqual(anomalyList(base));
    }),
    { numRuns: runs },
  );
  return base;
}
