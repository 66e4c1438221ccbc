/**
 * Pushdown: the index constraints a checked filter implies, for the store (`IndexConstraint`, see
 * `model/query-pushdown.ts`). Only the top-level `&&` chain is read; a conjunct yields constraints when
 * it is one of
 *
 * - a protocol flag (`http`, `dns`) → `protocol = 'http'`;
 * - `field op value` (either order) on a field that mirrors an indexed column, `value` free of fields:
 *   strings with `==` only (the store may order strings differently), numbers and timestamps with
 *   `== < <= > >=`;
 * - `field in [values]` with a non-empty constant list.
 *
 * Values that read the clock (`now() - duration("5m")`) are evaluated once, at compile time: the
 * constraints are a snapshot. That is sound only when the value can only grow as time passes and the
 * comparison is a lower bound on the field (`timestamp > now() - d`; the clock must not go backwards);
 * `matches()` re-checks with the clock at evaluation time. Conjuncts under `||` or `!` add nothing:
 * constraints stay weaker than the filter, never stronger. `exact` holds when every conjunct was
 * captured exactly (no snapshot, nothing left over).
 */
import type { IndexConstraint, IndexedColumn } from '../model/index.js';
import { readsClock, readsEntry, type Checked, type CompareOp } from './checked.js';
import { flip } from './compile-operators.js';
import type { CompileContext } from './closure.js';
import { evaluateWithoutEntry } from './compiler.js';
import type { FieldSpec } from './fields.js';
import type { Scalar } from './values.js';

export interface Pushdown {
  readonly constraints: readonly IndexConstraint[];
  readonly exact: boolean;
}

/** One conjunct's contribution. */
type Part = { readonly constraints: readonly IndexConstraint[]; readonly exact: boolean };

const NOTHING: Part = { constraints: [], exact: false };

const CONSTRAINT_OP: Readonly<Record<CompareOp, IndexConstraint['op'] | null>> = { '==': '=', '!=': null, '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** Constraints of a checked filter, with `now()` read once from `ctx.now`. */
export function extractConstraints(root: Checked, ctx: CompileContext): Pushdown {
  const snapshot = ctx.now();
  const fixed: CompileContext = { now: () => snapshot };
  const parts = conjuncts(root).map((c) => conjunct(c, fixed));
  return { constraints: parts.flatMap((p) => p.constraints), exact: parts.every((p) => p.exact) };
}

/** The operands of the top-level `&&` chain, nested `&&` flattened. */
function conjuncts(c: Checked): Checked[] {
  return c.k === 'and' ? c.operands.flatMap(conjuncts) : [c];
}

function conjunct(c: Checked, ctx: CompileContext): Part {
  if (c.k === 'const') return { constraints: [], exact: c.value === true };
  if (c.k === 'field' && c.field.protocolFlag) return one({ column: 'protocol', op: '=', value: c.field.protocolFlag }, true);
  if (c.k === 'compare') return comparison(c, ctx);
  if (c.k === 'inList') return membership(c, ctx);
  return NOTHING;
}

function one(constraint: IndexConstraint, exact: boolean): Part {
  return { constraints: [constraint], exact };
}

function indexed(c: Checked): (FieldSpec & { column: IndexedColumn }) | null {
  return c.k === 'field' && c.field.column && !c.field.protocolFlag ? (c.field as FieldSpec & { column: IndexedColumn }) : null;
}

function comparison(c: Checked & { k: 'compare' }, ctx: CompileContext): Part {
  const leftField = indexed(c.left);
  const field = leftField ?? indexed(c.right);
  if (!field) return NOTHING;
  const other = leftField ? c.right : c.left;
  const op = leftField ? c.op : flip(c.op);
  const constraintOp = CONSTRAINT_OP[op];
  if (!constraintOp || readsEntry(other)) return NOTHING;
  if (field.type === 'string' && constraintOp !== '=') return NOTHING;
  const trend = clockTrend(other);
  const lowerBound = constraintOp === '>' || constraintOp === '>=';
  if (trend === 'mixed' || (trend === 'up' && !lowerBound) || (trend === 'down' && (lowerBound || constraintOp === '='))) return NOTHING;
  const value = evaluateWithoutEntry(other, ctx);
  if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) return NOTHING;
  return one({ column: field.column, op: constraintOp, value }, trend === 'none');
}

function membership(c: Checked & { k: 'inList' }, ctx: CompileContext): Part {
  const field = indexed(c.item);
  if (!field || readsEntry(c.list) || readsClock(c.list)) return NOTHING;
  const values = evaluateWithoutEntry(c.list, ctx) as readonly Scalar[];
  const usable = values.filter((v): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)));
  if (!usable.length || usable.length !== values.length) return NOTHING;
  return one({ column: field.column, op: 'in', value: [...new Set(usable)] }, true);
}

type Trend = 'none' | 'up' | 'down' | 'mixed';

/** How a field-free value moves as the clock advances. */
function clockTrend(c: Checked): Trend {
  if (!readsClock(c)) return 'none';
  if (c.k === 'now') return 'up';
  if (c.k === 'neg') return reverse(clockTrend(c.operand));
  if (c.k === 'arith' && (c.op === '+' || c.op === '-')) {
    const right = clockTrend(c.right);
    return combine(clockTrend(c.left), c.op === '-' ? reverse(right) : right);
  }
  return 'mixed';
}

function reverse(t: Trend): Trend {
  return t === 'up' ? 'down' : t === 'down' ? 'up' : t;
}

function combine(a: Trend, b: Trend): Trend {
  if (a === 'none') return b;
  if (b === 'none' || a === b) return a;
  return 'mixed';
}
