/** Live-capture counters as the worker exposes them (metrics, status). Monotonic since capture start. */
export interface CaptureCounters {
  /** Frames the kernel handed to the capture (libpcap ps_recv). */
  packetsReceived: number;
  /** Frames dropped by the kernel for lack of buffer space (ps_drop). */
  packetsDroppedKernel: number;
  /** Frames dropped by the interface or driver (ps_ifdrop). */
  packetsDroppedInterface: number;
  /** Frames podsniff received but could not process (internal errors). */
  packetsDroppedOwn: number;
  /** Frames processed by the pipeline, and their wire bytes. */
  packetsProcessed: number;
  bytes: number;
  /** TCP connections and UDP flows currently tracked. */
  streamsLive: number;
  streamsTotal: number;
  entriesByProtocol: Record<string, number>;
  /** Reassembly gaps declared and bytes lost in them. */
  gaps: number;
  bytesLost: number;
  anomalies: number;
  /** Entries dropped because the main thread fell behind the capture thread (bounded queue). */
  entriesDropped: number;
}
