/**
 * Type checker: `Node` → `Checked`, against the field schema and the function table. Errors are
 * `E_QUERY_TYPE` (unknown field or function, wrong operand types; "did you mean" for near misses) or,
 * for regex/duration/timestamp literals, `E_QUERY_SYNTAX`/`E_QUERY_LIMIT` at the exact character.
 */
import { dottedPath, type Node } from './ast.js';
import { checkCall } from './check-calls.js';
import { checkBinary, checkUnary } from './check-operators.js';
import { describe, type Checked } from './checked.js';
import { typeError } from './errors.js';
import { FIELDS } from './fields.js';
import { FUNCTION_NAMES } from './functions.js';
import { closest } from './suggest.js';
import { elementOf, isList, isScalar, listOf, type ListType, type ScalarType } from './types.js';

/** Checks a whole expression. */
export function check(node: Node): Checked {
  switch (node.kind) {
    case 'literal':
      return checkLiteral(node);
    case 'ident':
    case 'select':
      return checkField(node);
    case 'call':
      return checkCall(node, check);
    case 'index':
      return checkIndex(node);
    case 'list':
      return checkList(node);
    case 'unary':
      return checkUnary(node, check(node.operand));
    case 'binary':
      return checkBinary(node, check(node.left), check(node.right));
    case 'logical':
      return checkLogical(node);
  }
}

function checkLiteral(node: Node & { kind: 'literal' }): Checked {
  const { value, pos } = node;
  if (value === null) {
    throw typeError(pos, 'null is not a value in filters: missing fields read as "", 0, false or []', ['literal'], 'compare with "" or 0 instead');
  }
  const type = typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'bool';
  return { k: 'const', pos, type, value };
}

function checkField(node: Node): Checked {
  const path = dottedPath(node);
  if (!path) throw typeError(node.pos, 'only fields have members; use a function like .size() or an index ["..."]', ['field']);
  const name = path.join('.');
  const field = FIELDS.get(name);
  if (field) return { k: 'field', pos: node.pos, type: field.type, field };
  throw unknownField(name, node.pos);
}

function unknownField(name: string, pos: number) {
  if (FUNCTION_NAMES.includes(name)) return typeError(pos, `${name} is a function`, [`${name}(`], `call it as ${name}(...)`);
  const names = [...FIELDS.keys()];
  const under = names.filter((f) => f.startsWith(`${name}.`));
  if (under.length) return typeError(pos, `${name} is not a field itself`, under, `fields under it: ${under.join(', ')}`);
  const near = closest(name, names);
  const siblings = name.includes('.') ? names.filter((f) => f.startsWith(name.slice(0, name.lastIndexOf('.') + 1))).slice(0, 8) : [];
  const expected = near.length ? near : siblings;
  const hint = expected.length ? `did you mean ${expected.join(', ')}?` : 'see the field list (QUERY_FIELDS)';
  return typeError(pos, `unknown field ${JSON.stringify(name)}`, expected, hint);
}

function checkIndex(node: Node & { kind: 'index' }): Checked {
  const operand = check(node.operand);
  const index = check(node.index);
  if (operand.type === 'map') {
    if (index.type !== 'string') throw typeError(node.index.pos, `a header name must be a string, found ${describe(index)}`, ['string']);
    return { k: 'mapGet', pos: node.pos, type: 'string', map: operand, key: index };
  }
  if (isList(operand.type) && elementOf(operand.type) !== null) {
    if (index.type !== 'number') throw typeError(node.index.pos, `a list index must be a number, found ${describe(index)}`, ['number']);
    return { k: 'listGet', pos: node.pos, type: elementOf(operand.type)!, list: operand, index };
  }
  throw typeError(node.opPos, `cannot index ${describe(operand)}: only maps and lists have [ ]`, ['map', 'list']);
}

function checkList(node: Node & { kind: 'list' }): Checked {
  const items = node.items.map(check);
  const first = items[0];
  if (!first) return { k: 'list', pos: node.pos, type: 'list<empty>', items };
  if (!isScalar(first.type)) throw typeError(first.pos, `list elements must be strings, numbers, bools, timestamps or durations, found ${first.type}`, ['literal']);
  const elem: ScalarType = first.type;
  const bad = items.find((i) => i.type !== elem);
  if (bad) throw typeError(bad.pos, `list elements must all have one type: ${elem} then ${describe(bad)}`, [elem]);
  const type: ListType = listOf(elem);
  return { k: 'list', pos: node.pos, type, items };
}

function checkLogical(node: Node & { kind: 'logical' }): Checked {
  const operands = node.operands.map(check);
  const bad = operands.find((o) => o.type !== 'bool');
  if (bad) throw typeError(bad.pos, `${node.op} needs bool conditions on both sides, found ${describe(bad)}`, ['bool'], conditionHint(bad));
  return { k: node.op === '&&' ? 'and' : 'or', pos: node.pos, type: 'bool', operands };
}

/** A hint for using a non-bool where a condition is needed. */
export function conditionHint(c: Checked): string | undefined {
  if (c.k !== 'field') return undefined;
  if (c.type === 'string') return `write ${c.field.name} != "" to test that it is set`;
  if (c.type === 'number') return `write ${c.field.name} != 0 to test that it is set`;
  return undefined;
}
