/**
 * Regex parser: pattern text → `RNode`, the syntax tree the policy checks (`shape.ts`, `size.ts`) work
 * on; matching is re2js's (`re2.ts`). Refuses, as `limit` errors, what RE2 cannot do and what is
 * catastrophic in backtracking engines: backreferences, lookahead and lookbehind. Group nesting is
 * bounded. Escapes: `\d \D \w \W \s \S \b \B \n \r \t \f \v \0 \xHH \uHHHH`, Unicode classes
 * `\pL \p{Greek} \P{..}` (names checked by RE2; for the policy they may match any character) and any
 * punctuation escaped as itself; unknown letter escapes are syntax errors. Sets hold UTF-16 code units
 * with JS semantics (`\s`, `(?i)`); they only feed the policy, which may so be slightly conservative.
 */
import { MAX_DEPTH, MAX_REGEX_REPEAT } from '../limits.js';
import { RegexError, type RegexFlags, type RNode } from './ast.js';
import * as cs from './charset.js';
import { caseClose } from './fold.js';

/** A parsed pattern with its flags. */
export interface ParsedRegex {
  readonly root: RNode;
  readonly flags: RegexFlags;
}

const FLAG_PREFIX = /^\(\?([is]+)\)/;

export function parseRegex(pattern: string): ParsedRegex {
  const prefix = FLAG_PREFIX.exec(pattern);
  const flags: RegexFlags = { ignoreCase: prefix?.[1]?.includes('i') ?? false, dotAll: prefix?.[1]?.includes('s') ?? false };
  const p = new RegexParser(pattern, prefix ? prefix[0].length : 0, flags);
  return { root: p.parseAll(), flags };
}

const QUANTIFIER = /^\{(\d+)(,(\d*))?\}/;
const UNICODE_CLASS = /^[pP](\{\^?[A-Za-z_]+\}|[A-Za-z])/;

class RegexParser {
  private depth = 0;

  constructor(
    private readonly src: string,
    private i: number,
    private readonly flags: RegexFlags,
  ) {}

  parseAll(): RNode {
    const node = this.alternation();
    if (this.i < this.src.length) throw new RegexError('syntax', 'unbalanced ")" in regex', this.i, ['end of pattern']);
    return node;
  }

  private alternation(): RNode {
    const pos = this.i;
    const items = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0]! : { k: 'alt', items, pos };
  }

  private sequence(): RNode {
    const items: RNode[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') items.push(this.repeated());
    return items.length === 1 ? items[0]! : { k: 'cat', items };
  }

  private repeated(): RNode {
    let node = this.atom();
    const q = this.quantifier();
    if (!q) return node;
    if (node.k === 'assert') throw new RegexError('syntax', 'nothing to repeat in regex', q.pos);
    node = { k: 'repeat', body: node, min: q.min, max: q.max, pos: q.pos };
    if (this.src[this.i] === '?') this.i++;
    const again = this.quantifier();
    if (again) throw new RegexError('syntax', 'nothing to repeat in regex (a quantifier follows a quantifier)', again.pos);
    return node;
  }

  /** Reads `* + ? {n} {n,} {n,m}` at the cursor, or returns null. */
  private quantifier(): { min: number; max: number; pos: number } | null {
    const pos = this.i;
    const c = this.src[this.i];
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      return { min: c === '+' ? 1 : 0, max: c === '?' ? 1 : Infinity, pos };
    }
    const m = c === '{' ? QUANTIFIER.exec(this.src.slice(this.i, this.i + 24)) : null;
    if (!m) return null;
    this.i += m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > MAX_REGEX_REPEAT || (max !== Infinity && max > MAX_REGEX_REPEAT)) {
      throw new RegexError('limit', `regex repetition count is over ${MAX_REGEX_REPEAT}`, pos);
    }
    if (max < min) throw new RegexError('syntax', 'regex repetition {n,m} has m < n', pos);
    return { min, max, pos };
  }

  private atom(): RNode {
    const pos = this.i;
    const c = this.src[this.i]!;
    this.i++;
    switch (c) {
      case '(':
        return this.group(pos);
      case '[':
        return { k: 'set', set: this.charClass(pos), pos };
      case '.':
        return { k: 'set', set: this.flags.dotAll ? cs.ANY : cs.NOT_NEWLINE, pos };
      case '^':
        return { k: 'assert', a: 'bol', pos };
      case '$':
        return { k: 'assert', a: 'eol', pos };
      case '\\':
        return this.escape(pos);
      case '*':
      case '+':
      case '?':
        throw new RegexError('syntax', 'nothing to repeat in regex', pos);
      case '{':
        if (QUANTIFIER.test(this.src.slice(pos, pos + 24))) throw new RegexError('syntax', 'nothing to repeat in regex', pos);
        return { k: 'char', c: 0x7b, pos };
      default:
        return { k: 'char', c: c.charCodeAt(0), pos };
    }
  }

  private group(pos: number): RNode {
    this.enterGroup(pos);
    this.groupPrefix(pos);
    const body = this.alternation();
    if (this.src[this.i] !== ')') throw new RegexError('syntax', 'missing ")" in regex', this.i, [')']);
    this.i++;
    this.depth--;
    return body;
  }

  private enterGroup(pos: number): void {
    this.depth++;
    if (this.depth > MAX_DEPTH) throw new RegexError('limit', `regex groups nest deeper than ${MAX_DEPTH}`, pos);
  }

  /** Skips `?:` and names; refuses lookaround, scoped flags and anything else after `(?`. */
  private groupPrefix(pos: number): void {
    if (this.src[this.i] !== '?') return;
    const rest = this.src.slice(this.i, this.i + 4);
    if (rest.startsWith('?:')) {
      this.i += 2;
      return;
    }
    if (rest.startsWith('?<=') || rest.startsWith('?<!')) throw new RegexError('limit', 'regex lookbehind is not allowed', pos);
    if (rest.startsWith('?=') || rest.startsWith('?!')) throw new RegexError('limit', 'regex lookahead is not allowed', pos);
    const named = /^\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(this.src.slice(this.i, this.i + 80));
    if (named) {
      this.i += named[0].length;
      return;
    }
    const where = /^\?[is]+\)/.test(rest) ? 'flags (?i) and (?s) are allowed only at the start of a regex' : 'unknown group "(?" in regex';
    throw new RegexError('syntax', where, pos, ['(?:', '(?<name>']);
  }

  private escape(pos: number): RNode {
    const c = this.src[this.i];
    if (c === undefined) throw new RegexError('syntax', 'regex ends with "\\"', pos, ['escaped character']);
    if (c === 'b' || c === 'B') {
      this.i++;
      return { k: 'assert', a: c === 'b' ? 'wordb' : 'nwordb', pos };
    }
    if (/[1-9]/.test(c) || c === 'k') throw new RegexError('limit', 'regex backreferences are not allowed', pos);
    const set = this.classEscape(pos);
    if (set) return { k: 'set', set, pos };
    return { k: 'char', c: this.charEscape(pos), pos };
  }

  /** `\d \D \w \W \s \S` at the cursor (after the backslash), or null. */
  private classEscape(pos: number): cs.CharSet | null {
    const c = this.src[this.i];
    const base = c === 'd' || c === 'D' ? cs.DIGIT : c === 'w' || c === 'W' ? cs.WORD : c === 's' || c === 'S' ? cs.SPACE : null;
    if (!base) return c === 'p' || c === 'P' ? this.unicodeClass(pos) : null;
    this.i++;
    const folded = this.fold(base);
    return c === c!.toUpperCase() ? cs.complement(folded) : folded;
  }

  /** `\pL`, `\p{Name}` or `\p{^Name}` (or `\P`) at the cursor: any character, as far as the policy knows. */
  private unicodeClass(pos: number): cs.CharSet {
    const m = UNICODE_CLASS.exec(this.src.slice(this.i, this.i + 40));
    if (!m) throw new RegexError('syntax', 'regex unicode class needs a name, as in \\p{Greek} or \\pL', pos, ['\\p{Name}']);
    this.i += m[0].length;
    return cs.ANY;
  }

  /** A single-character escape at the cursor (after the backslash); returns its code unit. */
  private charEscape(pos: number): number {
    const c = this.src[this.i]!;
    this.i++;
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0 };
    if (simple[c] !== undefined) return simple[c];
    if (c === 'x' || c === 'u') return this.hex(pos, c === 'x' ? 2 : 4);
    if (/[A-Za-z0-9]/.test(c)) throw new RegexError('syntax', `unknown regex escape "\\${c}"`, pos, ['\\d', '\\w', '\\s', '\\b', '\\.']);
    return c.charCodeAt(0);
  }

  private hex(pos: number, digits: number): number {
    const text = this.src.slice(this.i, this.i + digits);
    if (text.length !== digits || !/^[0-9a-fA-F]+$/.test(text)) throw new RegexError('syntax', `regex escape needs ${digits} hex digits`, pos);
    this.i += digits;
    return parseInt(text, 16);
  }

  /** `[...]` after the `[`: items, ranges, class escapes; `[^...]` negates; `[]` matches nothing. */
  private charClass(pos: number): cs.CharSet {
    const negated = this.src[this.i] === '^';
    if (negated) this.i++;
    let set: cs.CharSet = cs.EMPTY;
    while (this.src[this.i] !== ']') {
      if (this.i >= this.src.length) throw new RegexError('syntax', 'missing "]" in regex', pos, [']']);
      set = cs.union(set, this.classItem());
    }
    this.i++;
    const folded = this.fold(set);
    return negated ? cs.complement(folded) : folded;
  }

  /** Under `(?i)`, a set is closed under case before any negation (as JS and RE2 do). */
  private fold(set: cs.CharSet): cs.CharSet {
    return this.flags.ignoreCase ? caseClose(set) : set;
  }

  private classItem(): cs.CharSet {
    const start = this.i;
    const lo = this.classAtom();
    if (typeof lo !== 'number' || this.src[this.i] !== '-' || this.src[this.i + 1] === ']' || this.i + 1 >= this.src.length) {
      return typeof lo === 'number' ? cs.single(lo) : lo;
    }
    this.i++;
    const hi = this.classAtom();
    if (typeof hi !== 'number') throw new RegexError('syntax', 'a class escape cannot end a range in a regex class', start);
    if (hi < lo) throw new RegexError('syntax', 'regex class range is out of order', start);
    return cs.fromRanges([[lo, hi]]);
  }

  /** One class member: a code unit, or a set for `\d`-style escapes. */
  private classAtom(): number | cs.CharSet {
    const pos = this.i;
    const c = this.src[this.i]!;
    this.i++;
    if (c !== '\\') return c.charCodeAt(0);
    if (this.i >= this.src.length) throw new RegexError('syntax', 'regex ends with "\\"', pos);
    const set = this.classEscape(pos);
    if (set) return set;
    if (this.src[this.i] === 'b') {
      this.i++;
      return 0x08;
    }
    if (this.src[this.i] === '-') {
      this.i++;
      return 0x2d;
    }
    return this.charEscape(pos);
  }
}
