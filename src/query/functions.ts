/**
 * The built-in functions that take ordinary values. Each can be called as a method (`path.contains("x")`)
 * or globally with the receiver first (`contains(path, "x")`). `matches`, `now`, `duration` and
 * `timestamp` need literal arguments or no arguments and are handled by the checker itself.
 */
import { elementOf, isList, type QType } from './types.js';
import type { Scalar, Value } from './values.js';
import type { Header } from '../model/index.js';

/** Result of fitting argument types to a function: its result type, or the first argument that does not fit. */
export type Fit = { readonly ok: true; readonly type: QType } | { readonly ok: false; readonly arg: number; readonly expected: readonly string[] };

/** A function over values. `args` includes the receiver; `impl` receives them in the same order. */
export interface FunctionSpec {
  readonly name: string;
  readonly arity: number;
  /** How to call it, for messages and the dashboard: `string.startsWith(string) -> bool`. */
  readonly signature: string;
  readonly fit: (types: readonly QType[]) => Fit;
  readonly impl: (a: Value, b: Value) => Value;
}

const STRING = ['string'];

function strings(types: readonly QType[], result: QType): Fit {
  const bad = types.findIndex((t) => t !== 'string');
  return bad < 0 ? { ok: true, type: result } : { ok: false, arg: bad, expected: STRING };
}

function stringPredicate(name: string, impl: (a: string, b: string) => boolean): FunctionSpec {
  return {
    name,
    arity: 2,
    signature: `string.${name}(string) -> bool`,
    fit: (types) => strings(types, 'bool'),
    impl: (a, b) => impl(a as string, b as string),
  };
}

function fitContains(types: readonly QType[]): Fit {
  const [recv, arg] = types as [QType, QType];
  if (recv === 'string') return strings(types, 'bool');
  if (!isList(recv)) return { ok: false, arg: 0, expected: ['string', 'list'] };
  const elem = elementOf(recv);
  return elem === null || elem === arg ? { ok: true, type: 'bool' } : { ok: false, arg: 1, expected: [elem] };
}

function fitSize(types: readonly QType[]): Fit {
  const t = types[0]!;
  return t === 'string' || t === 'map' || isList(t) ? { ok: true, type: 'number' } : { ok: false, arg: 0, expected: ['string', 'list', 'map'] };
}

function asciiCase(name: string, map: (s: string) => string): FunctionSpec {
  return { name, arity: 1, signature: `string.${name}() -> string`, fit: (types) => strings(types, 'string'), impl: (a) => map(a as string) };
}

const lowerAscii = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
const upperAscii = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());

const SPECS: readonly FunctionSpec[] = [
  {
    name: 'contains',
    arity: 2,
    signature: 'string.contains(string) -> bool, list.contains(element) -> bool',
    fit: fitContains,
    impl: (a, b) => (typeof a === 'string' ? a.includes(b as string) : (a as readonly Scalar[]).includes(b as Scalar)),
  },
  stringPredicate('startsWith', (a, b) => a.startsWith(b)),
  stringPredicate('endsWith', (a, b) => a.endsWith(b)),
  {
    name: 'size',
    arity: 1,
    signature: 'size(string | list | map) -> number',
    fit: fitSize,
    impl: (a) => (typeof a === 'string' ? a.length : (a as readonly (Scalar | Header)[]).length),
  },
  asciiCase('lowerAscii', lowerAscii),
  asciiCase('upperAscii', upperAscii),
];

/** Value functions by name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map(SPECS.map((s) => [s.name, s]));

/** Functions the checker handles itself, with how to call them. */
export const SPECIAL_FUNCTIONS: Readonly<Record<string, string>> = {
  matches: 'string.matches(string literal) -> bool',
  now: 'now() -> timestamp',
  duration: 'duration(string literal) -> duration',
  timestamp: 'timestamp(string literal) -> timestamp',
};

/** Every function name, for suggestions. */
export const FUNCTION_NAMES: readonly string[] = [...FUNCTIONS.keys(), ...Object.keys(SPECIAL_FUNCTIONS)];

/** Every function with how to call it, for the dashboard's completion. */
export const QUERY_FUNCTIONS: readonly { readonly name: string; readonly signature: string }[] = Object.freeze([
  ...SPECS.map((s) => ({ name: s.name, signature: s.signature })),
  ...Object.entries(SPECIAL_FUNCTIONS).map(([name, signature]) => ({ name, signature })),
]);
