/**
 * Case closure of character sets under `(?i)`, for the shape policy's overlap analysis, with JS
 * `RegExp` `i` semantics (non-unicode mode): two code units are the same letter when their canonical
 * forms are equal, the canonical form being the upper-case unit, except that a non-ASCII unit never
 * folds onto an ASCII one. Matching itself folds as RE2 does (`re2.ts`). Tables are built lazily, once.
 */
import * as cs from './charset.js';

let canonTable: Uint16Array | null = null;
let groups: readonly (readonly number[])[] | null = null;

function buildCanon(): Uint16Array {
  const table = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const upper = String.fromCharCode(c).toUpperCase();
    const u = upper.length === 1 ? upper.charCodeAt(0) : c;
    table[c] = c >= 0x80 && u < 0x80 ? c : u;
  }
  return table;
}

/** The canonical form of a code unit; units with equal forms match each other under `(?i)`. */
function canonUnit(c: number): number {
  if (c < 0x80) return c >= 0x61 && c <= 0x7a ? c - 32 : c;
  canonTable ??= buildCanon();
  return canonTable[c]!;
}

/** Every class of two or more code units sharing a canonical form. */
function caseGroups(): readonly (readonly number[])[] {
  if (groups) return groups;
  const byCanon = new Map<number, number[]>();
  for (let c = 0; c < 0x10000; c++) {
    const k = canonUnit(c);
    if (k === c) continue;
    const g = byCanon.get(k) ?? [k];
    g.push(c);
    byCanon.set(k, g);
  }
  groups = [...byCanon.values()];
  return groups;
}

/** The set plus every unit that matches one of its members case-insensitively. */
export function caseClose(set: cs.CharSet): cs.CharSet {
  const extra: [number, number][] = [];
  for (const g of caseGroups()) {
    if (g.some((c) => cs.has(set, c))) for (const c of g) extra.push([c, c]);
  }
  return extra.length ? cs.union(set, cs.fromRanges(extra)) : set;
}
