/**
 * The native libpcap binding of the npm package `pcap` (3.1.0, an optional dependency), loaded lazily
 * and used directly: its JavaScript layer adds an event and an object per packet and decoders we do
 * not use. Also: the link type libpcap will pick for a device, and BPF validation against it on an
 * empty savefile, so a bad expression never leaves an activated live handle behind.
 */
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LinkType, PodsniffError, type LinkTypeValue } from '../model/index.js';
import { PcapWriter } from './pcap-writer.js';

/** pcap_stats() as the binding returns it. */
export interface NativeStats {
  ps_recv: number;
  ps_drop: number;
  ps_ifdrop: number;
}

/**
 * One libpcap handle (node-pcap's `PcapSession` C++ class). `dispatch` copies each packet into `buf`
 * and its 16-byte header (tv_sec, tv_usec, caplen, len as host-order u32) into `header`, then calls
 * the open callback; it returns -2 once after `close()` when libpcap saw the break, and only then
 * releases the handle (which needs a packet on a live non-blocking handle).
 */
export interface NativeSession {
  open_live(device: string, filter: string, bufferSize: number, snaplen: number, outfile: string,
    onPacket: () => void, monitor: boolean, timeoutMs: number, onWarning: (msg: string) => void, promisc: boolean): string;
  open_offline(path: string, filter: string, bufferSize: number, snaplen: number, outfile: string,
    onPacket: () => void, monitor: boolean, timeoutMs: number, onWarning: (msg: string) => void, promisc: boolean): string;
  dispatch(buf: Buffer, header: Buffer): number;
  start_polling(): void;
  close(): void;
  stats(): NativeStats;
  read_callback?: () => void;
}

export interface PcapBinding {
  PcapSession: new () => NativeSession;
  lib_version(): string;
}

export const UNAVAILABLE_HINT = 'install libpcap-dev (bash scripts/system-deps.sh) and run npm rebuild pcap';

let cached: PcapBinding | undefined;

/** Loads the binding of package `moduleName` once; E_CAPTURE_UNAVAILABLE when it cannot. */
export function loadPcapBinding(moduleName = 'pcap'): PcapBinding {
  if (moduleName === 'pcap' && cached) return cached;
  try {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve(moduleName));
    const binding = require(join(dir, 'build', 'Release', 'pcap_binding.node')) as PcapBinding;
    if (typeof binding.PcapSession !== 'function') throw new Error('the module has no PcapSession');
    if (moduleName === 'pcap') cached = binding;
    return binding;
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new PodsniffError('E_CAPTURE_UNAVAILABLE', `live capture is not available: the libpcap binding (npm package ${moduleName}) did not load: ${why}`, UNAVAILABLE_HINT, { cause: err });
  }
}

/** ARPHRD_* (from /sys/class/net/<dev>/type) to the link type libpcap gives such a device on Linux. */
const ARPHRD_TO_LINKTYPE: Record<number, LinkTypeValue> = { 1: LinkType.ETHERNET, 772: LinkType.ETHERNET, 65534: LinkType.RAW, 803: 127 };

/** The link type libpcap will most likely pick for `device` (Linux cooked capture when unsure). */
export async function expectedLinkType(device: string): Promise<LinkTypeValue> {
  if (device === 'any' || device.includes('/')) return LinkType.LINUX_SLL;
  try {
    const arphrd = Number((await readFile(`/sys/class/net/${device}/type`, 'latin1')).trim());
    return ARPHRD_TO_LINKTYPE[arphrd] ?? LinkType.LINUX_SLL;
  } catch {
    return LinkType.ETHERNET;
  }
}

/** Compiles `bpf` for `linkType` on an empty savefile; E_BAD_FILTER with libpcap's reason if it fails. */
export async function checkFilter(binding: PcapBinding, bpf: string, linkType: LinkTypeValue): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'podsniff-bpf-'));
  try {
    const file = join(dir, 'empty.pcap');
    await writeFile(file, new PcapWriter({ linkType }).header());
    const session = new binding.PcapSession();
    try {
      session.open_offline(file, bpf, 0, 65535, '', noop, false, 1000, noop, false);
    } catch (err) {
      throw badFilter(bpf, err);
    }
    session.close();
    session.dispatch(Buffer.alloc(64), Buffer.alloc(16)); // sees the break: releases the handle
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** E_BAD_FILTER naming the expression. */
export function badFilter(bpf: string, err: unknown): PodsniffError {
  const why = err instanceof Error ? err.message : String(err);
  return new PodsniffError('E_BAD_FILTER', `bad capture filter "${bpf}": ${why}`, 'fix the BPF expression (see man 7 pcap-filter); test it with `tcpdump -d -i <device> "<expr>"`', { cause: err });
}

function noop(): void {}
