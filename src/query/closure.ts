/** Types of compiled filters: closures over entries, as the compiler builds them. */
import type { Entry } from '../model/index.js';
import type { Value } from './values.js';

/** An evaluator for one node. */
export type Fn = (e: Entry) => Value;

export interface CompileContext {
  /** The clock `now()` reads, in ms since the epoch. */
  readonly now: () => number;
}

/** A compiled node: its evaluator and, when it is constant, its value. */
export interface Compiled {
  readonly fn: Fn;
  readonly constant: boolean;
  readonly value?: Value;
}
