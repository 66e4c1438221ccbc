/**
 * Closures for lists and header maps: membership (`in`), `map["name"]` (first header with that name,
 * case-insensitive; "" when absent) and `list[i]` (the empty value when out of range).
 */
import type { Header } from '../model/index.js';
import type { Compiled, Fn } from './closure.js';
import type { ScalarType } from './types.js';
import { emptyValue, type Scalar } from './values.js';

/** Constant lists longer than this are looked up through a `Set`. */
const SET_THRESHOLD = 8;

export function compileInList(item: Compiled, list: Compiled): Fn {
  if (list.constant) {
    const values = list.value as readonly Scalar[];
    const i = item.fn;
    if (values.length === 1) {
      const v = values[0];
      return (e) => i(e) === v;
    }
    if (values.length > SET_THRESHOLD) {
      const set = new Set(values);
      return (e) => set.has(i(e) as Scalar);
    }
    return (e) => values.includes(i(e) as Scalar);
  }
  const l = list.fn;
  if (item.constant) {
    const v = item.value as Scalar;
    return (e) => (l(e) as readonly Scalar[]).includes(v);
  }
  const i = item.fn;
  return (e) => (l(e) as readonly Scalar[]).includes(i(e) as Scalar);
}

/** Value of the first header named `lowerName` (already lower-case), or "". */
export function headerValue(headers: readonly Header[], lowerName: string): string {
  for (const h of headers) {
    const name = h[0];
    if (name === lowerName || name.toLowerCase() === lowerName) return h[1];
  }
  return '';
}

function hasHeader(headers: readonly Header[], lowerName: string): boolean {
  for (const h of headers) if (h[0] === lowerName || h[0].toLowerCase() === lowerName) return true;
  return false;
}

export function compileMapGet(map: Fn, key: Compiled): Fn {
  if (key.constant) {
    const name = (key.value as string).toLowerCase();
    return (e) => headerValue(map(e) as readonly Header[], name);
  }
  const k = key.fn;
  return (e) => headerValue(map(e) as readonly Header[], (k(e) as string).toLowerCase());
}

export function compileInMap(key: Compiled, map: Fn): Fn {
  if (key.constant) {
    const name = (key.value as string).toLowerCase();
    return (e) => hasHeader(map(e) as readonly Header[], name);
  }
  const k = key.fn;
  return (e) => hasHeader(map(e) as readonly Header[], (k(e) as string).toLowerCase());
}

export function compileListGet(type: ScalarType, list: Fn, index: Fn): Fn {
  const empty = emptyValue(type);
  return (e) => {
    const l = list(e) as readonly Scalar[];
    const i = index(e) as number;
    return Number.isInteger(i) && i >= 0 && i < l.length ? l[i]! : empty;
  };
}
