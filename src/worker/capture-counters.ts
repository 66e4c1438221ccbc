/** Capture counters: the zero value, and the sum of two runs (a capture restarted keeps its totals). */
import type { CaptureCounters } from '../model/index.js';

export function emptyCaptureCounters(): CaptureCounters {
  return {
    packetsReceived: 0,
    packetsDroppedKernel: 0,
    packetsDroppedInterface: 0,
    packetsDroppedOwn: 0,
    packetsProcessed: 0,
    bytes: 0,
    streamsLive: 0,
    streamsTotal: 0,
    entriesByProtocol: {},
    gaps: 0,
    bytesLost: 0,
    anomalies: 0,
    entriesDropped: 0,
  };
}

/** `earlier` (finished runs) plus `current` (the running one). `streamsLive` is the current run's only. */
export function addCaptureCounters(earlier: CaptureCounters, current: CaptureCounters): CaptureCounters {
  const byProtocol: Record<string, number> = { ...earlier.entriesByProtocol };
  for (const [protocol, n] of Object.entries(current.entriesByProtocol)) byProtocol[protocol] = (byProtocol[protocol] ?? 0) + n;
  return {
    packetsReceived: earlier.packetsReceived + current.packetsReceived,
    packetsDroppedKernel: earlier.packetsDroppedKernel + current.packetsDroppedKernel,
    packetsDroppedInterface: earlier.packetsDroppedInterface + current.packetsDroppedInterface,
    packetsDroppedOwn: earlier.packetsDroppedOwn + current.packetsDroppedOwn,
    packetsProcessed: earlier.packetsProcessed + current.packetsProcessed,
    bytes: earlier.bytes + current.bytes,
    streamsLive: current.streamsLive,
    streamsTotal: earlier.streamsTotal + current.streamsTotal,
    entriesByProtocol: byProtocol,
    gaps: earlier.gaps + current.gaps,
    bytesLost: earlier.bytesLost + current.bytesLost,
    anomalies: earlier.anomalies + current.anomalies,
    entriesDropped: earlier.entriesDropped + current.entriesDropped,
  };
}
