/**
 * Typing rules of the operators. Comparisons need operands of one type (`==`/`!=` on any type but
 * maps; ordering on numbers, strings, timestamps and durations); `in` tests membership in a list of the
 * left side's type or a header name in a map; arithmetic: numbers `+ - * / %`, strings `+`, and
 * timestamp ± duration → timestamp, timestamp − timestamp → duration, duration ± duration → duration.
 */
import type { Node } from './ast.js';
import { describe, type ArithOp, type Checked, type CompareOp } from './checked.js';
import { typeError } from './errors.js';
import { elementOf, isList, isScalar, sameType, type QType } from './types.js';

const ORDERED: ReadonlySet<QType> = new Set(['number', 'string', 'timestamp', 'duration']);

/** `left op right` → result type, per operator. */
const ARITH: Readonly<Record<ArithOp, Readonly<Record<string, QType>>>> = {
  '+': { 'number number': 'number', 'string string': 'string', 'timestamp duration': 'timestamp', 'duration timestamp': 'timestamp', 'duration duration': 'duration' },
  '-': { 'number number': 'number', 'timestamp duration': 'timestamp', 'timestamp timestamp': 'duration', 'duration duration': 'duration' },
  '*': { 'number number': 'number' },
  '/': { 'number number': 'number' },
  '%': { 'number number': 'number' },
};

export function checkUnary(node: Node & { kind: 'unary' }, operand: Checked): Checked {
  if (node.op === '!') {
    if (operand.type !== 'bool') throw typeError(node.pos, `! needs a bool condition, found ${describe(operand)}`, ['bool']);
    return { k: 'not', pos: node.pos, type: 'bool', operand };
  }
  if (operand.type !== 'number' && operand.type !== 'duration') {
    throw typeError(node.pos, `unary - needs a number or a duration, found ${describe(operand)}`, ['number', 'duration']);
  }
  return { k: 'neg', pos: node.pos, type: operand.type, operand };
}

export function checkBinary(node: Node & { kind: 'binary' }, left: Checked, right: Checked): Checked {
  const { op, pos } = node;
  if (op === 'in') return checkIn(node, left, right);
  if (op in ARITH) return checkArith(node, op as ArithOp, left, right);
  const cmp = op as CompareOp;
  if (!sameType(left.type, right.type) || left.type === 'map') {
    const expected = left.type === 'map' ? [] : [left.type];
    const hint = left.type === 'map' ? 'compare one header: request.headers["name"] == "value"' : undefined;
    throw typeError(node.opPos, `cannot compare ${describe(left)} with ${describe(right)} using ${cmp}`, expected, hint);
  }
  if (cmp !== '==' && cmp !== '!=' && !ORDERED.has(left.type)) {
    throw typeError(node.opPos, `${left.type} values have no order; ${cmp} needs numbers, strings, timestamps or durations`, ['number', 'string', 'timestamp', 'duration']);
  }
  return { k: 'compare', pos, type: 'bool', op: cmp, left, right };
}

function checkIn(node: Node & { kind: 'binary' }, item: Checked, container: Checked): Checked {
  const { pos, opPos } = node;
  if (container.type === 'map') {
    if (item.type !== 'string') throw typeError(item.pos, `a header name must be a string, found ${describe(item)}`, ['string']);
    return { k: 'inMap', pos, type: 'bool', key: item, map: container };
  }
  if (isList(container.type)) {
    const elem = elementOf(container.type);
    if (!isScalar(item.type) || (elem !== null && elem !== item.type)) {
      throw typeError(opPos, `cannot look for ${describe(item)} in ${describe(container)}`, [elem ?? 'string']);
    }
    return { k: 'inList', pos, type: 'bool', item, list: container };
  }
  const hint = container.type === 'string' ? 'for text, write x.contains("...")' : undefined;
  throw typeError(opPos, `in needs a list or a map on the right, found ${describe(container)}`, ['list', 'map'], hint);
}

function checkArith(node: Node & { kind: 'binary' }, op: ArithOp, left: Checked, right: Checked): Checked {
  const table = ARITH[op];
  const type = table[`${left.type} ${right.type}`];
  if (type) return { k: 'arith', pos: node.pos, type, op, left, right };
  const fitting = Object.keys(table).filter((k) => k.startsWith(`${left.type} `)).map((k) => k.split(' ')[1]!);
  const expected = fitting.length ? fitting : [...new Set(Object.keys(table).map((k) => k.split(' ')[0]!))];
  throw typeError(node.opPos, `cannot apply ${op} to ${describe(left)} and ${describe(right)}`, expected);
}
