/**
 * The type-checked tree: every node has its static type, fields are resolved to their schema entry,
 * functions to their implementation and regexes are compiled. This is what the compiler turns into
 * closures and what pushdown reads constraints from.
 */
import type { FieldSpec } from './fields.js';
import type { FunctionSpec } from './functions.js';
import type { CompiledRegex } from './regex/index.js';
import type { ListType, QType, ScalarType } from './types.js';
import type { Value } from './values.js';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/' | '%';

export type Checked =
  | { readonly k: 'const'; readonly pos: number; readonly type: QType; readonly value: Value }
  | { readonly k: 'field'; readonly pos: number; readonly type: QType; readonly field: FieldSpec }
  | { readonly k: 'now'; readonly pos: number; readonly type: 'timestamp' }
  | { readonly k: 'not'; readonly pos: number; readonly type: 'bool'; readonly operand: Checked }
  | { readonly k: 'neg'; readonly pos: number; readonly type: 'number' | 'duration'; readonly operand: Checked }
  | { readonly k: 'and' | 'or'; readonly pos: number; readonly type: 'bool'; readonly operands: readonly Checked[] }
  | { readonly k: 'compare'; readonly pos: number; readonly type: 'bool'; readonly op: CompareOp; readonly left: Checked; readonly right: Checked }
  | { readonly k: 'arith'; readonly pos: number; readonly type: QType; readonly op: ArithOp; readonly left: Checked; readonly right: Checked }
  | { readonly k: 'inList'; readonly pos: number; readonly type: 'bool'; readonly item: Checked; readonly list: Checked }
  | { readonly k: 'inMap'; readonly pos: number; readonly type: 'bool'; readonly key: Checked; readonly map: Checked }
  | { readonly k: 'mapGet'; readonly pos: number; readonly type: 'string'; readonly map: Checked; readonly key: Checked }
  | { readonly k: 'listGet'; readonly pos: number; readonly type: ScalarType; readonly list: Checked; readonly index: Checked }
  | { readonly k: 'list'; readonly pos: number; readonly type: ListType; readonly items: readonly Checked[] }
  | { readonly k: 'call'; readonly pos: number; readonly type: QType; readonly fn: FunctionSpec; readonly args: readonly Checked[] }
  | { readonly k: 'regex'; readonly pos: number; readonly type: 'bool'; readonly operand: Checked; readonly regex: CompiledRegex };

/** Direct children of a node. */
export function children(c: Checked): readonly Checked[] {
  switch (c.k) {
    case 'const':
    case 'field':
    case 'now':
      return [];
    case 'not':
    case 'neg':
    case 'regex':
      return [c.operand];
    case 'and':
    case 'or':
      return c.operands;
    case 'compare':
    case 'arith':
      return [c.left, c.right];
    case 'inList':
      return [c.item, c.list];
    case 'inMap':
      return [c.key, c.map];
    case 'mapGet':
      return [c.map, c.key];
    case 'listGet':
      return [c.list, c.index];
    case 'list':
      return c.items;
    case 'call':
      return c.args;
  }
}

/** True when the node reads the entry (contains a field). */
export function readsEntry(c: Checked): boolean {
  return c.k === 'field' || children(c).some(readsEntry);
}

/** True when the node reads the clock (contains `now()`). */
export function readsClock(c: Checked): boolean {
  return c.k === 'now' || children(c).some(readsClock);
}

/** How a field's name reads in messages: `status_code (number)`, or just the type for other nodes. */
export function describe(c: Checked): string {
  return c.k === 'field' ? `${c.field.name} (${c.type})` : c.type;
}
