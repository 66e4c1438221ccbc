/**
 * Compiler: `Checked` → a tree of closures, built once per filter. Sub-trees that read neither the
 * entry nor the clock are folded to constants at compile time; comparisons against constants and short
 * `&&`/`||` chains get specialised closures, so evaluating a filter is a few direct calls per entry.
 */
import type { Entry } from '../model/index.js';
import { readsClock, readsEntry, type Checked } from './checked.js';
import { compileArith, compileCompare, compileNeg } from './compile-operators.js';
import { compileInList, compileInMap, compileListGet, compileMapGet } from './compile-collections.js';
import type { Value } from './values.js';
import type { CompileContext, Compiled, Fn } from './closure.js';

export type { CompileContext, Compiled, Fn } from './closure.js';

/** Stands in for an entry when folding constants: constant sub-trees never read it. */
const NO_ENTRY = Object.freeze({}) as Entry;

/** Compiles a node, folding it to a constant when it reads neither the entry nor the clock. */
export function compile(c: Checked, ctx: CompileContext): Compiled {
  if (c.k === 'const') return constant(c.value);
  const fn = build(c, ctx);
  if (!readsEntry(c) && !readsClock(c)) return constant(fn(NO_ENTRY));
  return { fn, constant: false };
}

/** Evaluates a node that reads no field (its value may still depend on the clock). */
export function evaluateWithoutEntry(c: Checked, ctx: CompileContext): Value {
  if (readsEntry(c)) throw new Error('internal: evaluateWithoutEntry on a node that reads a field');
  return compile(c, ctx).fn(NO_ENTRY);
}

/** The evaluator of a node (not folded; see `compile`). */
export function compileFn(c: Checked, ctx: CompileContext): Fn {
  return compile(c, ctx).fn;
}

function constant(value: Value): Compiled {
  return { fn: () => value, constant: true, value };
}

function build(c: Checked, ctx: CompileContext): Fn {
  switch (c.k) {
    case 'const':
      return () => c.value;
    case 'field':
      return c.field.read;
    case 'now':
      return () => ctx.now();
    case 'not': {
      const f = compileFn(c.operand, ctx);
      return (e) => f(e) !== true;
    }
    case 'neg':
      return compileNeg(compileFn(c.operand, ctx));
    case 'and':
      return compileAnd(c.operands.map((o) => compileFn(o, ctx)));
    case 'or':
      return compileOr(c.operands.map((o) => compileFn(o, ctx)));
    case 'compare':
      return compileCompare(c.op, c.left.type, compile(c.left, ctx), compile(c.right, ctx));
    case 'arith':
      return compileArith(c.op, c.type, compileFn(c.left, ctx), compileFn(c.right, ctx));
    case 'inList':
      return compileInList(compile(c.item, ctx), compile(c.list, ctx));
    case 'inMap':
      return compileInMap(compile(c.key, ctx), compileFn(c.map, ctx));
    case 'mapGet':
      return compileMapGet(compileFn(c.map, ctx), compile(c.key, ctx));
    case 'listGet':
      return compileListGet(c.type, compileFn(c.list, ctx), compileFn(c.index, ctx));
    case 'list': {
      const items = c.items.map((i) => compileFn(i, ctx));
      return (e) => items.map((f) => f(e)) as Value;
    }
    case 'call':
      return compileCall(c.fn.impl, c.args.map((a) => compileFn(a, ctx)));
    case 'regex': {
      const f = compileFn(c.operand, ctx);
      const re = c.regex;
      return (e) => re.test(f(e) as string);
    }
  }
}

function compileAnd(fs: readonly Fn[]): Fn {
  const [a, b, c] = fs as [Fn, Fn, Fn | undefined];
  if (fs.length === 2) return (e) => a(e) === true && b(e) === true;
  if (fs.length === 3) return (e) => a(e) === true && b(e) === true && c!(e) === true;
  return (e) => {
    for (const f of fs) if (f(e) !== true) return false;
    return true;
  };
}

function compileOr(fs: readonly Fn[]): Fn {
  const [a, b] = fs as [Fn, Fn];
  if (fs.length === 2) return (e) => a(e) === true || b(e) === true;
  return (e) => {
    for (const f of fs) if (f(e) === true) return true;
    return false;
  };
}

function compileCall(impl: (a: Value, b: Value) => Value, args: readonly Fn[]): Fn {
  const [a, b] = args as [Fn, Fn | undefined];
  if (!b) return (e) => impl(a(e), '');
  return (e) => impl(a(e), b(e));
}
