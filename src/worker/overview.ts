/** `GET /api/v1/overview`: one small status document for the dashboard's status bar and empty states. */
import type { ApiServer } from '../api/index.js';
import type { ConnectionTable } from '../identity/index.js';
import type { CaptureCounters, LocalStatus } from '../model/index.js';
import type { CaptureState } from './live-dissection.js';
import type { EntryStore } from '../store/index.js';
import type { ReplayProgress } from './replay.js';

/** What the overview route reads from the running source. */
export interface SourceStatus {
  replayed: Promise<void>;
  replayProgress: (() => ReplayProgress) | null;
  captureCounters: (() => CaptureCounters) | null;
  captureState: (() => CaptureState) | null;
}

export interface OverviewSources extends Omit<SourceStatus, 'replayed'> {
  readonly mode: LocalStatus['mode'];
  readonly source: string;
  readonly table: ConnectionTable | null;
  readonly store: EntryStore;
  readonly notice: string | null;
  readonly rawPcap: boolean;
}

export function registerOverviewRoute(server: ApiServer, sources: OverviewSources): void {
  server.get('/api/v1/overview', () => ({ body: overview(sources) }));
}

function overview(s: OverviewSources): LocalStatus {
  const stats = s.store.stats();
  const capture = s.captureCounters?.() ?? null;
  const state = s.captureState?.() ?? null;
  const scan = s.table?.status() ?? null;
  return {
    mode: s.mode,
    source: s.source,
    replay: s.replayProgress?.() ?? null,
    capture: capture && {
      packets: capture.packetsReceived,
      dropped: capture.packetsDroppedKernel + capture.packetsDroppedInterface + capture.packetsDroppedOwn,
      entries: Object.values(capture.entriesByProtocol).reduce((a, b) => a + b, 0),
      phase: state?.phase ?? 'running',
      reason: state?.reason ?? null,
    },
    scan: scan && {
      phase: scan.fullScans > 0 || scan.phase === 'idle' || scan.phase === 'stopped' ? 'done' : scan.phase,
      namespacesDone: scan.progress.namespacesDone,
      namespacesTotal: scan.progress.namespacesTotal,
      sockets: scan.table.sockets,
    },
    store: { entries: stats.entries, bytes: stats.bytes, dropped: stats.dropped.size + stats.dropped.age },
    notice: s.notice,
    rawPcap: s.rawPcap,
  };
}
