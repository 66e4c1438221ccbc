/**
 * Live capture through libpcap. `openLiveCapture` opens a device (or 'any'), validates the BPF filter
 * first, and calls `onFrame` for every packet the filter accepts, from the event loop, in arrival
 * order. Each frame holds a copy of the packet (libpcap's buffer is reused; see frame-data.ts); timestamps are libpcap's
 * microseconds. Lifecycle: frames flow until `close()`; no `onFrame` call happens after it returns.
 * libpcap releases the kernel ring at the next packet the filter accepts after `close()` (a limit of
 * the non-blocking node-pcap binding); until then its poll handle keeps the event loop alive.
 */
import { endianness } from 'node:os';
import { PodsniffError, type Frame, type LinkTypeValue } from '../model/index.js';
import { FrameDataPool } from './frame-data.js';
import { linkTypeFromBindingName } from './link-type.js';
import { MAX_PCAP_CAPLEN } from './pcap-reader.js';
import {
  badFilter,
  checkFilter,
  expectedLinkType,
  loadPcapBinding,
  type NativeSession,
  type NativeStats,
  type PcapBinding,
} from './libpcap-binding.js';

/** What to capture and where frames go. Only `device` and `onFrame` are required. */
export interface LiveCaptureOptions {
  /** Interface name, or 'any' (Linux cooked capture, LINUX_SLL). */
  device: string;
  /** BPF expression (man 7 pcap-filter); all packets when absent or empty. */
  bpf?: string;
  /** Longest data kept per packet (default 262144). */
  snaplen?: number;
  /** Kernel ring size (default 32 MiB). */
  bufferSizeBytes?: number;
  /** How long the kernel may hold a partly filled ring block before waking us (default 10 ms). */
  bufferTimeoutMs?: number;
  /** Put the interface in promiscuous mode (default false). */
  promiscuous?: boolean;
  /**
   * Read the ring on a timer every this many ms instead of when libuv reports it readable. The
   * binding never closes its libuv poll handle, which aborts a worker thread's exit; with a timer
   * there is no such handle, so a capture run in a worker thread can end cleanly. (The handle is
   * nonblocking either way.)
   */
  pollIntervalMs?: number;
  /** Receives each frame; it owns the frame. */
  onFrame: (frame: Frame) => void;
  /**
   * Receives an exception thrown by `onFrame` (the capture is closed first) or a read failure.
   * Without it such an error is rethrown as an uncaught exception.
   */
  onError?: (err: unknown) => void;
}

/** Counters since the capture opened (libpcap's pcap_stats plus our own). */
export interface LiveCaptureStats {
  /** Packets the filter accepted, including those dropped (Linux ps_recv). */
  received: number;
  /** Packets dropped because the kernel ring was full. */
  droppedKernel: number;
  /** Packets the interface or driver dropped (when the platform reports it). */
  droppedInterface: number;
  /** Frames handed to `onFrame`. */
  delivered: number;
}

/** An open live capture: frames flow to `onFrame` until `close()`. */
export interface LiveCapture {
  readonly device: string;
  readonly linkType: LinkTypeValue;
  /** Current counters; after `close()`, the last ones read. */
  stats(): LiveCaptureStats;
  /** Stops delivery immediately; idempotent. */
  close(): void;
}

export const DEFAULT_BUFFER_BYTES = 32 * 1024 * 1024;
export const DEFAULT_BUFFER_TIMEOUT_MS = 10;

/**
 * Opens a live capture. Rejects with E_CAPTURE_UNAVAILABLE (binding missing), E_BAD_FILTER (the
 * expression does not compile; named in the message) or E_CAPTURE_OPEN (no such device, permission).
 */
export async function openLiveCapture(options: LiveCaptureOptions): Promise<LiveCapture> {
  const binding = loadPcapBinding();
  const bpf = options.bpf?.trim() ?? '';
  if (bpf !== '') await checkFilter(binding, bpf, await expectedLinkType(options.device));
  return new PcapLiveCapture(binding, options, bpf);
}

const HOST_LE = endianness() === 'LE';

class PcapLiveCapture implements LiveCapture {
  readonly device: string;
  readonly linkType: LinkTypeValue;
  private readonly session: NativeSession;
  private readonly data: Buffer;
  private readonly bytes: Uint8Array;
  private readonly header = Buffer.alloc(16);
  private readonly headerView = new DataView(this.header.buffer, this.header.byteOffset, 16);
  private readonly pool = new FrameDataPool();
  private delivered = 0;
  private last: NativeStats = { ps_recv: 0, ps_drop: 0, ps_ifdrop: 0 };
  private closed = false;
  private released = false;
  private dispatching = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(binding: PcapBinding, private readonly options: LiveCaptureOptions, bpf: string) {
    this.device = options.device;
    const snaplen = options.snaplen ?? MAX_PCAP_CAPLEN;
    this.data = Buffer.alloc(snaplen);
    this.bytes = new Uint8Array(this.data.buffer, this.data.byteOffset, snaplen);
    this.session = new binding.PcapSession();
    const name = this.open(bpf, snaplen);
    const linkType = linkTypeFromBindingName(name);
    if (linkType === undefined) throw new PodsniffError('E_CAPTURE_OPEN', `libpcap returned an unknown link type "${name}" for ${this.device}`);
    this.linkType = linkType;
    if (options.pollIntervalMs !== undefined) {
      this.timer = setInterval(() => this.drain(), Math.max(1, options.pollIntervalMs));
    } else {
      this.session.read_callback = () => this.drain();
      this.session.start_polling();
    }
    process.nextTick(() => this.drain()); // packets may be waiting before the poll starts
  }

  stats(): LiveCaptureStats {
    if (!this.released) this.last = this.session.stats();
    return { received: this.last.ps_recv, droppedKernel: this.last.ps_drop, droppedInterface: this.last.ps_ifdrop, delivered: this.delivered };
  }

  close(): void {
    if (this.closed) return;
    this.stats();
    this.closed = true;
    this.session.close();
    if (!this.dispatching) this.drain(); // releases now if a packet is already waiting
  }

  private open(bpf: string, snaplen: number): string {
    const o = this.options;
    try {
      return this.session.open_live(this.device, bpf, o.bufferSizeBytes ?? DEFAULT_BUFFER_BYTES, snaplen, '', () => this.onPacket(),
        false, o.bufferTimeoutMs ?? DEFAULT_BUFFER_TIMEOUT_MS, noop, o.promiscuous ?? false);
    } catch (err) {
      throw openError(this.device, bpf, err);
    }
  }

  /** Reads every packet waiting in the ring (called when the ring's fd is readable). */
  private drain(): void {
    if (this.released || this.dispatching) return;
    this.dispatching = true;
    let result: number;
    try {
      result = this.session.dispatch(this.data, this.header);
    } finally {
      this.dispatching = false;
    }
    if (result === -2) {
      this.released = true;
      if (this.timer) clearInterval(this.timer);
    } else if (result === -1 && !this.closed) this.fail(new PodsniffError('E_CAPTURE_OPEN', `capture on ${this.device} failed while reading (did the interface go away?)`));
  }

  private onPacket(): void {
    if (this.closed) return;
    const h = this.headerView;
    const caplen = Math.min(h.getUint32(8, HOST_LE), this.bytes.length);
    const frame: Frame = {
      ts: { sec: h.getUint32(0, HOST_LE), nsec: h.getUint32(4, HOST_LE) * 1000 },
      linkType: this.linkType,
      data: this.pool.copy(this.bytes, 0, caplen),
      origLen: h.getUint32(12, HOST_LE),
      interfaceId: 0,
    };
    this.delivered++;
    try {
      this.options.onFrame(frame);
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    this.close();
    if (!this.options.onError) throw err;
    this.options.onError(err);
  }
}

function openError(device: string, bpf: string, err: unknown): PodsniffError {
  const why = err instanceof Error ? err.message : String(err);
  if (/permission|not permitted|EPERM|EACCES/i.test(why)) {
    return new PodsniffError('E_CAPTURE_OPEN', `cannot capture on ${device}: ${why}`, 'run as root or grant CAP_NET_RAW (and CAP_NET_ADMIN) to node', { cause: err });
  }
  if (/no such device|doesn't exist|does not exist/i.test(why)) {
    return new PodsniffError('E_CAPTURE_OPEN', `cannot capture on ${device}: no such device (${why})`, "check the interface name with `ip link`, or capture on 'any'", { cause: err });
  }
  if (bpf !== '' && /filter|syntax|parse/i.test(why)) return badFilter(bpf, err);
  return new PodsniffError('E_CAPTURE_OPEN', `cannot capture on ${device}: ${why}`, 'check that the interface exists and is up', { cause: err });
}

function noop(): void {}
