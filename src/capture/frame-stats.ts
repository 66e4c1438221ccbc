/** A running summary of frames: counts, bytes, link types and time span. */
import { compareTs, type Frame, type LinkTypeValue, type Timestamp } from '../model/index.js';

/** What a set of frames amounts to. `first`/`last` are the earliest and latest timestamps seen. */
export interface FrameSummary {
  frames: number;
  /** Sum of captured lengths. */
  capturedBytes: number;
  /** Sum of original (wire) lengths. */
  wireBytes: number;
  /** Distinct link types, ascending. */
  linkTypes: LinkTypeValue[];
  first: Timestamp | undefined;
  last: Timestamp | undefined;
}

/** Accumulates a `FrameSummary`; `add` is O(1) and keeps no reference to frame data. */
export class FrameStats {
  private frames = 0;
  private capturedBytes = 0;
  private wireBytes = 0;
  private readonly linkTypes = new Set<LinkTypeValue>();
  private first: Timestamp | undefined;
  private last: Timestamp | undefined;

  add(frame: Frame): void {
    this.frames++;
    this.capturedBytes += frame.data.length;
    this.wireBytes += frame.origLen;
    this.linkTypes.add(frame.linkType);
    if (this.first === undefined || compareTs(frame.ts, this.first) < 0) this.first = frame.ts;
    if (this.last === undefined || compareTs(frame.ts, this.last) > 0) this.last = frame.ts;
  }

  summary(): FrameSummary {
    return {
      frames: this.frames,
      capturedBytes: this.capturedBytes,
      wireBytes: this.wireBytes,
      linkTypes: [...this.linkTypes].sort((a, b) => a - b),
      first: this.first,
      last: this.last,
    };
  }
}

/** The summary of `frames`. */
export function summarizeFrames(frames: Iterable<Frame>): FrameSummary {
  const stats = new FrameStats();
  for (const f of frames) stats.add(f);
  return stats.summary();
}
