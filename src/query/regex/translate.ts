/**
 * Spells a pattern that `parseRegex` accepted in RE2 syntax, for re2js. The accepted language is a
 * JS-flavoured subset of RE2's; the few constructs RE2 spells differently are rewritten, everything
 * else is copied as written:
 *
 * - `\uHHHH` → `\x{HHHH}` (an escaped surrogate pair becomes one code point), `\0` → `\x00`;
 * - an escaped non-ASCII character → the character (RE2 allows escaping ASCII punctuation only);
 * - classes: `[]` (matches nothing) and `[^]` (anything) → explicit ranges, `[\b]` → backspace,
 *   a `[` inside a class → `\[` (so `[[:alpha:]]` keeps the meaning `parseRegex` gave it).
 */

const NOTHING = '[^\\x00-\\x{10FFFF}]';
const ANYTHING = '[\\x00-\\x{10FFFF}]';

/** RE2 syntax for a pattern already accepted by `parseRegex`. */
export function toRe2Syntax(pattern: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = escape(pattern, i, false);
      out += e.text;
      i = e.next;
    } else if (c === '[') {
      const k = charClass(pattern, i);
      out += k.text;
      i = k.next;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

interface Piece {
  readonly text: string;
  readonly next: number;
}

/** The class starting at `[` at `start`. */
function charClass(p: string, start: number): Piece {
  let i = start + 1;
  const negated = p[i] === '^';
  if (negated) i++;
  if (p[i] === ']') return { text: negated ? ANYTHING : NOTHING, next: i + 1 };
  let text = negated ? '[^' : '[';
  while (i < p.length && p[i] !== ']') {
    if (p[i] === '\\') {
      const e = escape(p, i, true);
      text += e.text;
      i = e.next;
    } else {
      text += p[i] === '[' ? '\\[' : p[i];
      i++;
    }
  }
  return { text: `${text}]`, next: i + 1 };
}

/** The escape starting at the backslash at `start`. */
function escape(p: string, start: number, inClass: boolean): Piece {
  const c = p[start + 1] ?? '';
  if (c === 'u') return unicodeEscape(p, start);
  if (c === '0') return { text: '\\x00', next: start + 2 };
  if (c === 'b' && inClass) return { text: '\\x08', next: start + 2 };
  if (c === 'p' || c === 'P') {
    const braced = p[start + 2] === '{' ? p.indexOf('}', start + 2) : -1;
    const end = braced >= 0 ? braced + 1 : start + 3;
    return { text: p.slice(start, end), next: end };
  }
  if (c.charCodeAt(0) >= 0x80) return { text: c, next: start + 2 };
  return { text: `\\${c}`, next: start + 2 };
}

/** `\uHHHH`, joined with a following `\uHHHH` when the two form a surrogate pair. */
function unicodeEscape(p: string, start: number): Piece {
  const unit = parseInt(p.slice(start + 2, start + 6), 16);
  const low = p.startsWith('\\u', start + 6) ? parseInt(p.slice(start + 8, start + 12), 16) : NaN;
  if (unit >= 0xd800 && unit <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
    const cp = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
    return { text: `\\x{${cp.toString(16)}}`, next: start + 12 };
  }
  return { text: `\\x{${unit.toString(16)}}`, next: start + 6 };
}
