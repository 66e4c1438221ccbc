/**
 * Closures for comparisons and arithmetic. Operand types were checked, so values are used directly:
 * timestamps and durations are millisecond numbers; strings order by UTF-16 code units (JS `<`).
 */
import type { ArithOp, CompareOp } from './checked.js';
import type { Compiled, Fn } from './closure.js';
import { isList, type QType } from './types.js';
import { valuesEqual } from './values.js';

/** Both `number` and `string` order with the same JS operators; the cast only silences the checker. */
type Ord = number;

export function compileCompare(op: CompareOp, type: QType, left: Compiled, right: Compiled): Fn {
  if (isList(type)) return compileListEquality(op, left.fn, right.fn);
  if (right.constant) return compareToConstant(op, left.fn, right.value as Ord);
  if (left.constant) return compareToConstant(flip(op), right.fn, left.value as Ord);
  const l = left.fn;
  const r = right.fn;
  switch (op) {
    case '==':
      return (e) => l(e) === r(e);
    case '!=':
      return (e) => l(e) !== r(e);
    case '<':
      return (e) => (l(e) as Ord) < (r(e) as Ord);
    case '<=':
      return (e) => (l(e) as Ord) <= (r(e) as Ord);
    case '>':
      return (e) => (l(e) as Ord) > (r(e) as Ord);
    case '>=':
      return (e) => (l(e) as Ord) >= (r(e) as Ord);
  }
}

/** `v op x` is `x flip(op) v`. */
export function flip(op: CompareOp): CompareOp {
  const flipped: Record<CompareOp, CompareOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
  return flipped[op];
}

function compareToConstant(op: CompareOp, f: Fn, v: Ord): Fn {
  switch (op) {
    case '==':
      return (e) => f(e) === v;
    case '!=':
      return (e) => f(e) !== v;
    case '<':
      return (e) => (f(e) as Ord) < v;
    case '<=':
      return (e) => (f(e) as Ord) <= v;
    case '>':
      return (e) => (f(e) as Ord) > v;
    case '>=':
      return (e) => (f(e) as Ord) >= v;
  }
}

function compileListEquality(op: CompareOp, l: Fn, r: Fn): Fn {
  if (op === '==') return (e) => valuesEqual(l(e), r(e));
  return (e) => !valuesEqual(l(e), r(e));
}

export function compileNeg(f: Fn): Fn {
  return (e) => -(f(e) as number);
}

export function compileArith(op: ArithOp, type: QType, l: Fn, r: Fn): Fn {
  if (type === 'string') return (e) => (l(e) as string) + (r(e) as string);
  const n = (f: Fn, e: Parameters<Fn>[0]): number => f(e) as number;
  switch (op) {
    case '+':
      return (e) => n(l, e) + n(r, e);
    case '-':
      return (e) => n(l, e) - n(r, e);
    case '*':
      return (e) => n(l, e) * n(r, e);
    case '/':
      return (e) => n(l, e) / n(r, e);
    case '%':
      return (e) => n(l, e) % n(r, e);
  }
}
