/**
 * Run-time values of filter expressions. Timestamps and durations are numbers of milliseconds
 * (fractional below a millisecond); maps are header lists (`[name, value]` pairs, as captured). Every
 * type has an empty value that missing data reads as.
 */
import type { Header } from '../model/index.js';
import type { QType } from './types.js';

export type Scalar = string | number | boolean;

export type Value = Scalar | readonly Scalar[] | readonly Header[];

const EMPTY_LIST: readonly Scalar[] = Object.freeze([]);

/** The value a missing field of type `t` reads as: "", 0, false, or an empty list/map. */
export function emptyValue(t: QType): Value {
  switch (t) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'number':
    case 'timestamp':
    case 'duration':
      return 0;
    default:
      return EMPTY_LIST;
  }
}

/** Equality of two values of the same type; lists element-wise. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b)) return false;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
