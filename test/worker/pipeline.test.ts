/**
 * The whole pipeline under hostile traffic (property-based): random payloads, random flags and
 * sequence numbers, on HTTP, DNS and random ports, over TCP and UDP, mixed with valid HTTP. It never
 * throws, never emits an entry it cannot explain, keeps buffered bytes within its caps, and gives the
 * same entries for the same frames.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entry, Frame } from '../../src/model/index.js';
import { defaultRegistry } from '../../src/protocols/index.js';
import { Pipeline } from '../../src/worker/index.js';
import { buildEthernetIpUdp, buildEthernetIpv4Tcp, frameOf } from '../decode/builders.js';

const PER_CONNECTION_CAP = 64 * 1024;
const TOTAL_CAP = 256 * 1024;

const packetArb = fc.record({
  udp: fc.boolean(),
  client: fc.integer({ min: 1, max: 4 }),
  port: fc.constantFrom(80, 53, 8080, 5432, 443, 9999),
  fromClient: fc.boolean(),
  seq: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 4000 })),
  flags: fc.constantFrom(0x18, 0x10, 0x02, 0x12, 0x11, 0x04, 0x19),
  payload: fc.oneof(
    fc.uint8Array({ maxLength: 1400 }),
    fc.constantFrom('GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', 'POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab'),
  ),
});

type PacketSpec = typeof packetArb extends fc.Arbitrary<infer T> ? T : never;

function framesOf(packets: PacketSpec[]): Frame[] {
  return packets.map((p, i) => {
    const client = `10.0.0.${p.client}`;
    const ends = p.fromClient ? { src: client, dst: '10.0.1.1', sport: 40000 + p.client, dport: p.port } : { src: '10.0.1.1', dst: client, sport: p.port, dport: 40000 + p.client };
    const payload = typeof p.payload === 'string' ? new TextEncoder().encode(p.payload) : p.payload;
    const data = p.udp ? buildEthernetIpUdp({ ...ends, payload }) : buildEthernetIpv4Tcp({ ...ends, seq: p.seq, ack: 1, flags: p.flags, payload });
    return frameOf(data, undefined, 1_000 + i * 7);
  });
}

function run(frames: Frame[]): { entries: Entry[]; maxBuffered: number } {
  const entries: Entry[] = [];
  const pipeline = new Pipeline({
    registry: defaultRegistry(),
    onEntry: (e) => entries.push(e),
    reassembly: { maxBufferedPerConnection: PER_CONNECTION_CAP, maxBufferedTotal: TOTAL_CAP },
  });
  let maxBuffered = 0;
  for (const frame of frames) {
    pipeline.pushFrame(frame);
    maxBuffered = Math.max(maxBuffered, pipeline.stats().bytesBuffered);
  }
  pipeline.finish();
  return { entries, maxBuffered };
}

describe('pipeline under hostile traffic', () => {
  it('never throws, stays within its caps and is deterministic', () => {
    let runsWithEntries = 0;
    fc.assert(
      fc.property(fc.array(packetArb, { maxLength: 300 }), (packets) => {
        const frames = framesOf(packets);
        const first = run(frames);
        expect(first.maxBuffered).toBeLessThanOrEqual(TOTAL_CAP);
        for (const e of first.entries) {
          expect(['http', 'dns']).toContain(e.protocol);
          expect(e.request !== null || e.response !== null).toBe(true);
        }
        expect(JSON.stringify(run(frames).entries)).toBe(JSON.stringify(first.entries));
        if (first.entries.length) runsWithEntries++;
      }),
      { numRuns: 150 },
    );
    // Not vacuous: the mix does make the dissectors produce entries.
    expect(runsWithEntries).toBeGreaterThan(5);
  });

  it('survives random frames of every link type', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(0, 1, 101, 108, 113, 228, 229, 276, 147), fc.uint8Array({ maxLength: 200 })), { maxLength: 200 }), (raw) => {
        const pipeline = new Pipeline({ registry: defaultRegistry(), onEntry: () => undefined });
        raw.forEach(([linkType, data], i) => pipeline.pushFrame(frameOf(data, linkType, i)));
        pipeline.finish();
        expect(pipeline.stats().packets).toBe(raw.length);
      }),
      { numRuns: 200 },
    );
  });
});
