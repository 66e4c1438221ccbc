/**
 * `npm run bench:capture` (root): live capture at 100k packets/s, podsniff against tcpdump, then reading
 * the captured packets back from a file, podsniff against tshark.
 *
 * Builds a veth pair whose far end sits in a network namespace this run creates (psncap<pid>); a
 * python3 sender in that namespace sends small UDP packets at a paced rate to a neighbour that exists
 * only as a static ARP entry, so the frames end on the near veth (root namespace, no address) and are
 * dropped there by the kernel, never routed. podsniff's `openLiveCapture` (in this process) and
 * `tcpdump -w /dev/null` capture that veth at the same time with the same filter and kernel buffer.
 * Prints one table: packets sent, rate reached, packets seen and drops for each side, CPU, ratios.
 * Removes the namespace, the veths and its children (by pid) on every exit path.
 *
 * Env: RATE (packets/s, default 100000), SECONDS (default 5), BUFFER_MIB (default 32),
 * BUFFER_TIMEOUT_MS (podsniff, default 10).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openLiveCapture, readCaptureFile, writeCaptureFile, type LiveCaptureStats } from '../src/capture/index.js';
import type { Frame } from '../src/model/index.js';

const RATE = Number(process.env.RATE ?? 100_000);
const SECONDS = Number(process.env.SECONDS ?? 5);
const BUFFER_MIB = Number(process.env.BUFFER_MIB ?? 32);
const TIMEOUT_MS = Number(process.env.BUFFER_TIMEOUT_MS ?? 10);
const PORT = 9999;
const NS = `psncap${process.pid}`;
const HOST_IF = `psc${process.pid}h`;
const FILTER = `udp and dst port ${PORT}`;

const children = new Set<ChildProcess>();
let tmp: string | undefined;

const SENDER = `
import socket, sys, time, json
rate, seconds, port, host = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
payload, dst, sent, errors = b'podsniff-bench-pkt', (host, port), 0, 0
start = time.perf_counter()
end = start + seconds
while True:
    now = time.perf_counter()
    if now >= end:
        break
    due = int((now - start) * rate) - sent
    if due <= 0:
        time.sleep(0.0002)
        continue
    for _ in range(min(due, 1000)):
        try:
            s.sendto(payload, dst)
            sent += 1
        except OSError:
            errors += 1
print(json.dumps({"sent": sent, "errors": errors, "seconds": time.perf_counter() - start}))
`;

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function setUp(): void {
  ip(['netns', 'add', NS]);
  ip(['link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', NS]);
  writeFileSync(`/proc/sys/net/ipv6/conf/${HOST_IF}/disable_ipv6`, '1');
  ip(['link', 'set', HOST_IF, 'up']);
  for (const cmd of ['link set lo up', 'link set eth0 up', 'addr add 10.213.0.2/24 dev eth0', 'neigh add 10.213.0.1 lladdr 02:00:00:00:00:01 dev eth0 nud permanent']) {
    ip(['-n', NS, ...cmd.split(' ')]);
  }
}

function cleanUp(): void {
  for (const child of children) if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
  try {
    ip(['netns', 'del', NS]); // destroys eth0 and with it its peer
  } catch {
    // not created
  }
  try {
    ip(['link', 'del', HOST_IF]);
  } catch {
    // gone with the namespace
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function startTcpdump(): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = track(spawn('tcpdump', ['-i', HOST_IF, '-n', '-B', String(BUFFER_MIB * 1024), '-w', '/dev/null', FILTER], { stdio: ['ignore', 'ignore', 'pipe'] }));
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (err += d));
  const deadline = Date.now() + 10_000;
  while (!/listening on/.test(err)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`tcpdump did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, stderr: () => err };
}

async function runSender(): Promise<{ sent: number; errors: number; seconds: number }> {
  const child = track(spawn('ip', ['netns', 'exec', NS, 'python3', '-c', SENDER, String(RATE), String(SECONDS), String(PORT), '10.213.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] }));
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => (out += d));
  await once(child, 'exit');
  return JSON.parse(out) as { sent: number; errors: number; seconds: number };
}

function tcpdumpCounts(stderr: string): { captured: number; received: number; droppedKernel: number; droppedInterface: number } {
  const count = (what: string) => Number(new RegExp(`(\\d+) packets? ${what}`).exec(stderr)?.[1] ?? 0);
  return { captured: count('captured'), received: count('received by filter'), droppedKernel: count('dropped by kernel'), droppedInterface: count('dropped by interface') };
}

async function liveBench(): Promise<Frame[]> {
  const frames: Frame[] = [];
  const cpu0 = process.cpuUsage();
  const capture = await openLiveCapture({ device: HOST_IF, bpf: FILTER, bufferSizeBytes: BUFFER_MIB << 20, bufferTimeoutMs: TIMEOUT_MS, onFrame: (f) => frames.push(f) });
  const tcpdump = await startTcpdump();
  const tcpdumpPid = tcpdump.child.pid!;
  const sender = await runSender();
  await new Promise((r) => setTimeout(r, 1000)); // let both drain their rings
  const ours: LiveCaptureStats = capture.stats();
  const ourCpu = process.cpuUsage(cpu0);
  const theirCpu = cpuSeconds(tcpdumpPid);
  capture.close();
  process.kill(tcpdumpPid, 'SIGINT');
  await once(tcpdump.child, 'exit');
  const theirs = tcpdumpCounts(tcpdump.stderr());

  const rate = sender.sent / sender.seconds;
  const row = (label: string, a: string | number, b: string | number) => console.log(`  ${label.padEnd(34)} ${String(a).padStart(12)} ${String(b).padStart(12)}`);
  console.log(`\nLive capture on veth ${HOST_IF} (far end in netns ${NS}), filter "${FILTER}", kernel buffer ${BUFFER_MIB} MiB, podsniff buffer timeout ${TIMEOUT_MS} ms`);
  console.log(`  packets sent: ${sender.sent} in ${sender.seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en')} packets/s (target ${RATE.toLocaleString('en')}; send errors ${sender.errors})\n`);
  row('', 'podsniff', 'tcpdump');
  row('packets seen by the application', ours.delivered, theirs.captured);
  row('received by filter', ours.received, theirs.received);
  row('dropped by kernel (ring full)', ours.droppedKernel, theirs.droppedKernel);
  row('dropped by interface', ours.droppedInterface, theirs.droppedInterface);
  row('sent but not seen', sender.sent - ours.delivered, sender.sent - theirs.captured);
  row('seen / sent', (ours.delivered / sender.sent).toFixed(4), (theirs.captured / sender.sent).toFixed(4));
  row('CPU seconds (whole process)', ((ourCpu.user + ourCpu.system) / 1e6).toFixed(2), theirCpu.toFixed(2));
  console.log(`  ratio podsniff/tcpdump packets seen: ${(ours.delivered / Math.max(1, theirs.captured)).toFixed(4)}`);
  return frames;
}

async function fileBench(frames: Frame[]): Promise<void> {
  tmp = mkdtempSync(join(tmpdir(), 'podsniff-bench-'));
  const file = join(tmp, 'capture.pcap');
  await writeCaptureFile(file, frames);
  const times: number[] = [];
  let seen = 0;
  for (let i = 0; i < 5; i++) {
    seen = 0;
    const t0 = performance.now();
    await readCaptureFile(file, () => seen++);
    times.push(performance.now() - t0);
  }
  const ours = times.sort((a, b) => a - b)[2]!;
  const t0 = performance.now();
  const out = execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.len'], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  const tshark = performance.now() - t0;
  const tsharkFrames = out.toString('latin1').split('\n').filter(Boolean).length;
  console.log(`\nReading the captured packets back (${frames.length} frames, pcap ${readFileSync(file).length} bytes)`);
  console.log(`  podsniff readCaptureFile (median of 5): ${ours.toFixed(1)} ms, ${seen} frames, ${Math.round(seen / (ours / 1000)).toLocaleString('en')} frames/s`);
  console.log(`  tshark -r <file> -T fields -e frame.len:  ${tshark.toFixed(1)} ms, ${tsharkFrames} frames`);
  console.log(`  ratio tshark/podsniff: ${(tshark / ours).toFixed(1)}x\n`);
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.error('bench:capture needs root (network namespace, veth, packet capture)');
    process.exit(1);
  }
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      cleanUp();
      process.exit(130);
    });
  }
  try {
    setUp();
    const frames = await liveBench();
    await fileBench(frames);
  } finally {
    cleanUp();
  }
  process.exit(0); // a closed libpcap handle is released only at the next packet
}

main().catch((err: unknown) => {
  console.error(err);
  cleanUp();
  process.exit(1);
});
