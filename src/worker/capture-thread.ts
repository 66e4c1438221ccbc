/**
 * The capture thread: libpcap → pipeline, off the main thread. Dissection can take all of a CPU
 * quota under a packet flood, and libpcap's binding drains its ring in one native loop; running both
 * here keeps the main thread — health probes, API, scans — turning whatever the traffic does
 * (DESIGN.md rule 1). Pipeline events go to the main thread in batches (by count or every 20 ms),
 * counters every 500 ms. On `stop` (a shared flag, then a message) the pipeline is flushed (waiting
 * requests become entries) and the thread ends by itself — never terminated from outside, which
 * would abort the process if it landed inside the binding's native callback.
 *
 * A capture that fails after it ran (its interface went away) is reopened here, in this thread, with
 * backoff (1 s doubling to 30 s): the pipeline is flushed first, so nothing it held is lost, and the
 * main thread hears `failed` (with the next attempt) and `ready` again. Here and not in a new thread:
 * the `pcap` binding is not context-aware, so a second thread in the process cannot load it.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openLiveCapture, type LiveCapture } from '../capture/index.js';
import { PodsniffError, tsFromMs, type CaptureCounters } from '../model/index.js';
import { redactionPolicy } from '../correlate/index.js';
import { defaultRegistry } from '../protocols/index.js';
import { Backoff } from './backoff.js';
import { Control, MAX_BATCHES_IN_FLIGHT, type CaptureThreadConfig, type FromCaptureThread, type PipelineEvent, type ToCaptureThread } from './capture-protocol.js';
import { PacketChunker } from './packet-chunker.js';
import { Pipeline } from './pipeline.js';

const BATCH_EVENTS = 256;
const BATCH_MS = 20;
const COUNTERS_MS = 500;
const TICK_MS = 1000;
const POLL_MS = 2;

const port = parentPort!;
const config = workerData as CaptureThreadConfig;
const send = (message: FromCaptureThread): void => port.postMessage(message);
const control = new Int32Array(config.control);
let batchesSent = 0;
let entriesDropped = 0;

let events: PipelineEvent[] = [];
let lastFlush = Date.now();
let ownDrops = 0;
let lastWarning = 0;
let capture: LiveCapture | null = null;
/** Kernel counters of captures that failed and were closed (a reopened capture counts from zero). */
const closedStats = { received: 0, droppedKernel: 0, droppedInterface: 0 };
const backoff = new Backoff();
let reopenTimer: NodeJS.Timeout | null = null;
let opened = false;

const chunker = config.keepPackets ? new PacketChunker({ rawPcap: config.rawPcap, onChunk: (chunk) => queue({ k: 'packets', chunk }) }) : null;

const pipeline = new Pipeline({
  registry: defaultRegistry(),
  resolution: 'pending',
  idPrefix: config.idPrefix,
  redaction: config.redact ? redactionPolicy(config.redact) : null,
  onConversation: (conn) => queue({ k: 'open', conn }),
  onConversationEnd: (conn) => {
    chunker?.end(conn);
    queue({ k: 'end', conn });
  },
  onEntry: (entry, conn) => {
    chunker?.entryDone(conn, entry);
    queue({ k: 'entry', conn, entry });
  },
  onPacket: chunker ? (frame, conn) => chunker.add(frame, conn) : undefined,
});

function queue(event: PipelineEvent): void {
  events.push(event);
  if (events.length >= BATCH_EVENTS) flush();
}

function flush(): void {
  lastFlush = Date.now();
  if (!events.length) return;
  // A main thread that falls behind (CPU quota, a burst of entries) must not grow the message queue
  // without bound: past the window, batches are dropped and their entries counted as dropped.
  if (batchesSent - Atomics.load(control, Control.APPLIED) >= MAX_BATCHES_IN_FLIGHT) {
    for (const e of events) if (e.k === 'entry') entriesDropped++;
    // Dropped 'open'/'end' events only cost attribution of those conversations; dropped packets only their pcap.
  } else {
    send({ type: 'events', events });
    batchesSent++;
  }
  events = [];
}

function counters(): CaptureCounters {
  const c = capture?.stats() ?? { received: 0, droppedKernel: 0, droppedInterface: 0, delivered: 0 };
  const p = pipeline.stats();
  return {
    packetsReceived: closedStats.received + c.received,
    packetsDroppedKernel: closedStats.droppedKernel + c.droppedKernel,
    packetsDroppedInterface: closedStats.droppedInterface + c.droppedInterface,
    packetsDroppedOwn: ownDrops,
    packetsProcessed: p.packets,
    bytes: p.bytes,
    streamsLive: p.streamsLive,
    streamsTotal: p.streams,
    entriesByProtocol: p.byProtocol,
    gaps: p.gaps,
    bytesLost: p.bytesLost,
    anomalies: p.anomalies,
    entriesDropped,
  };
}

let framesSinceCheck = 0;
let lastCounters = 0;

function onFrame(frame: Parameters<Pipeline['pushFrame']>[0]): void {
  if (Atomics.load(control, Control.STOP) !== 0) {
    // Breaks the native drain loop; the `stop` message is handled once it has returned.
    capture?.close();
    return;
  }
  try {
    pipeline.pushFrame(frame);
  } catch (err) {
    ownDrops++;
    if (Date.now() - lastWarning > 10_000) {
      lastWarning = Date.now();
      send({ type: 'warning', message: `a frame could not be processed: ${(err as Error).message}`, dropped: ownDrops });
    }
  }
  // Under a flood the native drain loop keeps this thread's timers from running: flush from here too.
  if (++framesSinceCheck >= 64) {
    framesSinceCheck = 0;
    const now = Date.now();
    if (now - lastFlush >= BATCH_MS) flush();
    if (now - lastCounters >= COUNTERS_MS) postCounters(now);
  }
}

function postCounters(now = Date.now()): void {
  lastCounters = now;
  send({ type: 'counters', counters: counters() });
}

/** Open the capture; the first time, also start the timers. A failure after the first open is retried. */
async function open(): Promise<void> {
  reopenTimer = null;
  const handle: { capture: LiveCapture | null } = { capture: null };
  let opening: LiveCapture;
  try {
    // Timer polling: the binding's libuv poll handle is never closed and would abort this thread's exit.
    opening = await openLiveCapture({ device: config.device, bpf: config.bpf, onFrame, onError: (err) => handle.capture && failed(handle.capture, err), pollIntervalMs: POLL_MS });
    handle.capture = opening;
  } catch (err) {
    if (!opened) return report(err, null);
    return retry(err);
  }
  if (ended) return void opening.close();
  capture = opening;
  backoff.started();
  send({ type: 'ready', linkType: capture.linkType });
  if (opened) return;
  opened = true;
  setInterval(() => flush(), BATCH_MS).unref();
  setInterval(() => postCounters(), COUNTERS_MS).unref();
  // Capture time follows the wall clock live: idle conversations end even when no packet comes.
  setInterval(() => {
    pipeline.advanceTo(tsFromMs(Date.now()));
    // A quiet long-lived connection's packets become exportable within a second.
    chunker?.flushAll();
  }, TICK_MS).unref();
}

let ended = false;

/** A running capture failed: close it, keep what the pipeline holds, and try again later. */
function failed(which: LiveCapture, err: unknown): void {
  if (capture !== which || ended) return;
  const last = which.stats();
  closedStats.received += last.received;
  closedStats.droppedKernel += last.droppedKernel;
  closedStats.droppedInterface += last.droppedInterface;
  which.close();
  capture = null;
  try {
    pipeline.finish();
    chunker?.flushAll();
  } catch {
    // nothing more can be saved of these conversations
  }
  flush();
  retry(err);
}

function retry(err: unknown): void {
  const delay = backoff.next();
  report(err, delay);
  reopenTimer = setTimeout(() => void open(), delay);
}

function report(err: unknown, retryInMs: number | null): void {
  const known = err instanceof PodsniffError;
  send({ type: 'failed', code: known ? err.code : 'E_CAPTURE_OPEN', message: (err as Error).message ?? String(err), hint: known ? (err.hint ?? null) : null, retryInMs });
}

/** Close the capture, flush the pipeline (waiting requests become entries), report, and let the thread end. */
function end(): void {
  if (ended) return;
  ended = true;
  if (reopenTimer) clearTimeout(reopenTimer);
  capture?.close();
  try {
    pipeline.finish();
    chunker?.flushAll();
  } catch {
    // nothing more can be saved
  }
  flush();
  postCounters();
  send({ type: 'stopped' });
  port.close();
  // Intervals are unref'd and the capture is closed: the thread ends on its own.
}

port.on('message', (message: ToCaptureThread) => {
  if (message.type === 'stop') end();
});

/**
 * Under a CPU quota (a container limit), nice +10 for this thread only (Linux nice is per thread;
 * raising it needs no privilege). Both threads share the quota: at equal weight a flood let this thread
 * take most of it and the main thread's probes waited over a second (bench:health); at nice 10 the main
 * thread gets ~10x the share when both want the CPU, and what capture cannot keep up with becomes
 * kernel drops, counted. Without a quota the thread keeps its priority: nice is weighed against every
 * other process in the same cgroup then, and a busy host would starve capture (late lookups lose
 * short-lived sockets).
 */
function yieldToMainThread(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // not Linux, or /proc is not mounted: keep the default priority
  }
}

if (config.yieldToMain) yieldToMainThread();
void open();
