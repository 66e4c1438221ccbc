import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureFileError, readCaptureFile, writeCaptureFile } from '../../src/capture/index.js';
import { LinkType, type Frame } from '../../src/model/index.js';
import { frame, pcapFile } from './support/frames.js';
import { httpTraffic, isRoot, rejection, runTool, startHttpServer, startTool, tsharkFrames, type ToolCapture } from './support/tools.js';

const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');
const timeOf = (f: Frame) => `${f.ts.sec}.${String(f.ts.nsec).padStart(9, '0')}`;

async function readAll(path: string, chunkBytes?: number): Promise<Frame[]> {
  const frames: Frame[] = [];
  await readCaptureFile(path, (f) => frames.push(f), chunkBytes ? { chunkBytes } : {});
  return frames;
}


let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podsniff-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readCaptureFile', () => {
  it('streams frames and summarises them', async () => {
    const frames = [frame(10, 5000, [1, 2], 100), frame(9, 0, [3], 1), frame(11, 0, new Uint8Array(5000))];
    const file = join(dir, 'small.pcap');
    await writeFile(file, pcapFile(frames).bytes);
    const got: Frame[] = [];
    const summary = await readCaptureFile(file, (f) => got.push(f), { chunkBytes: 3 });
    expect(got).toEqual(frames);
    expect(summary).toEqual({
      format: 'pcap',
      fileBytes: (await stat(file)).size,
      frames: 3,
      capturedBytes: 5003,
      wireBytes: 5101,
      linkTypes: [1],
      first: { sec: 9, nsec: 0 },
      last: { sec: 11, nsec: 0 },
    });
  });

  it('a missing file or a directory is E_CAPTURE_OPEN naming the path, with a hint', async () => {
    const missing = join(dir, 'nope.pcap');
    const err = await rejection(readCaptureFile(missing, () => {}));
    expect(err.code).toBe('E_CAPTURE_OPEN');
    expect(err.message).toContain(missing);
    expect(err.message).toContain('no such file');
    expect(err.hint).toMatch(/check the path/);
    expect((await rejection(readCaptureFile(dir, () => {}))).code).toBe('E_CAPTURE_OPEN');
  });

  it('a text file is E_CAPTURE_FORMAT at offset 0 naming the path', async () => {
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'these are not packets\n');
    const err = await rejection(readCaptureFile(file, () => {}));
    expect(err).toBeInstanceOf(CaptureFileError);
    expect(err).toMatchObject({ code: 'E_CAPTURE_FORMAT', offset: 0, path: file });
    expect(err.message).toContain(`${file}: byte offset 0: not a pcap or pcapng file`);
  });

  it('stops when the signal aborts', async () => {
    const file = join(dir, 'abort.pcap');
    await writeFile(file, pcapFile([frame(1, 0, [1])]).bytes);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(readCaptureFile(file, () => {}, { signal: ac.signal })).rejects.toThrow('stop');
  });
});

describe.skipIf(!isRoot)('files written by tcpdump, dumpcap, editcap and mergecap (needs root to capture on lo)', () => {
  let server: Server;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    const http = await startHttpServer();
    server = http.server;
    const f = `tcp port ${http.port}`;
    for (const name of ['lo.pcap', 'lo-ns.pcap', 'lo.pcapng', 'any.pcap']) files[name] = join(dir, name);
    const tools: ToolCapture[] = [];
    try {
      tools.push(await startTool('tcpdump', ['-i', 'lo', '-n', '-w', files['lo.pcap']!, f], /listening on/));
      tools.push(await startTool('tcpdump', ['-i', 'lo', '-n', '--time-stamp-precision=nano', '-w', files['lo-ns.pcap']!, f], /listening on/));
      tools.push(await startTool('tcpdump', ['-i', 'any', '-n', '-w', files['any.pcap']!, f], /listening on/));
      // dumpcap names the file once its capture child has opened it; "Capturing on" comes earlier.
      tools.push(await startTool('dumpcap', ['-i', 'lo', '-f', f, '-w', files['lo.pcapng']!], /File: /));
      // The tools print "ready" a moment before their packet sockets see traffic (seen on a fresh machine).
      await new Promise((r) => setTimeout(r, 300));
      await httpTraffic(http.port, [1, 100, 1400, 5000, 70_000, 300_000, 1, 2, 3]);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      for (const t of tools) await t.stop();
    }
    files['conv.pcapng'] = join(dir, 'conv.pcapng');
    files['conv.pcap'] = join(dir, 'conv.pcap');
    files['conv-ns.pcap'] = join(dir, 'conv-ns.pcap');
    files['merged.pcapng'] = join(dir, 'merged.pcapng');
    await runTool('editcap', ['-F', 'pcapng', files['lo.pcap']!, files['conv.pcapng']]);
    await runTool('editcap', ['-F', 'pcap', files['lo.pcapng']!, files['conv.pcap']]);
    await runTool('editcap', ['-F', 'nsecpcap', files['lo.pcap']!, files['conv-ns.pcap']]);
    await runTool('mergecap', ['-F', 'pcapng', '-w', files['merged.pcapng'], files['lo.pcapng']!, files['any.pcap']!]);
  });

  afterAll(() => {
    server?.close();
  });

  for (const name of ['lo.pcap', 'lo-ns.pcap', 'any.pcap', 'lo.pcapng', 'conv.pcapng', 'conv.pcap', 'conv-ns.pcap', 'merged.pcapng']) {
    it(`${name}: same frames as tshark (lengths, ns timestamps, interface, MD5 of the data)`, async () => {
      const ours = await readAll(files[name]!);
      const theirs = await tsharkFrames(files[name]!);
      expect(ours.length).toBeGreaterThan(20);
      expect(ours.map((f) => ({ len: f.origLen, caplen: f.data.length, time: timeOf(f), iface: f.interfaceId, md5: md5(f.data) }))).toEqual(theirs);
      expect(await readAll(files[name]!, 4093)).toEqual(ours);
    });
  }

  it('link types: Ethernet on lo, Linux cooked v2 on any, both in the merged file', async () => {
    const types = async (name: string) => (await readCaptureFile(files[name]!, () => {})).linkTypes;
    expect(await types('lo.pcap')).toEqual([LinkType.ETHERNET]);
    expect(await types('any.pcap')).toEqual([LinkType.LINUX_SLL2]);
    expect(await types('merged.pcapng')).toEqual([LinkType.ETHERNET, LinkType.LINUX_SLL2]);
    const merged = await readAll(files['merged.pcapng']!);
    expect(new Set(merged.map((f) => `${f.interfaceId}:${f.linkType}`))).toEqual(new Set([`0:${LinkType.ETHERNET}`, `1:${LinkType.LINUX_SLL2}`]));
  });

  it('PcapWriter reproduces the tcpdump files byte for byte (µs and ns)', async () => {
    for (const [name, resolution] of [['lo.pcap', 'us'], ['lo-ns.pcap', 'ns']] as const) {
      const out = join(dir, `rewritten-${name}`);
      await writeCaptureFile(out, await readAll(files[name]!), { resolution, snaplen: 262144 });
      expect(Buffer.compare(await readFile(out), await readFile(files[name]!))).toBe(0);
    }
  });

  it('a file cut mid-record: frames before the cut, then E_CAPTURE_TRUNCATED whose `head -c` advice works', async () => {
    const whole = await readAll(files['lo.pcap']!);
    const bytes = await readFile(files['lo.pcap']!);
    for (const cut of [30, 1000, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const file = join(dir, `cut-${cut}.pcap`);
      await writeFile(file, bytes.subarray(0, cut));
      const got: Frame[] = [];
      const err = await rejection(readCaptureFile(file, (f) => got.push(f)));
      expect(err).toMatchObject({ code: 'E_CAPTURE_TRUNCATED', path: file });
      expect(got).toEqual(whole.slice(0, got.length));
      const offset = (err as CaptureFileError).offset;
      expect(offset).toBe(24 + got.reduce((n, f) => n + 16 + f.data.length, 0));
      expect(err.message).toContain(`head -c ${offset} ${file} > fixed.pcap`);
      const fixed = join(dir, `fixed-${cut}.pcap`);
      await writeFile(fixed, bytes.subarray(0, offset));
      expect((await tsharkFrames(fixed)).length).toBe(got.length);
    }
  });

  it('a pcapng file cut mid-block and one with a corrupt block length', async () => {
    const bytes = await readFile(files['lo.pcapng']!);
    const last = bytes.length - bytes.readUInt32LE(bytes.length - 4); // dumpcap ends with statistics blocks
    const lastIsPacket = bytes.readUInt32LE(last) === 6;
    const cutFile = join(dir, 'cut.pcapng');
    await writeFile(cutFile, bytes.subarray(0, bytes.length - 10));
    const whole = await readAll(files['lo.pcapng']!);
    const got: Frame[] = [];
    const err = await rejection(readCaptureFile(cutFile, (f) => got.push(f)));
    expect(err).toMatchObject({ code: 'E_CAPTURE_TRUNCATED', offset: last });
    expect(got).toEqual(lastIsPacket ? whole.slice(0, -1) : whole);

    const damaged = Buffer.from(bytes);
    const offset = last;
    damaged.writeUInt32LE(damaged.readUInt32LE(offset + 4) + 1, offset + 4);
    const badFile = join(dir, 'bad.pcapng');
    await writeFile(badFile, damaged);
    const got2: Frame[] = [];
    const err2 = await rejection(readCaptureFile(badFile, (f) => got2.push(f)));
    expect(err2).toMatchObject({ code: 'E_CAPTURE_FORMAT', offset });
    expect(got2.length).toBeGreaterThanOrEqual(whole.length - 1);
  });
});
