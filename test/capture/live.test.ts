import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLiveCapture, type LiveCapture } from '../../src/capture/index.js';
import { LinkType, type Frame } from '../../src/model/index.js';
import { HANG_GUARD_MS } from '../helpers/http.js';
import { isRoot, rejection } from './support/tools.js';

const exec = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` is true (polling), or fails after `ms` (a hang guard). */
async function until(check: () => boolean, ms = HANG_GUARD_MS): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}


/** UDP payload of a frame captured on lo (Ethernet + IPv4 + UDP headers). */
const udpPayload = (f: Frame) => Buffer.from(f.data.subarray(14 + 20 + 8)).toString();

describe.skipIf(!isRoot)('openLiveCapture (needs root: CAP_NET_RAW)', () => {
  let receiver: Socket;
  let sender: Socket;
  let port: number;
  const send = async (text: string) => {
    sender.send(text, port, '127.0.0.1');
    await sleep(0);
  };

  beforeAll(async () => {
    receiver = createSocket('udp4');
    receiver.bind(0, '127.0.0.1');
    await once(receiver, 'listening');
    port = receiver.address().port;
    sender = createSocket('udp4');
  });
  afterAll(() => {
    receiver.close();
    sender.close();
  });

  it('captures exactly the packets of its BPF filter on lo, with owned data and current timestamps', async () => {
    const frames: Frame[] = [];
    const capture = await openLiveCapture({ device: 'lo', bpf: `udp and dst port ${port}`, onFrame: (f) => frames.push(f) });
    expect(capture.linkType).toBe(LinkType.ETHERNET);
    const noise = createSocket('udp4');
    const before = Date.now() / 1000;
    for (let i = 0; i < 200; i++) {
      await send(`msg-${i}`);
      noise.send('noise', port + 1 === 65536 ? 1 : port + 1, '127.0.0.1');
    }
    await until(() => frames.length >= 200);
    await sleep(100);
    noise.close();
    expect(frames.map(udpPayload)).toEqual(Array.from({ length: 200 }, (_, i) => `msg-${i}`));
    // libpcap reuses one buffer: equal payloads above prove every frame holds its own copy
    for (const f of frames) {
      expect(f.ts.sec).toBeGreaterThanOrEqual(Math.floor(before));
      expect(f.ts.sec).toBeLessThan(before + 60);
      expect(f.ts.nsec % 1000).toBe(0);
      expect(f.origLen).toBe(f.data.length);
      expect(f.interfaceId).toBe(0);
    }
    const stats = capture.stats();
    expect(stats).toEqual({ received: expect.any(Number), droppedKernel: 0, droppedInterface: expect.any(Number), delivered: 200 });
    expect(stats.received).toBeGreaterThanOrEqual(200);
    capture.close();
    await send('after-close'); // lets libpcap see the break and release the ring
    await sleep(50);
    expect(frames.length).toBe(200);
    expect(capture.stats().delivered).toBe(200);
    capture.close(); // idempotent
  });

  it("'any' gives Linux cooked capture frames and a snaplen cuts the data", async () => {
    const frames: Frame[] = [];
    const capture = await openLiveCapture({ device: 'any', bpf: `udp dst port ${port}`, snaplen: 50, onFrame: (f) => frames.push(f) });
    try {
      expect(capture.linkType).toBe(LinkType.LINUX_SLL);
      await send('x'.repeat(100));
      await until(() => frames.length >= 1);
      expect(frames[0]).toMatchObject({ linkType: LinkType.LINUX_SLL, origLen: 16 + 20 + 8 + 100 });
      expect(frames[0]!.data.length).toBe(50);
    } finally {
      capture.close();
      await send('release');
    }
  });

  it('an exception from onFrame closes the capture and goes to onError', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const capture: LiveCapture = await openLiveCapture({
      device: 'lo',
      bpf: `udp dst port ${port}`,
      onFrame: () => {
        calls++;
        throw new Error('consumer failed');
      },
      onError: (err) => errors.push(err),
    });
    await send('one');
    await send('two');
    await until(() => errors.length >= 1);
    await send('three');
    await sleep(50);
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('consumer failed');
    expect(capture.stats().delivered).toBe(1);
  });

  it('a device that does not exist is E_CAPTURE_OPEN', async () => {
    const err = await rejection(openLiveCapture({ device: 'psnodev0', onFrame: () => {} }));
    expect(err.code).toBe('E_CAPTURE_OPEN');
    expect(err.message).toContain('psnodev0');
    expect(err.hint).toMatch(/ip link/);
  });

  it('a bad BPF expression is E_BAD_FILTER naming the expression, before any handle is opened', async () => {
    for (const bpf of ['tcp port (', 'udp port banana and', 'vlan and ip']) {
      const device = bpf === 'vlan and ip' ? 'any' : 'lo'; // no VLAN support for Linux cooked v1
      const err = await rejection(openLiveCapture({ device, bpf, onFrame: () => {} }));
      expect(err.code).toBe('E_BAD_FILTER');
      expect(err.message).toContain(`"${bpf}"`);
    }
  });

  it('without CAP_NET_RAW it is E_CAPTURE_OPEN saying to run as root or grant CAP_NET_RAW', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podsniff-live-'));
    try {
      await chmod(dir, 0o755);
      const script = join(dir, 'open.mts');
      const index = resolve('src/capture/index.ts');
      await writeFile(
        script,
        `import { openLiveCapture } from ${JSON.stringify(index)};\n` +
          `try { await openLiveCapture({ device: 'lo', onFrame: () => {} }); console.log('opened'); process.exit(0); }\n` +
          `catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message, hint: e.hint })); }\n`,
      );
      const tsx = resolve('node_modules/.bin/tsx');
      const { stdout } = await exec('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', tsx, script], {
        env: { ...process.env, HOME: dir, TSX_TSCONFIG_PATH: resolve('tsconfig.json') },
      });
      const out = JSON.parse(stdout.trim().split('\n').pop()!);
      expect(out.code).toBe('E_CAPTURE_OPEN');
      expect(out.hint).toMatch(/run as root or grant CAP_NET_RAW/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
