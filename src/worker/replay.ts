/**
 * Replay of a capture file into the store (`podsniff local --pcap FILE`): the same pipeline as live
 * capture, on the main thread in slices of one read chunk (1 MiB) with a turn of the event loop
 * between them, so the API and health answer while a large file is read. Entries carry
 * `resolution: "unresolved"` (a file has no processes to look up). A damaged file keeps everything
 * read before the damage; the error is reported in `progress()` and logged.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { setImmediate as turn } from 'node:timers/promises';
import { CaptureFileError, CaptureFileParser } from '../capture/index.js';
import { PodsniffError, type Frame, type StageLogger } from '../model/index.js';
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
  /** Stop reading at the next slice. */
  stop(): void;
}

const CHUNK = 1 << 20;

/**
 * Open `path` and start reading it. Rejects (E_CAPTURE_OPEN, E_CAPTURE_FORMAT) when the file cannot be
 * opened or does not start as a capture file; damage further in is reported by `progress()`.
 */
export async function startReplay(path: string, sink: StoredEntries, log: StageLogger, idPrefix: string): Promise<Replay> {
  const progress: ReplayProgress = { done: false, packets: 0, entries: 0, error: null };
  let stopped = false;
  const chunker = new PacketChunker({ onChunk: (chunk) => sink.addPackets(chunk) });
  const pipeline = new Pipeline({
    registry: defaultRegistry(),
    resolution: 'unresolved',
    idPrefix,
    onPacket: (frame, conn) => chunker.add(frame, conn),
    onConversationEnd: (conn) => chunker.flush(conn),
    onEntry: (entry, conn) => {
      chunker.flush(conn);
      progress.entries++;
      sink.add(entry);
    },
  });
  const parser = new CaptureFileParser();
  const file = await openCapture(path);
  const buffer = Buffer.allocUnsafe(CHUNK);
  // The file header is checked before returning, so "not a capture file" is a start-up error.
  let first: Awaited<ReturnType<typeof file.read>>;
  let early: Frame[];
  try {
    first = await file.read(buffer, 0, CHUNK, null);
    early = first.bytesRead ? parser.push(buffer.subarray(0, Math.min(first.bytesRead, 64))) : parser.end();
  } catch (err) {
    await file.close();
    throw err instanceof CaptureFileError ? err.withPath(path) : err;
  }
  const run = async (): Promise<void> => {
    try {
      for (const frame of early) pipeline.pushFrame(frame);
      let pending: number | null = first.bytesRead;
      let offset = Math.min(first.bytesRead, 64);
      for (;;) {
        if (stopped) return;
        const bytesRead = pending ?? (await file.read(buffer, 0, CHUNK, null)).bytesRead;
        const from = pending === null ? 0 : offset;
        pending = null;
        offset = 0;
        const frames = bytesRead ? parser.push(buffer.subarray(from, bytesRead)) : parser.end();
        for (const frame of frames) pipeline.pushFrame(frame);
        progress.packets = pipeline.stats().packets;
        if (!bytesRead) return;
        await turn();
      }
    } finally {
      await file.close();
    }
  };
  const finished = run()
    .catch((err: unknown) => {
      const named = err instanceof CaptureFileError ? err.withPath(path) : err;
      progress.error = (named as Error).message;
      log.warn({ err: named }, 'replay stopped early; entries read before the error are kept');
    })
    .finally(() => {
      pipeline.finish();
      chunker.flushAll();
      sink.flush();
      progress.packets = pipeline.stats().packets;
      progress.done = true;
      log.info({ file: path, packets: progress.packets, entries: progress.entries }, 'replay finished');
    });
  return { progress: () => ({ ...progress }), finished, stop: () => (stopped = true) };
}

async function openCapture(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new PodsniffError('E_CAPTURE_OPEN', `cannot open capture file ${path}: ${reason}`, 'check the path; podsniff reads pcap and pcapng files', { cause: err });
  }
}
