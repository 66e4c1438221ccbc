/**
 * `npx tsx bench/decode-reassembly.bench.ts`: decode + TCP reassembly cost per packet on a synthetic
 * in-memory capture — ~100k Ethernet/IPv4 frames of a few hundred interleaved HTTP/1.1 keep-alive
 * connections (handshake, requests, multi-segment responses, ACKs, a little reordering, FIN close).
 * Prints ns/packet for decode alone and for decode + reassembly (best of ROUNDS, after warm-up).
 */
import { performance } from 'node:perf_hooks';
import { PacketDecoder } from '../src/decode/index.js';
import type { DecodedPacket } from '../src/decode/index.js';
import { LinkType } from '../src/model/index.js';
import type { Frame } from '../src/model/index.js';
import { Assembler } from '../src/reassembly/index.js';
import { buildEthernetIpv4Tcp, frameOf, TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN } from '../test/decode/builders.js';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 300);
const TARGET = Number(process.env.PACKETS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);

const request = (i: number): string => `GET /api/v1/items/${i}?watch=false HTTP/1.1\r\nHost: svc.default.svc.cluster.local\r\nUser-Agent: kubectl/v1.30\r\nAccept: application/json\r\n\r\n`;
const response = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2400\r\n\r\n' + '{"k":"v"}'.repeat(267).slice(0, 2400);

/** Packets of one connection, in order, as frame builders' specs. */
function* connection(n: number, exchanges: number): Generator<Uint8Array> {
  const client = { src: `10.${(n >> 8) & 255}.${n & 255}.2`, sport: 30000 + n };
  const server = { src: '10.96.0.10', sport: 443 };
  let c = (n * 2654435761) >>> 0;
  let s = (n * 40503 + 12345) >>> 0;
  const out = (flags: number, payload = '') => {
    const f = buildEthernetIpv4Tcp({ src: client.src, dst: server.src, sport: client.sport, dport: server.sport, seq: c, ack: s, flags, payload });
    c = (c + payload.length + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0)) >>> 0;
    return f;
  };
  const back = (flags: number, payload = '') => {
    const f = buildEthernetIpv4Tcp({ src: server.src, dst: client.src, sport: server.sport, dport: client.sport, seq: s, ack: c, flags, payload });
    s = (s + payload.length + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0)) >>> 0;
    return f;
  };
  yield out(TCP_SYN);
  yield back(TCP_SYN | TCP_ACK);
  yield out(TCP_ACK);
  for (let i = 0; i < exchanges; i++) {
    yield out(TCP_ACK | TCP_PSH, request(i));
    yield back(TCP_ACK);
    const first = back(TCP_ACK, response.slice(0, 1448));
    const second = back(TCP_ACK | TCP_PSH, response.slice(1448));
    if (i % 10 === 9) {
      yield second; // a little reordering
      yield first;
    } else {
      yield first;
      yield second;
    }
    yield out(TCP_ACK);
  }
  yield out(TCP_FIN | TCP_ACK);
  yield back(TCP_FIN | TCP_ACK);
  yield out(TCP_ACK);
}

function synthesize(): Frame[] {
  const perConnection = Math.ceil(TARGET / CONNECTIONS);
  const exchanges = Math.max(1, Math.round((perConnection - 6) / 5));
  const gens = Array.from({ length: CONNECTIONS }, (_, n) => connection(n, exchanges));
  const frames: Frame[] = [];
  let t = 1_700_000_000_000;
  for (let live = gens.length; live > 0; ) {
    live = 0;
    for (const g of gens) {
      const r = g.next();
      if (r.done) continue;
      live++;
      frames.push(frameOf(r.value, LinkType.ETHERNET, (t += 0.01)));
    }
  }
  return frames;
}

function decodeOnly(frames: Frame[]): number {
  const d = new PacketDecoder();
  let n = 0;
  for (const f of frames) if (d.decode(f) !== null) n++;
  return n;
}

function decodeAndReassemble(frames: Frame[]): { bytes: number; gaps: number } {
  const d = new PacketDecoder();
  let bytes = 0;
  const asm = new Assembler({
    createHandler: () => ({
      onData: (_dir, b) => void (bytes += b.length),
      onGap: () => {},
      onEnd: () => {},
    }),
  });
  let last: DecodedPacket | null = null;
  for (const f of frames) {
    const p = d.decode(f);
    if (p !== null) asm.push((last = p));
  }
  if (last) asm.flush(last.ts);
  return { bytes, gaps: asm.stats().gaps };
}

function best(fn: () => unknown, frames: number): number {
  let bestNs = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    fn();
    bestNs = Math.min(bestNs, ((performance.now() - t0) * 1e6) / frames);
  }
  return bestNs;
}

const frames = synthesize();
const check = decodeAndReassemble(frames);
if (check.gaps !== 0) throw new Error(`unexpected gaps: ${check.gaps}`);
for (let i = 0; i < 3; i++) decodeAndReassemble(frames); // warm-up
const decodeNs = best(() => decodeOnly(frames), frames.length);
const fullNs = best(() => decodeAndReassemble(frames), frames.length);
console.log(`${frames.length} packets, ${CONNECTIONS} connections, ${check.bytes} bytes reassembled`);
console.log(`decode:              ${decodeNs.toFixed(0)} ns/packet`);
console.log(`decode + reassembly: ${fullNs.toFixed(0)} ns/packet (${((fullNs * frames.length) / 1e6).toFixed(1)} ms per run)`);
