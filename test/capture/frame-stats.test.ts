import { describe, expect, it } from 'vitest';
import { FrameStats, summarizeFrames } from '../../src/capture/index.js';
import { frame } from './support/frames.js';

describe('frame statistics', () => {
  it('counts frames, captured and wire bytes, link types and the time span', () => {
    const summary = summarizeFrames([frame(5, 10, [1, 2], 100, 113), frame(3, 0, [1], 1, 1), frame(5, 9, [], 40, 113)]);
    expect(summary).toEqual({ frames: 3, capturedBytes: 3, wireBytes: 141, linkTypes: [1, 113], first: { sec: 3, nsec: 0 }, last: { sec: 5, nsec: 10 } });
  });

  it('is empty before any frame', () => {
    expect(new FrameStats().summary()).toEqual({ frames: 0, capturedBytes: 0, wireBytes: 0, linkTypes: [], first: undefined, last: undefined });
  });
});
