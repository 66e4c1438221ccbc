/**
 * HTTP/1 detection: `match` when the bytes begin with a strict request or status line, `need-more`
 * while the first line could still become one, else `no-match`. On a connection joined mid-stream
 * (initiator unknown) a start line ending at any LF within MIDSTREAM_WINDOW also matches (it may follow
 * the end of a body on the same line).
 */
import type { Detection, DetectInput } from '../types.js';
import { MAX_LINE_BYTES, MIDSTREAM_WINDOW } from './limits.js';
import { asBuffer } from './session.js';
import { findStart } from './resync.js';
import { couldBecomeStartLine, isStrictStartLineAt } from './start-line.js';

export function detectHttp1(input: DetectInput): Detection {
  const b = asBuffer(input.bytes);
  let s = 0;
  while (s < b.length && s < 4 && (b[s] === 0x0d || b[s] === 0x0a)) s++;
  const first = classifyAt(b, s);
  if (first !== 'no-match' || input.conn.initiatorKnown) return first;
  return findLaterStart(b);
}

function classifyAt(b: Buffer, s: number): Detection {
  if (s >= b.length) return 'need-more';
  const lf = b.subarray(s, s + MAX_LINE_BYTES + 1).indexOf(0x0a);
  if (lf >= 0) return isStrictStartLineAt(b, s, s + lf, 'any', MAX_LINE_BYTES) ? 'match' : 'no-match';
  if (b.length - s > MAX_LINE_BYTES) return 'no-match';
  return couldBecomeStartLine(b.toString('latin1', s)) ? 'need-more' : 'no-match';
}

/** Mid-stream: a complete start line ending at some LF within the window (as resynchronisation finds it). */
function findLaterStart(b: Buffer): Detection {
  const window = Math.min(b.length, MIDSTREAM_WINDOW);
  for (let from = 0, lf = b.indexOf(0x0a); lf >= 0 && lf < window; from = lf + 1, lf = b.indexOf(0x0a, from)) {
    if (findStart(b, Math.max(from, lf - MAX_LINE_BYTES), lf, 'any') >= 0) return 'match';
  }
  return b.length < MIDSTREAM_WINDOW ? 'need-more' : 'no-match';
}
