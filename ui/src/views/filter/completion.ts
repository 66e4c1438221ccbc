/** Field completion: which word the caret is in, and the text after accepting a suggestion. */

const WORD = /[A-Za-z0-9_.]/;

export interface WordAtCaret {
  readonly start: number;
  readonly end: number;
  readonly word: string;
}

/** The identifier-like word ending at the caret, or null inside a string literal. */
export function wordAtCaret(text: string, caret: number): WordAtCaret | null {
  if (insideString(text, caret)) return null;
  let start = caret;
  while (start > 0 && WORD.test(text[start - 1] ?? '')) start--;
  let end = caret;
  while (end < text.length && WORD.test(text[end] ?? '')) end++;
  const word = text.slice(start, caret);
  return word && /^[A-Za-z_]/.test(word) ? { start, end, word } : null;
}

function insideString(text: string, caret: number): boolean {
  let open = false;
  for (let i = 0; i < caret; i++) {
    const c = text[i];
    if (c === '\\' && open) i++;
    else if (c === '"') open = !open;
  }
  return open;
}

/** Replaces the word with `name` (plus a space) and returns the new text and caret. */
export function acceptCompletion(text: string, w: WordAtCaret, name: string): { text: string; caret: number } {
  const before = text.slice(0, w.start) + name;
  const after = text.slice(w.end);
  const spacer = after.startsWith(' ') ? '' : ' ';
  return { text: before + spacer + after, caret: before.length + 1 };
}
