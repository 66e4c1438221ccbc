/**
 * A fast path for simple patterns: re-emit the parsed tree as a JS `RegExp` (every character and set
 * spelled out as `\uXXXX`, so the semantics are exactly the tree's, tested against the VM), used only
 * when backtracking provably stays linear in the input:
 *
 * - no alternation whose branches overlap (`overlapsAnywhere`), so every choice point is decided by
 *   the next character or literal;
 * - and no variable repetition at all (`?`, `*`, `+`, `{n,m}` with n < m), or exactly one when the
 *   pattern is anchored with `^` (one start position, one choice point: O(input × pattern)).
 *
 * Everything else runs on the Pike VM.
 */
import type { RNode } from './ast.js';
import type { CharSet } from './charset.js';
import { walk } from './shape.js';

/** True when a backtracking engine runs the tree in time linear in the input. */
export function linearForBacktracking(root: RNode, anchored: boolean, hasOverlap: (alt: RNode & { k: 'alt' }) => boolean): boolean {
  let variable = 0;
  let overlap = false;
  walk(root, (n) => {
    if (n.k === 'repeat' && n.min !== n.max) variable++;
    if (n.k === 'alt' && hasOverlap(n)) overlap = true;
  });
  return !overlap && (variable === 0 || (variable === 1 && anchored));
}

/** JS `RegExp` source with the same meaning as the tree (flags: `i` when the pattern had `(?i)`). */
export function toNativeSource(n: RNode): string {
  switch (n.k) {
    case 'char':
      return unit(n.c);
    case 'set':
      return setSource(n.set);
    case 'assert':
      return { bol: '^', eol: '$', wordb: '\\b', nwordb: '\\B' }[n.a];
    case 'cat':
      return n.items.map(toNativeSource).join('');
    case 'alt':
      return `(?:${n.items.map(toNativeSource).join('|')})`;
    case 'repeat':
      return `(?:${toNativeSource(n.body)})${quantifier(n.min, n.max)}`;
  }
}

function unit(c: number): string {
  return `\\u${c.toString(16).padStart(4, '0')}`;
}

function setSource(set: CharSet): string {
  let out = '[';
  for (let i = 0; i < set.length; i += 2) out += set[i] === set[i + 1] ? unit(set[i]!) : `${unit(set[i]!)}-${unit(set[i + 1]!)}`;
  return `${out}]`;
}

function quantifier(min: number, max: number): string {
  if (max === Infinity) return min === 0 ? '*' : min === 1 ? '+' : `{${min},}`;
  if (min === max) return `{${min}}`;
  return min === 0 && max === 1 ? '?' : `{${min},${max}}`;
}
