/**
 * Parser: tokens → `Node`. Precedence, loosest first: `||`, `&&`, relations (`== != < <= > >= in`),
 * `+ -`, `* / %`, unary `! -`, postfix (`.name`, `.name(args)`, `[index]`), primary (literal, name,
 * `name(args)`, `( expr )`, `[ list ]`). Binary operators associate left; `&&`/`||` chains are n-ary.
 * Nesting is bounded by `MAX_DEPTH` both while descending (no stack overflow on `((((...`) and in the
 * built tree (long left-leaning chains); list size by `MAX_LIST_ELEMENTS`.
 */
import type { BinaryOp, Node } from './ast.js';
import { limitError, syntaxError } from './errors.js';
import { tokenize } from './lexer.js';
import { MAX_DEPTH, MAX_LIST_ELEMENTS } from './limits.js';
import { describeToken, type Token } from './tokens.js';

/** What may start an operand; the `expected` list of errors where an operand is missing. */
export const OPERAND_START = ['field', 'literal', '(', '[', '!', '-'] as const;

const RELATIONS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=', 'in']);
const ADDITIVE: ReadonlySet<string> = new Set(['+', '-']);
const MULTIPLICATIVE: ReadonlySet<string> = new Set(['*', '/', '%']);

/** Parses a whole filter text (non-empty after trimming) into one expression. */
export function parse(text: string): Node {
  return new Parser(tokenize(text)).parseAll();
}

/** Node depth (1 for a leaf), computed once per node as the tree is built. */
type Sized = { node: Node; depth: number };

class Parser {
  private index = 0;
  private descent = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseAll(): Node {
    const { node } = this.expression();
    const t = this.peek();
    if (t.kind !== 'eof') throw syntaxError(t.pos, ['operator', 'end of input'], describeToken(t), closeHint(t));
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const t = this.tokens[this.index]!;
    if (t.kind !== 'eof') this.index++;
    return t;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === text;
  }

  private expect(text: string): Token {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== text) throw syntaxError(t.pos, [text], describeToken(t));
    return this.next();
  }

  /** Guards recursion: every nested expression passes through here. */
  private expression(): Sized {
    this.descent++;
    if (this.descent > MAX_DEPTH) throw limitError(this.peek().pos, `expression nests deeper than ${MAX_DEPTH} levels`);
    const result = this.logical('||', () => this.logical('&&', () => this.relation()));
    this.descent--;
    return result;
  }

  private logical(op: '&&' | '||', operand: () => Sized): Sized {
    const first = operand();
    if (!this.isPunct(op)) return first;
    const operands = [first.node];
    let depth = first.depth;
    while (this.isPunct(op)) {
      this.next();
      const o = operand();
      operands.push(o.node);
      depth = Math.max(depth, o.depth);
    }
    return this.sized({ kind: 'logical', pos: first.node.pos, op, operands }, depth + 1);
  }

  private relation(): Sized {
    return this.binaryLevel(RELATIONS, () => this.binaryLevel(ADDITIVE, () => this.binaryLevel(MULTIPLICATIVE, () => this.unary())));
  }

  private binaryLevel(ops: ReadonlySet<string>, operand: () => Sized): Sized {
    let left = operand();
    for (let t = this.peek(); isBinary(t, ops); t = this.peek()) {
      this.next();
      const right = operand();
      const node: Node = { kind: 'binary', pos: left.node.pos, opPos: t.pos, op: t.text as BinaryOp, left: left.node, right: right.node };
      left = this.sized(node, Math.max(left.depth, right.depth) + 1);
    }
    return left;
  }

  /** Prefix operators are read in a loop (no recursion per `!`), then applied inside out. */
  private unary(): Sized {
    const ops: Token[] = [];
    while (this.isPunct('!') || this.isPunct('-')) {
      ops.push(this.next());
      if (ops.length + this.descent > MAX_DEPTH) throw limitError(this.peek().pos, `expression nests deeper than ${MAX_DEPTH} levels`);
    }
    let result = this.postfix();
    for (let i = ops.length - 1; i >= 0; i--) {
      const t = ops[i]!;
      result = this.sized({ kind: 'unary', pos: t.pos, op: t.text as '!' | '-', operand: result.node }, result.depth + 1);
    }
    return result;
  }

  private postfix(): Sized {
    let result = this.primary();
    for (;;) {
      if (this.isPunct('.')) result = this.member(result);
      else if (this.isPunct('[')) result = this.indexed(result);
      else return result;
    }
  }

  private member(target: Sized): Sized {
    const dot = this.next();
    const name = this.peek();
    if (name.kind !== 'ident') throw syntaxError(name.pos, ['identifier'], describeToken(name));
    this.next();
    if (!this.isPunct('(')) {
      return this.sized({ kind: 'select', pos: target.node.pos, opPos: dot.pos, operand: target.node, name: name.text }, target.depth + 1);
    }
    const args = this.argumentList();
    const depth = Math.max(target.depth, args.depth) + 1;
    return this.sized({ kind: 'call', pos: name.pos, name: name.text, target: target.node, args: args.nodes }, depth);
  }

  private indexed(target: Sized): Sized {
    const open = this.next();
    const index = this.expression();
    this.expect(']');
    const node: Node = { kind: 'index', pos: target.node.pos, opPos: open.pos, operand: target.node, index: index.node };
    return this.sized(node, Math.max(target.depth, index.depth) + 1);
  }

  private primary(): Sized {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.next();
        return { node: { kind: 'literal', pos: t.pos, value: t.value, raw: t.text }, depth: 1 };
      case 'string':
        this.next();
        return { node: { kind: 'literal', pos: t.pos, value: t.value, raw: t.text, offsets: t.offsets }, depth: 1 };
      case 'keyword':
        return this.keyword(t);
      case 'ident':
        return this.name(t);
      case 'punct':
        if (t.text === '(') return this.parenthesized();
        if (t.text === '[') return this.list();
        break;
      default:
        break;
    }
    throw syntaxError(t.pos, OPERAND_START, describeToken(t));
  }

  private keyword(t: Token & { kind: 'keyword' }): Sized {
    if (t.text === 'in') throw syntaxError(t.pos, OPERAND_START, describeToken(t));
    this.next();
    const value = t.text === 'true' ? true : t.text === 'false' ? false : null;
    return { node: { kind: 'literal', pos: t.pos, value, raw: t.text }, depth: 1 };
  }

  private name(t: Token & { kind: 'ident' }): Sized {
    this.next();
    if (!this.isPunct('(')) return { node: { kind: 'ident', pos: t.pos, name: t.text }, depth: 1 };
    const args = this.argumentList();
    return this.sized({ kind: 'call', pos: t.pos, name: t.text, target: null, args: args.nodes }, args.depth + 1);
  }

  private parenthesized(): Sized {
    this.next();
    const inner = this.expression();
    const close = this.peek();
    if (close.kind !== 'punct' || close.text !== ')') throw syntaxError(close.pos, [')'], describeToken(close));
    this.next();
    return inner;
  }

  private list(): Sized {
    const open = this.next();
    const items = this.sequence(']', 'list');
    return this.sized({ kind: 'list', pos: open.pos, items: items.nodes }, items.depth + 1);
  }

  private argumentList(): { nodes: Node[]; depth: number } {
    this.next();
    return this.sequence(')', 'call');
  }

  /** Comma-separated expressions up to `close` (consumed); a trailing comma is allowed. */
  private sequence(close: ')' | ']', what: 'list' | 'call'): { nodes: Node[]; depth: number } {
    const nodes: Node[] = [];
    let depth = 0;
    while (!this.isPunct(close)) {
      if (nodes.length >= MAX_LIST_ELEMENTS) throw limitError(this.peek().pos, `${what} has more than ${MAX_LIST_ELEMENTS} elements`);
      const item = this.expression();
      nodes.push(item.node);
      depth = Math.max(depth, item.depth);
      const t = this.peek();
      if (t.kind === 'punct' && t.text === ',') this.next();
      else if (t.kind !== 'punct' || t.text !== close) throw syntaxError(t.pos, [',', close], describeToken(t));
    }
    this.next();
    return { nodes, depth };
  }

  private sized(node: Node, depth: number): Sized {
    if (depth > MAX_DEPTH) throw limitError(node.pos, `expression nests deeper than ${MAX_DEPTH} levels`);
    return { node, depth };
  }
}

function isBinary(t: Token, ops: ReadonlySet<string>): boolean {
  return (t.kind === 'punct' || t.kind === 'keyword') && ops.has(t.text);
}

function closeHint(t: Token): string | undefined {
  if (t.kind === 'punct' && t.text === ')') return 'this ")" has no matching "("';
  if (t.kind === 'ident' || t.kind === 'string' || t.kind === 'number') return 'join conditions with "&&" or "||"';
  return undefined;
}
