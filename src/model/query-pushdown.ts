/**
 * The contract between the filter language (`query/`) and the entry store (`store/`), which may not
 * import each other: a compiled filter is a predicate over whole entries plus the index constraints it
 * implies, so the store can narrow with its indexes before running the predicate.
 *
 * Soundness rule: every entry the predicate accepts satisfies every constraint (constraints may be
 * weaker than the filter, never stronger). Missing values are the empty value on both sides: the store
 * keeps an indexed column that an entry lacks as `0` or `''`, exactly as the filter language reads a
 * missing field, so `status_code < 400` means the same in SQL and in the predicate.
 */
import type { Entry } from './entry.js';

/** Entry columns the store indexes, with the filter field each one mirrors. */
export type IndexedColumn =
  | 'protocol' // `protocol`, and the flags `http`, `dns`
  | 'startedAtMs' // `timestamp` (ms since the epoch)
  | 'statusCode' // `status_code` (0 when missing)
  | 'method' // `method` ('' when missing)
  | 'elapsedMs' // `elapsed_ms` (0 when missing)
  | 'srcIp' // `src.ip`
  | 'dstIp' // `dst.ip`
  | 'srcPod' // `src.pod.uid` ('' when missing)
  | 'dstPod'; // `dst.pod.uid` ('' when missing)

export type ConstraintOp = '=' | '<' | '<=' | '>' | '>=' | 'in';

/** `column op value`; `in` takes a non-empty array. */
export interface IndexConstraint {
  readonly column: IndexedColumn;
  readonly op: ConstraintOp;
  readonly value: string | number | readonly (string | number)[];
}

/**
 * A compiled filter as the store uses it. `matches` is pure and cheap to call repeatedly; it never
 * throws (evaluation errors mean "no match"). `constraints` are ANDed.
 */
export interface EntryMatcher {
  /** The filter text it was compiled from ('' for match-all). */
  readonly text: string;
  readonly constraints: readonly IndexConstraint[];
  /** True when the constraints alone decide the match (the store may skip `matches`). */
  readonly exact: boolean;
  matches(entry: Entry): boolean;
}
