/** Capture counters before the capture thread has sent any. */
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
