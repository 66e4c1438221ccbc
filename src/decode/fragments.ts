/**
 * IP fragment reassembly (IPv4 and IPv6 alike). Fragments are grouped by a caller-built key (IPv4:
 * src, dst, protocol, id; IPv6: src, dst, id). Fragment bytes are copied into a per-datagram buffer,
 * so the caller's frame may be dropped after `add` returns. Overlapping and duplicate fragments are
 * allowed: bytes already held win (first arrival), so any arrival order of a consistent set gives the
 * same datagram. A set completes when its last fragment (more-fragments clear) is known and every byte
 * before it is held; the completed payload is a fresh array the caller owns.
 *
 * Lifecycle and caps, all on capture time given by the caller: a set is dropped `timeoutMs` after its
 * first fragment (`timeouts`); when the bytes held exceed `maxBytes` or the sets exceed `maxSets`, the
 * oldest sets are dropped (`dropped`); a set whose fragments disagree on the datagram's length is dropped
 * (`dropped`). Sets are kept in arrival order of their first fragment, so expiry scans from the front.
 */

/** Largest fragmentable payload of one datagram (the 16-bit length fields bound it). */
export const MAX_DATAGRAM_PAYLOAD = 65535;

interface FragmentSet {
  readonly firstMs: number;
  /** Payload length once the last fragment is known, else -1. */
  total: number;
  buf: Uint8Array;
  /** Held byte ranges, sorted, disjoint and non-adjacent: [start0, end0, start1, end1, ...]. */
  ranges: number[];
  /** Caller data attached by the fragment at offset 0 (IPv6: the next header). */
  firstInfo: number;
}

/** Result of `FragmentTable.add` when a datagram completes. */
export interface Reassembled {
  readonly payload: Uint8Array;
  /** `info` given with the offset-0 fragment. */
  readonly firstInfo: number;
}

/** Incomplete fragment sets of one decoder, oldest first (see the module comment). */
export class FragmentTable {
  private readonly sets = new Map<string, FragmentSet>();
  /** Bytes allocated by all sets. */
  bytes = 0;
  timeouts = 0;
  dropped = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly maxBytes: number,
    private readonly maxSets: number,
  ) {}

  get size(): number {
    return this.sets.size;
  }

  /**
   * Adds the fragment `data` at byte `offset` of the datagram's payload; `more` is the more-fragments
   * flag. `info` is remembered from the offset-0 fragment. Returns the datagram when complete, `null`
   * while incomplete, or `'bad'` when the fragment is impossible (beyond the maximum length).
   */
  add(key: string, offset: number, more: boolean, data: Uint8Array, info: number, nowMs: number): Reassembled | null | 'bad' {
    const end = offset + data.length;
    if (end > MAX_DATAGRAM_PAYLOAD || (more && (data.length & 7) !== 0)) return 'bad';
    let set = this.sets.get(key);
    if (!set) {
      set = { firstMs: nowMs, total: -1, buf: new Uint8Array(0), ranges: [], firstInfo: -1 };
      this.sets.set(key, set);
    }
    if (!more) {
      if ((set.total >= 0 && set.total !== end) || lastEnd(set.ranges) > end) return this.drop(key, set);
      set.total = end;
    } else if (set.total >= 0 && end > set.total) {
      return this.drop(key, set);
    }
    if (offset === 0) set.firstInfo = info;
    this.store(set, offset, data);
    if (set.total >= 0 && set.ranges.length === 2 && set.ranges[0] === 0 && set.ranges[1] === set.total) {
      this.remove(key, set);
      return { payload: set.buf.subarray(0, set.total), firstInfo: set.firstInfo };
    }
    this.enforceCaps(key);
    return null;
  }

  /** Drops sets whose first fragment is `timeoutMs` or more before `nowMs`; returns how many. */
  expire(nowMs: number): number {
    let n = 0;
    for (const [key, set] of this.sets) {
      if (nowMs - set.firstMs < this.timeoutMs) break;
      this.remove(key, set);
      n++;
    }
    this.timeouts += n;
    return n;
  }

  private store(set: FragmentSet, offset: number, data: Uint8Array): void {
    const end = offset + data.length;
    if (end > set.buf.length) this.grow(set, end);
    // Copy only the parts not held yet (first arrival wins), then merge the range in.
    const r = set.ranges;
    let cur = offset;
    for (let i = 0; i < r.length && cur < end; i += 2) {
      const s = r[i]!;
      const e = r[i + 1]!;
      if (e <= cur) continue;
      if (s >= end) break;
      if (s > cur) set.buf.set(data.subarray(cur - offset, s - offset), cur);
      cur = e;
    }
    if (cur < end) set.buf.set(data.subarray(cur - offset), cur);
    mergeRange(r, offset, end);
  }

  private grow(set: FragmentSet, need: number): void {
    const size = set.total >= 0 ? set.total : Math.min(MAX_DATAGRAM_PAYLOAD, Math.max(need, set.buf.length * 2));
    const next = new Uint8Array(Math.max(size, need));
    next.set(set.buf);
    this.bytes += next.length - set.buf.length;
    set.buf = next;
  }

  private enforceCaps(keep: string): void {
    for (const [key, set] of this.sets) {
      if (this.bytes <= this.maxBytes && this.sets.size <= this.maxSets) return;
      if (key === keep && this.sets.size === 1) return;
      this.drop(key, set);
    }
  }

  private drop(key: string, set: FragmentSet): null {
    this.remove(key, set);
    this.dropped++;
    return null;
  }

  private remove(key: string, set: FragmentSet): void {
    this.sets.delete(key);
    this.bytes -= set.buf.length;
  }
}

function lastEnd(ranges: number[]): number {
  return ranges.length === 0 ? 0 : ranges[ranges.length - 1]!;
}

/** Adds [s, e) to the sorted disjoint range list, merging what it touches. */
function mergeRange(r: number[], s: number, e: number): void {
  let i = 0;
  while (i < r.length && r[i + 1]! < s) i += 2;
  let j = i;
  while (j < r.length && r[j]! <= e) {
    s = Math.min(s, r[j]!);
    e = Math.max(e, r[j + 1]!);
    j += 2;
  }
  r.splice(i, j - i, s, e);
}
