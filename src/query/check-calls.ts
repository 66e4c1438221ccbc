/**
 * Typing of function calls. Value functions come from `functions.ts`; `now()`, `duration("...")`,
 * `timestamp("...")` and `matches("...")` are checked here because their arguments must be literals:
 * they are parsed (or compiled, for regexes) once, at compile time, and their errors point at the
 * exact character inside the literal.
 */
import type { Node } from './ast.js';
import { describe, type Checked } from './checked.js';
import { FilterError, typeError } from './errors.js';
import { FUNCTION_NAMES, FUNCTIONS, SPECIAL_FUNCTIONS } from './functions.js';
import { parseDuration, parseTimestamp } from './literal-parse.js';
import { compileRegex, RegexError } from './regex/index.js';
import { closest } from './suggest.js';

type CallNode = Node & { kind: 'call' };
type StringLiteral = Node & { kind: 'literal'; value: string };

export function checkCall(node: CallNode, check: (n: Node) => Checked): Checked {
  if (node.name in SPECIAL_FUNCTIONS) return checkSpecial(node, check);
  const fn = FUNCTIONS.get(node.name);
  if (!fn) throw unknownFunction(node);
  const argNodes = node.target ? [node.target, ...node.args] : node.args;
  if (argNodes.length !== fn.arity) throw arityError(node, fn.arity, fn.signature);
  const args = argNodes.map(check);
  const fit = fn.fit(args.map((a) => a.type));
  if (!fit.ok) {
    const bad = args[fit.arg]!;
    const what = node.target && fit.arg === 0 ? 'receiver' : `argument ${node.target ? fit.arg : fit.arg + 1}`;
    throw typeError(bad.pos, `${node.name}() ${what} must be ${fit.expected.join(' or ')}, found ${describe(bad)}`, fit.expected, `use ${fn.signature}`);
  }
  return { k: 'call', pos: node.pos, type: fit.type, fn, args };
}

function unknownFunction(node: CallNode): FilterError {
  const near = closest(node.name, FUNCTION_NAMES);
  const hint = near.length ? `did you mean ${near.join(', ')}?` : `functions: ${FUNCTION_NAMES.join(', ')}`;
  return typeError(node.pos, `unknown function ${JSON.stringify(node.name)}`, near.length ? near : FUNCTION_NAMES, hint);
}

function arityError(node: CallNode, arity: number, signature: string): FilterError {
  const given = node.args.length;
  const wanted = node.target ? arity - 1 : arity;
  return typeError(node.pos, `${node.name}() takes ${wanted} argument${wanted === 1 ? '' : 's'}${node.target ? ' after the receiver' : ''}, found ${given}`, [], `use ${signature}`);
}

function checkSpecial(node: CallNode, check: (n: Node) => Checked): Checked {
  const signature = SPECIAL_FUNCTIONS[node.name]!;
  if (node.name === 'matches') return checkMatches(node, check, signature);
  if (node.target) throw typeError(node.pos, `${node.name}() is not a method; call it as ${signature}`, []);
  if (node.name === 'now') {
    if (node.args.length) throw arityError(node, 0, signature);
    return { k: 'now', pos: node.pos, type: 'timestamp' };
  }
  if (node.args.length !== 1) throw arityError(node, 1, signature);
  const lit = stringLiteral(node.args[0]!, node.name, check);
  const isDuration = node.name === 'duration';
  const parsed = isDuration ? parseDuration(lit.value) : parseTimestamp(lit.value);
  if (!parsed.ok) throw new FilterError('E_QUERY_SYNTAX', `${parsed.message} at ${literalPos(lit, parsed.offset)}`, literalPos(lit, parsed.offset), parsed.expected);
  return { k: 'const', pos: node.pos, type: isDuration ? 'duration' : 'timestamp', value: parsed.value };
}

function checkMatches(node: CallNode, check: (n: Node) => Checked, signature: string): Checked {
  const argNodes = node.target ? [node.target, ...node.args] : node.args;
  if (argNodes.length !== 2) throw arityError(node, 2, signature);
  const operand = check(argNodes[0]!);
  if (operand.type !== 'string') throw typeError(operand.pos, `matches() applies to a string, found ${describe(operand)}`, ['string']);
  const lit = stringLiteral(argNodes[1]!, 'matches', check);
  try {
    return { k: 'regex', pos: node.pos, type: 'bool', operand, regex: compileRegex(lit.value) };
  } catch (err) {
    if (!(err instanceof RegexError)) throw err;
    const at = literalPos(lit, err.offset);
    const code = err.kind === 'limit' ? 'E_QUERY_LIMIT' : 'E_QUERY_SYNTAX';
    throw new FilterError(code, `${err.message} at ${at}`, at, err.expected, 'matches() takes a linear-time regex: no backreferences, lookaround or nested quantifiers');
  }
}

/** The argument as a string literal node, or a type error saying a literal is required. */
function stringLiteral(arg: Node, fn: string, check: (n: Node) => Checked): StringLiteral {
  if (arg.kind === 'literal' && typeof arg.value === 'string') return arg as StringLiteral;
  const found = arg.kind === 'literal' ? describe(check(arg)) : 'an expression';
  throw typeError(arg.pos, `${fn}() needs a string literal, found ${found}`, ['string literal']);
}

/** Position in the filter text of character `offset` of a string literal's value. */
function literalPos(lit: StringLiteral, offset: number): number {
  return lit.offsets?.[offset] ?? lit.pos + lit.raw.length - 1;
}
