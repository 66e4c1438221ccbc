/** Packet chunks for store tests and the bench, built with the project's own pcap writer. */
import { PcapWriter } from '../../../src/capture/index.js';
import type { Frame } from '../../../src/model/index.js';
import type { PacketChunk } from '../../../src/store/index.js';

/** A chunk of `frames` (one link type) for `connectionId`, records in nanosecond pcap format. */
export function chunkOf(connectionId: string, frames: readonly Frame[]): PacketChunk {
  const writer = new PcapWriter({ linkType: frames[0]!.linkType, resolution: 'ns' });
  const records = Buffer.concat(frames.map((f) => writer.record(f)));
  const ms = (f: Frame): number => f.ts.sec * 1000 + f.ts.nsec / 1e6;
  return { connectionId, linkType: frames[0]!.linkType, count: frames.length, firstTsMs: ms(frames[0]!), lastTsMs: ms(frames.at(-1)!), records };
}

/** `n` synthetic Ethernet-sized frames of `size` bytes starting at `sec`. */
export function syntheticFrames(n: number, size = 100, sec = 1_795_790_788, linkType = 1): Frame[] {
  return Array.from({ length: n }, (_, k) => ({
    ts: { sec: sec + Math.floor(k / 1000), nsec: (k % 1000) * 1_000_123 },
    linkType,
    data: new Uint8Array(size).fill(k & 0xff),
    origLen: size,
    interfaceId: 0,
  }));
}
