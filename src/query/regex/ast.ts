/**
 * Syntax tree of a regular expression, the subset podsniff supports: literals, classes, `.`, anchors
 * `^ $`, word boundaries `\b \B`, groups (capturing, `(?:)`, named), alternation and quantifiers
 * `* + ? {n} {n,} {n,m}` (lazy forms accepted; for a yes/no match they mean the same). `pos` is the
 * offset into the pattern.
 */
import type { CharSet } from './charset.js';

export type AssertKind = 'bol' | 'eol' | 'wordb' | 'nwordb';

export type RNode =
  | { readonly k: 'char'; readonly c: number; readonly pos: number }
  | { readonly k: 'set'; readonly set: CharSet; readonly pos: number }
  | { readonly k: 'assert'; readonly a: AssertKind; readonly pos: number }
  | { readonly k: 'cat'; readonly items: readonly RNode[] }
  | { readonly k: 'alt'; readonly items: readonly RNode[]; readonly pos: number }
  | { readonly k: 'repeat'; readonly body: RNode; readonly min: number; readonly max: number; readonly pos: number };

/** Flags set by a leading `(?i)`, `(?s)` or `(?is)`. */
export interface RegexFlags {
  /** `i`: letters match either case. */
  readonly ignoreCase: boolean;
  /** `s`: `.` matches a newline too. */
  readonly dotAll: boolean;
}

/** A regex failure: `syntax` (not a valid pattern) or `limit` (valid but refused: size, shape, feature). */
export class RegexError extends Error {
  constructor(
    readonly kind: 'syntax' | 'limit',
    message: string,
    /** Offset into the pattern. */
    readonly offset: number,
    readonly expected: readonly string[] = [],
  ) {
    super(message);
    this.name = 'RegexError';
  }
}
