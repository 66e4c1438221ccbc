/**
 * The syntax tree a filter parses into. Positions are code-unit offsets into the filter text: `pos` is
 * where the node starts, `opPos` where its operator is (the place type errors point at). `&&` and `||`
 * chains are n-ary so long conjunctions stay shallow.
 */

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | '+' | '-' | '*' | '/' | '%';

export type LiteralValue = string | number | boolean | null;

export type Node =
  | { readonly kind: 'literal'; readonly pos: number; readonly value: LiteralValue; readonly raw: string; readonly offsets?: readonly number[] }
  | { readonly kind: 'ident'; readonly pos: number; readonly name: string }
  | { readonly kind: 'select'; readonly pos: number; readonly opPos: number; readonly operand: Node; readonly name: string }
  | { readonly kind: 'call'; readonly pos: number; readonly name: string; readonly target: Node | null; readonly args: readonly Node[] }
  | { readonly kind: 'index'; readonly pos: number; readonly opPos: number; readonly operand: Node; readonly index: Node }
  | { readonly kind: 'list'; readonly pos: number; readonly items: readonly Node[] }
  | { readonly kind: 'unary'; readonly pos: number; readonly op: '!' | '-'; readonly operand: Node }
  | { readonly kind: 'binary'; readonly pos: number; readonly opPos: number; readonly op: BinaryOp; readonly left: Node; readonly right: Node }
  | { readonly kind: 'logical'; readonly pos: number; readonly op: '&&' | '||'; readonly operands: readonly Node[] };

/** `a.b.c` as `['a','b','c']` when the node is a plain dotted name, else null. */
export function dottedPath(node: Node): string[] | null {
  const parts: string[] = [];
  let n: Node = node;
  while (n.kind === 'select') {
    parts.push(n.name);
    n = n.operand;
  }
  if (n.kind !== 'ident') return null;
  parts.push(n.name);
  return parts.reverse();
}
