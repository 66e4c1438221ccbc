/**
 * Live dissection: capture → pipeline → attribution → entry feed. Frames are processed synchronously
 * in the capture's callback (no queue to overflow; the kernel ring absorbs bursts). Conversation
 * timeouts follow capture time, advanced once a second by the wall clock so idle connections end
 * even when no packet arrives. A frame that makes the pipeline throw is counted as an own drop and
 * logged (rate-limited); it never stops the capture.
 */
import { readlinkSync } from 'node:fs';
import { openLiveCapture } from '../capture/index.js';
import type { ConnectionTable } from '../identity/index.js';
import { tsFromMs, type CaptureCounters, type StageLogger } from '../model/index.js';
import { defaultRegistry } from '../protocols/index.js';
import { Attributor } from './attribution.js';
import type { EntryRing } from './entry-ring.js';
import { Pipeline } from './pipeline.js';

export interface LiveDissectionOptions {
  readonly device: string;
  readonly bpf?: string;
  readonly table: ConnectionTable;
  readonly ring: EntryRing;
  readonly log: StageLogger;
}

export interface LiveDissection {
  readonly linkType: number;
  counters(): CaptureCounters;
  stop(): void;
}

const TICK_MS = 1000;

/** Inode of this process's network namespace (where the capture runs), or null. */
function ownNetns(): number | null {
  try {
    const match = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/net'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export async function startLiveDissection(options: LiveDissectionOptions): Promise<LiveDissection> {
  const { ring, log } = options;
  const attributor = new Attributor({ table: options.table, log, captureNetns: ownNetns(), onUpdate: (entry) => ring.update(entry) });
  const pipeline = new Pipeline({
    registry: defaultRegistry(),
    resolution: 'pending',
    idPrefix: `${Date.now().toString(36)}-`,
    onConversation: (conn) => attributor.noteConversation(conn),
    onConversationEnd: (conn) => attributor.forgetConversation(conn),
    onEntry: (entry, conn) => ring.add(attributor.attribute(entry, conn)),
  });
  let ownDrops = 0;
  let lastErrorLog = 0;
  const capture = await openLiveCapture({
    device: options.device,
    bpf: options.bpf,
    onFrame: (frame) => {
      try {
        pipeline.pushFrame(frame);
      } catch (err) {
        ownDrops++;
        if (Date.now() - lastErrorLog > 10_000) {
          lastErrorLog = Date.now();
          log.warn({ err, dropped: ownDrops }, 'a frame could not be processed; counted as dropped');
        }
      }
    },
  });
  const tick = setInterval(() => pipeline.advanceTo(tsFromMs(Date.now())), TICK_MS);
  tick.unref();
  return {
    linkType: capture.linkType,
    counters(): CaptureCounters {
      const c = capture.stats();
      const p = pipeline.stats();
      return {
        packetsReceived: c.received,
        packetsDroppedKernel: c.droppedKernel,
        packetsDroppedInterface: c.droppedInterface,
        packetsDroppedOwn: ownDrops,
        packetsProcessed: p.packets,
        bytes: p.bytes,
        streamsLive: p.streamsLive,
        streamsTotal: p.streams,
        entriesByProtocol: p.byProtocol,
        gaps: p.gaps,
        bytesLost: p.bytesLost,
        anomalies: p.anomalies,
      };
    },
    stop() {
      clearInterval(tick);
      capture.close();
      try {
        pipeline.finish();
      } catch (err) {
        log.warn({ err }, 'flushing the pipeline failed');
      }
    },
  };
}
