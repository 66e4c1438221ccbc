/** Test helpers: an AST printer (s-expressions) and an assertion that a call throws a given FilterError. */
import { expect } from 'vitest';
import type { Node } from '../../src/query/ast.js';
import { FilterError } from '../../src/query/index.js';

/** `(&& a (== b 1))`-style rendering of a tree, to assert precedence and associativity. */
export function show(n: Node): string {
  switch (n.kind) {
    case 'literal':
      return typeof n.value === 'string' ? JSON.stringify(n.value) : String(n.value);
    case 'ident':
      return n.name;
    case 'select':
      return `${show(n.operand)}.${n.name}`;
    case 'call':
      return `${n.target ? `${show(n.target)}.` : ''}${n.name}(${n.args.map(show).join(' ')})`;
    case 'index':
      return `${show(n.operand)}[${show(n.index)}]`;
    case 'list':
      return `[${n.items.map(show).join(' ')}]`;
    case 'unary':
      return `(${n.op} ${show(n.operand)})`;
    case 'binary':
      return `(${n.op} ${show(n.left)} ${show(n.right)})`;
    case 'logical':
      return `(${n.op} ${n.operands.map(show).join(' ')})`;
  }
}

/** Runs `fn`, expects a FilterError, checks code (and position when given), returns it. */
export function expectFilterError(fn: () => unknown, code: FilterError['code'], position?: number): FilterError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a FilterError').toBeInstanceOf(FilterError);
  const err = caught as FilterError;
  expect(err.code, err.message).toBe(code);
  if (position !== undefined) expect(err.position, err.message).toBe(position);
  return err;
}
