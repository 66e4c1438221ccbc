/**
 * Shows a filter error: a red wavy underline under the offending text (a transparent mirror of the
 * input drawn behind it) and a message "… — expected X at col N".
 */
import { h, replaceChildren } from '../../lib/dom.js';
import type { QueryErrorInfo } from '../../types.js';

/** `<message> (col N)`, or `<message> — expected X at col N` when the message does not say what was expected. */
export function errorMessage(e: Pick<QueryErrorInfo, 'message' | 'position' | 'expected'>): string {
  const col = e.position + 1;
  if (/expected/i.test(e.message) || !e.expected.length) return `${e.message} (col ${col})`;
  return `${e.message} — expected ${e.expected.slice(0, 6).join(', ')} at col ${col}`;
}

export class ValidationView {
  readonly mirror = h('div', { class: 'mirror', 'aria-hidden': 'true' });
  readonly message = h('div', { class: 'filter-message', 'data-testid': 'filter-error', role: 'alert', hidden: true });

  show(text: string, error: QueryErrorInfo | null): void {
    this.message.hidden = error === null;
    this.message.textContent = error ? errorMessage(error) : '';
    if (!error) return replaceChildren(this.mirror, text);
    const pos = Math.max(0, Math.min(error.position, text.length));
    const bad = text.slice(pos) || '\u00a0\u00a0';
    replaceChildren(this.mirror, text.slice(0, pos), h('span', { class: 'bad' }, bad));
  }

  /** Keeps the mirror aligned with a horizontally scrolled input. */
  sync(input: HTMLInputElement): void {
    this.mirror.scrollLeft = input.scrollLeft;
  }
}
