/**
 * Static shape rules for regex patterns, a policy of the filter language. podsniff never backtracks
 * (re2js, see `re2.ts`), but the rules refuse the classic exponential shapes of backtracking engines (JS `RegExp`, PCRE), so a filter
 * accepted here does not blow up when it is pasted into one of those either:
 *
 * - a quantifier that can repeat more than once may not apply to something containing a variable
 *   quantifier (`(a+)+`, `(a*)*`, `(.*a){20}`, `(a{1,3}){1,100}`), and an unbounded one to anything
 *   containing a quantifier (`(ab?)+`); a small fixed count over bounded parts is fine
 *   (`(\d{1,3}\.){3}`: at most `MAX_FIXED_OUTER` copies);
 * - a repeated group may not match the empty string (`(a?)*`, `(|a)+`);
 * - inside a repeated group, the branches of an alternation must not overlap: two plain literal
 *   branches overlap when one is a prefix of the other (`(a|ab)*`, `(a|a)*`; `(GET|POST|PUT)+` is
 *   fine), any other pair when both can start with the same character (`(\w|\d)+`), case folded
 *   under `(?i)`.
 *
 * Polynomial shapes (`\d+\d+x`, `.*a.*b`) are allowed: here they run in linear time.
 */
import { RegexError, type RegexFlags, type RNode } from './ast.js';
import * as cs from './charset.js';
import { caseClose } from './fold.js';

/** Throws a `limit` `RegexError` at the offending quantifier when a rule is broken. */
export function checkShape(root: RNode, flags: RegexFlags): void {
  walk(root, (node) => {
    if (node.k === 'repeat' && node.max > 1) checkRepeat(node, flags);
  });
}

/** Largest fixed count `{n}` allowed over a body with bounded variable quantifiers. */
const MAX_FIXED_OUTER = 4;

function checkRepeat(node: RNode & { k: 'repeat' }, flags: RegexFlags): void {
  const { body } = node;
  if (nullable(body)) throw new RegexError('limit', 'regex repeats a group that can match the empty string', node.pos);
  const smallFixed = node.min === node.max && node.max <= MAX_FIXED_OUTER;
  const nested =
    node.max === Infinity
      ? contains(body, (n) => n.k === 'repeat')
      : contains(body, (n) => n.k === 'repeat' && n.min !== n.max && (n.max === Infinity || !smallFixed));
  if (nested) throw new RegexError('limit', 'regex has a nested quantifier (catastrophic backtracking shape)', node.pos);
  walk(body, (n) => {
    if (n.k === 'alt') checkDisjointBranches(n, flags, node.pos);
  });
}

function checkDisjointBranches(alt: RNode & { k: 'alt' }, flags: RegexFlags, at: number): void {
  if (alt.items.some(nullable)) throw new RegexError('limit', 'regex repeats an alternation with an empty branch', at);
  if (branchesOverlap(alt, flags)) {
    throw new RegexError('limit', 'regex repeats an alternation whose branches overlap (catastrophic backtracking shape)', at);
  }
}

/** True when two branches of the alternation could both match at one position (or one is empty). */
function branchesOverlap(alt: RNode & { k: 'alt' }, flags: RegexFlags): boolean {
  const seen: { literal: string | null; first: cs.CharSet }[] = [];
  for (const branch of alt.items) {
    if (nullable(branch)) return true;
    const literal = literalOf(branch, flags);
    const first = flags.ignoreCase ? caseClose(firstSet(branch)) : firstSet(branch);
    if (seen.some((s) => overlap(s, { literal, first }))) return true;
    seen.push({ literal, first });
  }
  return false;
}

function overlap(a: { literal: string | null; first: cs.CharSet }, b: { literal: string | null; first: cs.CharSet }): boolean {
  if (a.literal !== null && b.literal !== null) return a.literal.startsWith(b.literal) || b.literal.startsWith(a.literal);
  return cs.intersects(a.first, b.first);
}

/** The text of a branch made only of plain characters (upper-cased under `(?i)`), else null. */
function literalOf(node: RNode, flags: RegexFlags): string | null {
  const items = node.k === 'cat' ? node.items : [node];
  if (!items.every((n) => n.k === 'char')) return null;
  const text = String.fromCharCode(...items.map((n) => (n).c));
  return flags.ignoreCase ? text.toUpperCase() : text;
}

/** Visits every node, pre-order. */
function walk(node: RNode, visit: (n: RNode) => void): void {
  const stack: RNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    visit(n);
    if (n.k === 'cat' || n.k === 'alt') stack.push(...n.items);
    else if (n.k === 'repeat') stack.push(n.body);
  }
}

function contains(node: RNode, test: (n: RNode) => boolean): boolean {
  let found = false;
  walk(node, (n) => {
    found ||= test(n);
  });
  return found;
}

/** True when the node can match the empty string. */
function nullable(node: RNode): boolean {
  switch (node.k) {
    case 'char':
    case 'set':
      return false;
    case 'assert':
      return true;
    case 'cat':
      return node.items.every(nullable);
    case 'alt':
      return node.items.some(nullable);
    case 'repeat':
      return node.min === 0 || nullable(node.body);
  }
}

/** Every code unit a non-empty match of the node can start with (assertions are transparent). */
function firstSet(node: RNode): cs.CharSet {
  switch (node.k) {
    case 'char':
      return cs.single(node.c);
    case 'set':
      return node.set;
    case 'assert':
      return cs.EMPTY;
    case 'cat': {
      let set: cs.CharSet = cs.EMPTY;
      for (const item of node.items) {
        set = cs.union(set, firstSet(item));
        if (!nullable(item)) break;
      }
      return set;
    }
    case 'alt':
      return node.items.reduce<cs.CharSet>((acc, item) => cs.union(acc, firstSet(item)), cs.EMPTY);
    case 'repeat':
      return firstSet(node.body);
  }
}
