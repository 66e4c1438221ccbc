/** Tokens of the filter language, as the lexer produces them and the parser consumes them. */

/** Operator and punctuation texts, longest first so the lexer can match greedily. */
export const PUNCTUATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '+', '-', '*', '/', '%', '(', ')', '[', ']', ',', '.'] as const;

export type Punctuator = (typeof PUNCTUATORS)[number];

/** Words with a fixed meaning; they cannot name fields. */
export const KEYWORDS = ['true', 'false', 'null', 'in'] as const;

export type Keyword = (typeof KEYWORDS)[number];

/**
 * One token. `pos`/`end` are code-unit offsets into the text (end exclusive). String tokens carry the
 * decoded value and, per decoded code unit, its offset in the text (`offsets`), so errors inside a
 * regex or duration literal can point at the exact character.
 */
export type Token =
  | { readonly kind: 'ident'; readonly pos: number; readonly end: number; readonly text: string }
  | { readonly kind: 'keyword'; readonly pos: number; readonly end: number; readonly text: Keyword }
  | { readonly kind: 'number'; readonly pos: number; readonly end: number; readonly text: string; readonly value: number }
  | { readonly kind: 'string'; readonly pos: number; readonly end: number; readonly text: string; readonly value: string; readonly offsets: readonly number[] }
  | { readonly kind: 'punct'; readonly pos: number; readonly end: number; readonly text: Punctuator }
  | { readonly kind: 'eof'; readonly pos: number; readonly end: number; readonly text: '' };

/** How a token is named in "found ..." messages. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of input';
    case 'string':
      return `string ${clip(t.text)}`;
    case 'number':
      return `number ${t.text}`;
    default:
      return JSON.stringify(t.text);
  }
}

function clip(text: string): string {
  return text.length > 24 ? `${text.slice(0, 21)}...` : text;
}
