/**
 * The capture stage: live capture (libpcap), and pcap/pcapng reading and writing. Everything yields
 * `Frame`s that own their data, in capture order. Imports only `model`.
 */
export { CaptureFileError, type CaptureFileErrorCode } from './errors.js';
export { CaptureFileParser, type CaptureFormat } from './parser.js';
export type { PcapHeader } from './pcap-reader.js';
export { captureFileOpenError, readCaptureFile, type ReadCaptureOptions, type CaptureFileSummary } from './read-file.js';
export { FrameStats, summarizeFrames, type FrameSummary } from './frame-stats.js';
export { PcapWriter, writeCaptureFile, type PcapWriterOptions, type WriteCaptureOptions } from './pcap-writer.js';
export {
  openLiveCapture,
  DEFAULT_BUFFER_BYTES,
  DEFAULT_BUFFER_TIMEOUT_MS,
  type LiveCapture,
  type LiveCaptureOptions,
  type LiveCaptureStats,
} from './live.js';
