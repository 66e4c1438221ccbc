/**
 * Lexer: filter text → tokens with positions. Strings may be double- or single-quoted with escapes
 * (`\\ \" \' \n \r \t \b \f \v \0 \xHH \uHHHH \u{H...}`), or raw (`r"..."`, no escapes: handy for
 * regexes). Numbers are decimal ints, floats with fraction/exponent, or hex `0x..`. Errors are
 * `E_QUERY_SYNTAX` (`E_QUERY_LIMIT` for over-long string literals) at the offending character.
 */
import { FilterError, limitError, syntaxError } from './errors.js';
import { MAX_STRING_LENGTH } from './limits.js';
import { KEYWORDS, PUNCTUATORS, type Keyword, type Token } from './tokens.js';

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);

/** Splits the whole text into tokens, ending with one `eof` token. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = skipSpace(text, 0);
  while (pos < text.length) {
    const token = readToken(text, pos);
    tokens.push(token);
    pos = skipSpace(text, token.end);
  }
  tokens.push({ kind: 'eof', pos: text.length, end: text.length, text: '' });
  return tokens;
}

function skipSpace(text: string, pos: number): number {
  let p = pos;
  while (p < text.length && isSpace(text.charCodeAt(p))) p++;
  return p;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b || c === 0xa0 || c === 0xfeff;
}

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function readToken(text: string, pos: number): Token {
  const c = text.charCodeAt(pos);
  const next = text.charCodeAt(pos + 1);
  if ((c === 0x72 || c === 0x52) && (next === 0x22 || next === 0x27)) return readRawString(text, pos);
  if (isIdentStart(c)) return readWord(text, pos);
  if (isDigit(c) || (c === 0x2e && isDigit(next))) return readNumber(text, pos);
  if (c === 0x22 || c === 0x27) return readString(text, pos);
  return readPunct(text, pos);
}

function readWord(text: string, pos: number): Token {
  let end = pos + 1;
  while (end < text.length && (isIdentStart(text.charCodeAt(end)) || isDigit(text.charCodeAt(end)))) end++;
  const word = text.slice(pos, end);
  if (KEYWORD_SET.has(word)) return { kind: 'keyword', pos, end, text: word as Keyword };
  return { kind: 'ident', pos, end, text: word };
}

function readPunct(text: string, pos: number): Token {
  for (const p of PUNCTUATORS) {
    if (text.startsWith(p, pos)) return { kind: 'punct', pos, end: pos + p.length, text: p };
  }
  const ch = String.fromCodePoint(text.codePointAt(pos) ?? 0);
  throw syntaxError(pos, ['field', 'literal', 'operator'], `unexpected character ${JSON.stringify(ch)}`, punctHint(ch));
}

function punctHint(ch: string): string | undefined {
  if (ch === '=') return 'compare with "=="';
  if (ch === '&') return 'use "&&" for and';
  if (ch === '|') return 'use "||" for or';
  return undefined;
}

function readNumber(text: string, pos: number): Token {
  const hex = /^0[xX][0-9a-fA-F]+/.exec(text.slice(pos, pos + 40));
  const dec = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(pos, pos + 400));
  const lexeme = hex?.[0] ?? dec?.[0] ?? '';
  const end = pos + lexeme.length;
  if (end < text.length && (isIdentStart(text.charCodeAt(end)) || isDigit(text.charCodeAt(end)))) {
    throw syntaxError(end, ['operator', 'end of input'], `${JSON.stringify(text[end])} right after number ${lexeme}`);
  }
  const value = Number(lexeme);
  if (!Number.isFinite(value)) throw limitError(pos, `number ${lexeme.slice(0, 24)} is out of range`);
  return { kind: 'number', pos, end, text: lexeme, value };
}

function readRawString(text: string, pos: number): Token {
  const quote = text[pos + 1]!;
  const close = text.indexOf(quote, pos + 2);
  if (close < 0) throw syntaxError(text.length, ['closing quote'], 'end of input', `the string opened at ${pos} is not closed`);
  const value = text.slice(pos + 2, close);
  checkStringLength(value.length, pos);
  const offsets = Array.from({ length: value.length }, (_, i) => pos + 2 + i);
  return { kind: 'string', pos, end: close + 1, text: text.slice(pos, close + 1), value, offsets };
}

function readString(text: string, pos: number): Token {
  const quote = text.charCodeAt(pos);
  const out: string[] = [];
  const offsets: number[] = [];
  let p = pos + 1;
  while (p < text.length && text.charCodeAt(p) !== quote) {
    const [decoded, next] = text.charCodeAt(p) === 0x5c ? readEscape(text, p) : [text[p]!, p + 1];
    for (let i = 0; i < decoded.length; i++) offsets.push(p);
    out.push(decoded);
    checkStringLength(offsets.length, pos);
    p = next;
  }
  if (p >= text.length) throw syntaxError(text.length, ['closing quote'], 'end of input', `the string opened at ${pos} is not closed`);
  return { kind: 'string', pos, end: p + 1, text: text.slice(pos, p + 1), value: out.join(''), offsets };
}

function checkStringLength(length: number, pos: number): void {
  if (length > MAX_STRING_LENGTH) throw limitError(pos, `string literal is longer than ${MAX_STRING_LENGTH} characters`);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\', '"': '"', "'": "'", '`': '`', '?': '?', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0',
};

/** Decodes the escape at `p` (a backslash); returns the text and the offset after it. */
function readEscape(text: string, p: number): [string, number] {
  const c = text[p + 1];
  if (c === undefined) throw syntaxError(p + 1, ['escape character'], 'end of input');
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return [simple, p + 2];
  if (c === 'x') return hexEscape(text, p, p + 2, 2);
  if (c === 'u' && text[p + 2] === '{') return bracedEscape(text, p);
  if (c === 'u') return hexEscape(text, p, p + 2, 4);
  throw new FilterError(
    'E_QUERY_SYNTAX',
    `unknown escape "\\${c}" at ${p}`,
    p,
    ['\\\\', '\\"', "\\'", '\\n', '\\t', '\\xHH', '\\uHHHH'],
    'write "\\\\" for a backslash, or use a raw string r"..." (e.g. for regexes)',
  );
}

function hexEscape(text: string, p: number, from: number, digits: number): [string, number] {
  const hex = text.slice(from, from + digits);
  if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) {
    throw syntaxError(from, [`${digits} hex digits`], hex.length ? JSON.stringify(hex) : 'end of input');
  }
  return [String.fromCharCode(parseInt(hex, 16)), from + digits];
}

function bracedEscape(text: string, p: number): [string, number] {
  const close = text.indexOf('}', p + 3);
  const hex = close < 0 ? '' : text.slice(p + 3, close);
  const cp = /^[0-9a-fA-F]{1,6}$/.test(hex) ? parseInt(hex, 16) : -1;
  if (cp < 0 || cp > 0x10ffff) throw syntaxError(p + 3, ['code point in hex, then "}"'], JSON.stringify(text.slice(p, p + 12)));
  return [String.fromCodePoint(cp), close + 1];
}
