import { describe, expect, it } from 'vitest';
import type { DecodedPacket } from '../../src/decode/index.js';
import { Assembler } from '../../src/reassembly/index.js';
import { tsFromMs } from '../../src/model/index.js';
import { ACK, endOf, FIN, gapsOf, PSH, recording, rev, RST, seg, SYN, textOf } from './helpers.js';

const C = 1000; // client ISN
const S = 5000; // server ISN

function handshake(t = 0, c = C, s = S): DecodedPacket[] {
  return [seg({ seq: c, flags: SYN, tsMs: t }), rev({ seq: s, ack: c + 1, flags: SYN | ACK, tsMs: t + 1 }), seg({ seq: c + 1, ack: s + 1, tsMs: t + 2 })];
}

describe('Assembler: connections', () => {
  it('delivers both directions in order, without copying in-order payloads', () => {
    const { asm, conns } = recording();
    handshake().forEach((p) => asm.push(p));
    const req = seg({ seq: C + 1, ack: S + 1, flags: ACK | PSH, payload: 'GET / HTTP/1.1\r\n\r\n', tsMs: 3 });
    let seen: Uint8Array | undefined;
    const direct = new Assembler({
      createHandler: () => ({ onData: (_d, b) => (seen = b), onGap: () => {}, onEnd: () => {} }),
    });
    handshake().forEach((p) => direct.push(p));
    direct.push(req);
    expect(seen).toBe(req.transport.payload);

    asm.push(req);
    asm.push(rev({ seq: S + 1, ack: C + 19, flags: ACK | PSH, payload: 'HTTP/1.1 200 OK\r\n\r\n', tsMs: 4 }));
    expect(conns).toHaveLength(1);
    expect(conns[0]!.info).toEqual({
      id: 'c1',
      transport: 'tcp',
      a: { ip: '10.0.0.1', port: 40000 },
      b: { ip: '10.0.0.2', port: 80 },
      initiatorKnown: true,
    });
    expect(textOf(conns[0]!, 0)).toBe('GET / HTTP/1.1\r\n\r\n');
    expect(textOf(conns[0]!, 1)).toBe('HTTP/1.1 200 OK\r\n\r\n');
    expect(asm.stats()).toMatchObject({ connectionsLive: 1, connectionsTotal: 1, bytesDelivered: 37, gaps: 0 });
  });

  it('takes the receiver of a SYN-ACK seen first as the initiator', () => {
    const { asm, conns } = recording();
    asm.push(rev({ seq: S, ack: C + 1, flags: SYN | ACK }));
    asm.push(seg({ seq: C + 1, ack: S + 1, payload: 'hi' }));
    expect(conns[0]!.info).toMatchObject({ a: { ip: '10.0.0.1', port: 40000 }, initiatorKnown: true });
    expect(textOf(conns[0]!, 0)).toBe('hi');
  });

  it('joins a stream mid-way at the first sequence number seen in each direction', () => {
    const { asm, conns } = recording();
    asm.push(rev({ seq: 777, ack: 100, payload: 'tail of a response' }));
    asm.push(seg({ seq: 100, ack: 795, payload: 'next request' }));
    asm.push(rev({ seq: 700, payload: 'old retransmission' }));
    expect(conns[0]!.info).toMatchObject({ a: { ip: '10.0.0.2', port: 80 }, b: { ip: '10.0.0.1', port: 40000 }, initiatorKnown: false });
    expect(textOf(conns[0]!, 0)).toBe('tail of a response');
    expect(textOf(conns[0]!, 1)).toBe('next request');
  });

  it('ignores non-TCP packets and empty packets of unknown connections', () => {
    const { asm, conns } = recording();
    asm.push({ ...seg({ seq: 1 }), transport: { kind: 'udp', srcPort: 1, dstPort: 2, payload: new Uint8Array(3) } });
    asm.push(seg({ seq: 1, ack: 1 }));
    asm.push(seg({ seq: 1, flags: RST }));
    expect(conns).toHaveLength(0);
    expect(asm.stats()).toMatchObject({ connectionsTotal: 0, packetsIgnored: 2 });
  });

  it('gives ids in order of first packet, the same on every run', () => {
    const run = (): string[] => {
      const { asm, conns } = recording();
      for (let i = 0; i < 5; i++) asm.push(seg({ sport: 1000 + ((i * 3) % 5), seq: 1, flags: SYN }));
      asm.flush(tsFromMs(10));
      return conns.map((c) => `${c.info.id}:${c.info.a.port}:${endOf(c)?.reason}`);
    };
    expect(run()).toEqual(['c1:1000', 'c2:1003', 'c3:1001', 'c4:1004', 'c5:1002'].map((s) => `${s}:flush`));
    expect(run()).toEqual(run());
  });
});

describe('Assembler: sequencing', () => {
  it('reorders, trims retransmissions and counts differing overlaps of buffered data', () => {
    const { asm, conns } = recording();
    handshake().forEach((p) => asm.push(p));
    asm.push(seg({ seq: C + 7, payload: 'world' }));
    asm.push(seg({ seq: C + 10, payload: 'ld!!' })); // overlaps buffered 'ld' (same), adds '!!'
    asm.push(seg({ seq: C + 11, payload: 'Y' })); // differs from buffered 'd'
    expect(asm.stats().bytesBuffered).toBe(7);
    asm.push(seg({ seq: C + 1, payload: 'hello ' }));
    asm.push(seg({ seq: C + 1, payload: 'hello world' })); // retransmission of delivered bytes
    expect(textOf(conns[0]!, 0)).toBe('hello world!!');
    expect(asm.stats()).toMatchObject({ bytesBuffered: 0, overlapConflicts: 1, gaps: 0 });
  });

  it('handles sequence numbers wrapping past 2^32', () => {
    const { asm, conns } = recording();
    const isn = 0xfffffff0;
    asm.push(seg({ seq: isn, flags: SYN }));
    asm.push(seg({ seq: isn + 1 + 10, payload: 'bbbbbbbbbbcccccccccc' })); // crosses 2^32
    asm.push(seg({ seq: isn + 1, payload: 'aaaaaaaaaa' }));
    expect(textOf(conns[0]!, 0)).toBe('aaaaaaaaaabbbbbbbbbbcccccccccc');
  });

  it('declares a gap when the peer acknowledges bytes the capture missed', () => {
    const { asm, conns } = recording();
    handshake().forEach((p) => asm.push(p));
    asm.push(seg({ seq: C + 1, ack: S + 1, payload: 'aaaa' }));
    // 'bbbb' at C+5 is lost; the server acknowledges it.
    asm.push(rev({ seq: S + 1, ack: C + 9, payload: 'ok' }));
    expect(gapsOf(conns[0]!)).toEqual([4]);
    asm.push(seg({ seq: C + 9, ack: S + 3, payload: 'cccc' }));
    expect(textOf(conns[0]!, 0)).toBe('aaaacccc');
    expect(asm.stats()).toMatchObject({ gaps: 1, bytesLost: 4 });
  });

  it('stops an ACK-driven gap at buffered data and continues past it', () => {
    const { asm, conns } = recording();
    handshake().forEach((p) => asm.push(p));
    asm.push(seg({ seq: C + 5, payload: 'bbbb' }));
    asm.push(seg({ seq: C + 13, payload: 'dddd' }));
    asm.push(rev({ seq: S + 1, ack: C + 17 }));
    expect(conns[0]!.events.map((e) => (e.kind === 'data' ? Buffer.from(e.bytes).toString() : e.kind === 'gap' ? e.lost : e.reason))).toEqual([4, 'bbbb', 4, 'dddd']);
  });

  it('turns payload cut by the snap length into a gap', () => {
    const { asm, conns } = recording();
    handshake().forEach((p) => asm.push(p));
    asm.push(seg({ seq: C + 1, payload: 'head', cut: 96 }));
    asm.push(seg({ seq: C + 101, payload: 'next' }));
    expect(conns[0]!.events.map((e) => e.kind)).toEqual(['data', 'gap', 'data']);
    expect(gapsOf(conns[0]!)).toEqual([96]);
    expect(textOf(conns[0]!, 0)).toBe('headnext');
  });

  it('delivers buffered data after a gap when the connection ends', () => {
    const { asm, conns } = recording();
    handshake().forEach((p) => asm.push(p));
    asm.push(seg({ seq: C + 1, payload: 'aa' }));
    asm.push(seg({ seq: C + 6, payload: 'ccc' }));
    asm.flush(tsFromMs(50));
    expect(conns[0]!.events.map((e) => e.kind)).toEqual(['data', 'gap', 'data', 'end']);
    expect(gapsOf(conns[0]!)).toEqual([3]);
    expect(endOf(conns[0]!)).toEqual({ kind: 'end', reason: 'flush', tsMs: 50 });
  });
});

describe('Assembler: caps', () => {
  it('skips to buffered data when a connection buffers more than its cap', () => {
    const { asm, conns } = recording({ maxBufferedPerConnection: 10 });
    handshake().forEach((p) => asm.push(p));
    asm.push(seg({ seq: C + 5, payload: '12345' }));
    asm.push(seg({ seq: C + 20, payload: 'abcdef' }));
    expect(asm.stats().bytesBuffered).toBeLessThanOrEqual(10);
    expect(gapsOf(conns[0]!)).toEqual([4]);
    expect(textOf(conns[0]!, 0)).toBe('12345');
    expect(asm.stats()).toMatchObject({ capEvictions: 1, bytesBuffered: 6 });
    asm.push(seg({ seq: C + 40, payload: 'more than ten' }));
    expect(gapsOf(conns[0]!)).toEqual([4, 10, 14]);
    expect(textOf(conns[0]!, 0)).toBe('12345abcdefmore than ten');
    expect(asm.stats()).toMatchObject({ capEvictions: 3, bytesBuffered: 0 });
  });

  it('frees the connection holding the most when the total cap is hit', () => {
    const { asm, conns } = recording({ maxBufferedTotal: 12 });
    for (const port of [1, 2]) {
      asm.push(seg({ sport: port, seq: 0, flags: SYN }));
    }
    asm.push(seg({ sport: 1, seq: 5, payload: 'aaaa' }));
    asm.push(seg({ sport: 2, seq: 5, payload: 'bbbbbbb' }));
    expect(asm.stats().bytesBuffered).toBe(11);
    asm.push(seg({ sport: 1, seq: 20, payload: 'cc' }));
    expect(asm.stats().bytesBuffered).toBe(6);
    expect(textOf(conns[1]!, 0)).toBe('bbbbbbb');
    expect(textOf(conns[0]!, 0)).toBe('');
  });

  it('evicts the least recently active connection beyond maxConnections', () => {
    const { asm, conns } = recording({ maxConnections: 2 });
    asm.push(seg({ sport: 1, seq: 0, flags: SYN, tsMs: 0 }));
    asm.push(seg({ sport: 2, seq: 0, flags: SYN, tsMs: 1 }));
    asm.push(seg({ sport: 1, seq: 1, payload: 'x', tsMs: 2 }));
    asm.push(seg({ sport: 3, seq: 0, flags: SYN, tsMs: 3 }));
    expect(conns.map((c) => endOf(c)?.reason)).toEqual([undefined, 'evicted', undefined]);
    expect(asm.stats()).toMatchObject({ connectionsLive: 2, connectionsEvicted: 1 });
  });
});

describe('Assembler: lifecycle by capture time', () => {
  it('ends a connection as soon as both directions are delivered up to their FINs', () => {
    const { asm, conns } = recording({ closeTimeoutMs: 1000 });
    handshake().forEach((p) => asm.push(p));
    asm.push(seg({ seq: C + 1, ack: S + 1, flags: FIN | ACK, tsMs: 10 }));
    expect(endOf(conns[0]!)).toBeUndefined();
    asm.push(rev({ seq: S + 1, ack: C + 2, flags: FIN | ACK, tsMs: 20 }));
    expect(endOf(conns[0]!)).toEqual({ kind: 'end', reason: 'fin', tsMs: 20 });
    asm.push(seg({ seq: C + 2, ack: S + 2, tsMs: 21 })); // the last ACK opens nothing
    expect(asm.stats()).toMatchObject({ connectionsLive: 0, connectionsTotal: 1, gaps: 0 });
  });

  it('waits the close timeout when bytes before a FIN are still missing', () => {
    const { asm, conns } = recording({ closeTimeoutMs: 1000 });
    handshake().forEach((p) => asm.push(p));
    // 'ab' at C+1 never arrives; 'cd' and the FIN after it do.
    asm.push(seg({ seq: C + 3, ack: S + 1, payload: 'cd', flags: FIN | ACK, tsMs: 10 }));
    asm.push(rev({ seq: S + 1, ack: C + 1, flags: FIN | ACK, tsMs: 20 }));
    asm.advanceTo(tsFromMs(1019));
    expect(endOf(conns[0]!)).toBeUndefined();
    asm.advanceTo(tsFromMs(1020));
    expect(endOf(conns[0]!)).toEqual({ kind: 'end', reason: 'fin', tsMs: 1020 });
    expect(asm.stats()).toMatchObject({ connectionsLive: 0, gaps: 1 });
  });

  it('fires timeouts at the next packet past the deadline, with the deadline as time', () => {
    const { asm, conns } = recording({ idleTimeoutMs: 5000 });
    asm.push(seg({ sport: 1, seq: 0, flags: SYN, tsMs: 0 }));
    asm.push(seg({ sport: 2, seq: 0, flags: SYN, tsMs: 3000 }));
    asm.push(seg({ sport: 2, seq: 1, payload: 'x', tsMs: 7000 }));
    expect(endOf(conns[0]!)).toEqual({ kind: 'end', reason: 'idle', tsMs: 5000 });
    expect(endOf(conns[1]!)).toBeUndefined();
    asm.push(seg({ sport: 2, seq: 2, payload: 'y', tsMs: 12_001 }));
    expect(endOf(conns[1]!)).toEqual({ kind: 'end', reason: 'idle', tsMs: 12_000 });
    expect(conns[2]!.info.initiatorKnown).toBe(false);
  });

  it('never ends connections on its own: only capture time moves it', async () => {
    const { asm, conns } = recording({ idleTimeoutMs: 1, closeTimeoutMs: 1 });
    asm.push(seg({ seq: 0, flags: SYN, tsMs: 0 }));
    asm.push(seg({ seq: 0, flags: RST, tsMs: 0 }));
    await new Promise((r) => setTimeout(r, 20));
    expect(endOf(conns[0]!)).toBeUndefined();
    asm.advanceTo(tsFromMs(1));
    expect(endOf(conns[0]!)?.reason).toBe('rst');
  });

  it('ends a reset connection after the close timeout, immediately with a zero timeout', () => {
    const late = recording({ closeTimeoutMs: 2000 });
    handshake().forEach((p) => late.asm.push(p));
    late.asm.push(rev({ seq: S + 1, flags: RST, tsMs: 100 }));
    late.asm.push(seg({ seq: C + 1, payload: 'straggler', tsMs: 200 }));
    expect(endOf(late.conns[0]!)).toBeUndefined();
    expect(textOf(late.conns[0]!, 0)).toBe('straggler');
    late.asm.advanceTo(tsFromMs(2100));
    expect(endOf(late.conns[0]!)).toEqual({ kind: 'end', reason: 'rst', tsMs: 2100 });

    const now = recording({ closeTimeoutMs: 0 });
    handshake().forEach((p) => now.asm.push(p));
    now.asm.push(rev({ seq: S + 1, flags: RST, tsMs: 100 }));
    expect(endOf(now.conns[0]!)).toEqual({ kind: 'end', reason: 'rst', tsMs: 100 });
  });

  it('starts a new connection when a SYN reuses a finished 4-tuple', () => {
    const { asm, conns } = recording();
    handshake().forEach((p) => asm.push(p));
    asm.push(seg({ seq: C + 1, ack: S + 1, payload: 'one', tsMs: 3 }));
    asm.push(seg({ seq: C + 4, ack: S + 1, flags: FIN | ACK, tsMs: 4 }));
    asm.push(rev({ seq: S + 1, ack: C + 5, flags: FIN | ACK, tsMs: 5 }));
    handshake(6, C + 100_000, S + 100_000).forEach((p) => asm.push(p));
    asm.push(seg({ seq: C + 100_001, ack: S + 100_001, payload: 'two', tsMs: 9 }));
    expect(conns.map((c) => c.info.id)).toEqual(['c1', 'c2']);
    expect(endOf(conns[0]!)).toMatchObject({ reason: 'fin', tsMs: 5 });
    expect(textOf(conns[0]!, 0)).toBe('one');
    expect(textOf(conns[1]!, 0)).toBe('two');
    expect(conns[1]!.info.initiatorKnown).toBe(true);
  });

  it('treats a retransmitted SYN as the same connection', () => {
    const { asm, conns } = recording();
    asm.push(seg({ seq: C, flags: SYN }));
    asm.push(seg({ seq: C, flags: SYN, tsMs: 1000 }));
    expect(conns).toHaveLength(1);
  });

  it('calls onEnd exactly once and stays consistent when a handler throws', () => {
    let ends = 0;
    let data = '';
    let fail = true;
    const asm = new Assembler({
      createHandler: () => ({
        onData: (_dir, bytes) => {
          data += Buffer.from(bytes).toString();
          if (fail) {
            fail = false;
            throw new Error('handler bug');
          }
        },
        onGap: () => {
          throw new Error('gap bug');
        },
        onEnd: () => void ends++,
      }),
    });
    asm.push(seg({ seq: 0, flags: SYN }));
    asm.push(seg({ seq: 3, payload: 'bb' }));
    expect(() => asm.push(seg({ seq: 1, payload: 'aa' }))).toThrow('handler bug');
    asm.push(seg({ seq: 5, payload: 'cc' }));
    expect(data).toBe('aabbcc');
    asm.push(seg({ seq: 10, payload: 'dd' }));
    expect(() => asm.flush(tsFromMs(1))).toThrow('gap bug');
    asm.flush(tsFromMs(2));
    expect(ends).toBe(1);
    expect(asm.stats()).toMatchObject({ connectionsLive: 0, bytesBuffered: 0 });
  });
});
