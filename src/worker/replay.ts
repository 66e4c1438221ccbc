/**
 * Replay of a capture file into the store (`podsniff local --pcap FILE`): the same pipeline as live
 * capture, fed by `readCaptureFile`, whose reads of 1 MiB chunks give the event loop a turn in
 * between, so the API and health answer while a large file is read. Entries carry
 * `resolution: "unresolved"` (a file has no processes to look up). A file that cannot be opened, or
 * fails before its first frame (not a capture at all), fails the start; damage further in keeps
 * everything read before it and is reported by `progress()` and logged.
 */
import { readCaptureFile } from '../capture/index.js';
import type { StageLogger } from '../model/index.js';
import type { RedactionPolicy } from '../correlate/index.js';
import { defaultRegistry } from '../protocols/index.js';
import { PacketChunker } from './packet-chunker.js';
import { Pipeline } from './pipeline.js';
import type { StoredEntries } from './stored-entries.js';

export interface ReplayProgress {
  done: boolean;
  packets: number;
  entries: number;
  error: string | null;
}

export interface Replay {
  progress(): ReplayProgress;
  /** Resolves when the file has been read to its end (or its damage). Never rejects. */
  readonly finished: Promise<void>;
  /** Stop reading at the next chunk. */
  stop(): void;
}

/** Open `path` and start reading it; rejects with the file's error when it fails before its first frame. */
export async function startReplay(path: string, sink: StoredEntries, log: StageLogger, idPrefix: string, redaction: RedactionPolicy | null): Promise<Replay> {
  const progress: ReplayProgress = { done: false, packets: 0, entries: 0, error: null };
  const chunker = new PacketChunker({ rawPcap: sink.rawPcap, onChunk: (chunk) => sink.addPackets(chunk) });
  const pipeline = new Pipeline({
    registry: defaultRegistry(),
    resolution: 'unresolved',
    idPrefix,
    redaction,
    onPacket: (frame, conn) => chunker.add(frame, conn),
    onConversationEnd: (conn) => chunker.end(conn),
    onEntry: (entry, conn) => {
      chunker.entryDone(conn, entry);
      progress.entries++;
      sink.add(entry);
    },
  });
  const abort = new AbortController();
  let firstFrame = (): void => {};
  const started = new Promise<void>((resolve) => (firstFrame = resolve));
  const reading = readCaptureFile(
    path,
    (frame) => {
      firstFrame();
      progress.packets++;
      pipeline.pushFrame(frame);
    },
    { signal: abort.signal },
  );
  await Promise.race([started, reading]);
  const finished = reading
    .then(
      () => undefined,
      (err: unknown) => {
        if (abort.signal.aborted) return;
        progress.error = (err as Error).message;
        log.warn({ err }, 'replay stopped early; entries read before the error are kept');
      },
    )
    .finally(() => {
      pipeline.finish();
      chunker.flushAll();
      sink.flush();
      progress.done = true;
      log.info({ file: path, packets: progress.packets, entries: progress.entries }, 'replay finished');
    });
  return { progress: () => ({ ...progress }), finished, stop: () => abort.abort() };
}
