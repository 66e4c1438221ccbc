/** Packets grouped per connection into pcap-record chunks: by size, at connection end, on flush, per link type. */
import { describe, expect, it } from 'vitest';
import { CaptureFileParser, PcapWriter } from '../../src/capture/index.js';
import type { ConnectionInfo, Frame, PacketChunk } from '../../src/model/index.js';
import { PacketChunker } from '../../src/worker/packet-chunker.js';

const conn = (id: string): ConnectionInfo => ({ id, transport: 'tcp', a: { ip: '10.0.0.1', port: 1 }, b: { ip: '10.0.0.2', port: 2 }, initiatorKnown: true });
const frame = (ms: number, size: number, linkType = 1): Frame => ({
  ts: { sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1e6 },
  linkType,
  data: new Uint8Array(size).fill(ms % 251),
  origLen: size,
  interfaceId: 0,
});

function framesOf(chunk: PacketChunk): Frame[] {
  const header = new PcapWriter({ linkType: chunk.linkType, resolution: 'ns' }).header();
  const parser = new CaptureFileParser();
  return [...parser.push(header), ...parser.push(chunk.records), ...parser.end()];
}

describe('PacketChunker', () => {
  it('emits a connection\'s frames as one chunk at its end, bytes copied and in order', () => {
    const chunks: PacketChunk[] = [];
    const chunker = new PacketChunker({ onChunk: (c) => chunks.push(c) });
    const a = conn('a');
    const frames = [frame(1000, 60), frame(1001, 1500), frame(1002, 60)];
    for (const f of frames) chunker.add(f, a);
    // The caller may reuse its buffers at once.
    frames[0]!.data.fill(0);
    expect(chunks).toEqual([]);
    chunker.flush(a);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ connectionId: 'a', linkType: 1, count: 3, firstTsMs: 1000, lastTsMs: 1002 });
    const back = framesOf(chunks[0]!);
    expect(back.map((f) => f.data.length)).toEqual([60, 1500, 60]);
    expect(back[0]!.data[0]).toBe(1000 % 251);
    expect(back.map((f) => f.ts)).toEqual(frames.map((f) => f.ts));
  });

  it('cuts chunks by size, keeps connections apart, and splits on a link-type change', () => {
    const chunks: PacketChunk[] = [];
    const chunker = new PacketChunker({ onChunk: (c) => chunks.push(c), chunkBytes: 4000 });
    for (let i = 0; i < 6; i++) chunker.add(frame(i, 1000), conn(i % 2 ? 'odd' : 'even'));
    expect(chunks).toEqual([]);
    chunker.add(frame(10, 1000), conn('even'));
    expect(chunks.map((c) => [c.connectionId, c.count])).toEqual([['even', 4]]);
    chunker.add(frame(11, 100, 113), conn('odd'));
    expect(chunks.map((c) => [c.connectionId, c.count, c.linkType])).toEqual([['even', 4, 1], ['odd', 3, 1]]);
    chunker.flushAll();
    expect(chunks.map((c) => [c.connectionId, c.count, c.linkType])).toEqual([['even', 4, 1], ['odd', 3, 1], ['odd', 1, 113]]);
  });

  it('emits everything pending past the memory bound', () => {
    const chunks: PacketChunk[] = [];
    const chunker = new PacketChunker({ onChunk: (c) => chunks.push(c), maxPendingBytes: 10_000 });
    for (let i = 0; i < 9; i++) chunker.add(frame(i, 1000), conn(`c${i}`));
    expect(chunks).toEqual([]);
    chunker.add(frame(9, 1000), conn('c9'));
    expect(chunks).toHaveLength(10);
  });
});
