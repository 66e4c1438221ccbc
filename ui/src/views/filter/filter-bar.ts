/**
 * The filter bar: the query input with validation as you type (debounced `GET /api/v1/query`), Enter to
 * apply, field completion, history (↑/↓ and a dropdown) and a clear button.
 */
import { ApiError, checkQuery } from '../../api/client.js';
import { h } from '../../lib/dom.js';
import type { FieldCatalog } from '../../state/field-catalog.js';
import { loadHistory } from '../../state/filter-history.js';
import type { QueryErrorInfo } from '../../types.js';
import { acceptCompletion, wordAtCaret } from './completion.js';
import { Popup, type PopupItem } from './popup.js';
import { ValidationView } from './validation-view.js';

const CHECK_DEBOUNCE_MS = 150;

export interface FilterBarEvents {
  apply(q: string): void;
}

export class FilterBar {
  readonly el: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly validation = new ValidationView();
  private readonly completion: Popup;
  private readonly history: Popup;
  private historyIndex = -1;
  private checkTimer: number | undefined;
  private checkAbort: AbortController | null = null;

  constructor(
    private readonly catalog: FieldCatalog,
    private readonly events: FilterBarEvents,
  ) {
    this.input = h('input', {
      class: 'filter-input',
      type: 'text',
      spellcheck: 'false',
      autocomplete: 'off',
      placeholder: 'Filter — e.g. http && status_code >= 500, dns, method == "POST"   (press / to focus)',
      'data-testid': 'filter-input',
      'aria-label': 'Filter',
    });
    this.completion = new Popup('filter-completion', (it) => this.acceptField(it.value));
    this.history = new Popup('filter-history', (it) => this.applyText(it.value));
    const historyButton = h('button', { class: 'btn', type: 'button', title: 'Filter history', 'data-testid': 'filter-history-button', onclick: () => this.toggleHistory() }, '▾');
    const applyButton = h('button', { class: 'btn primary', type: 'button', 'data-testid': 'filter-apply', onclick: () => this.events.apply(this.input.value.trim()) }, 'Apply');
    const clearButton = h('button', { class: 'btn', type: 'button', title: 'Clear the filter', 'data-testid': 'filter-clear', onclick: () => this.applyText('') }, '×');
    const field = h('div', { class: 'filter-field' }, this.validation.mirror, this.input, this.completion.el, this.history.el);
    this.el = h('div', { class: 'filter-bar', 'data-testid': 'filter-bar' }, h('div', { class: 'filter-row' }, field, historyButton, clearButton, applyButton), this.validation.message);
    this.input.addEventListener('input', () => this.onInput());
    this.input.addEventListener('keydown', (ev) => this.onKey(ev));
    this.input.addEventListener('scroll', () => this.validation.sync(this.input));
    this.input.addEventListener('blur', () => window.setTimeout(() => (this.completion.close(), this.history.close()), 150));
  }

  get text(): string {
    return this.input.value;
  }

  /** Sets the text (e.g. from the URL) and validates it. */
  setText(q: string): void {
    this.input.value = q;
    this.historyIndex = -1;
    this.scheduleCheck(0);
  }

  showError(error: QueryErrorInfo | null): void {
    this.validation.show(this.input.value, error);
    this.el.classList.toggle('invalid', error !== null);
  }

  focus(): void {
    this.input.focus();
    this.input.select();
  }

  private applyText(q: string): void {
    this.input.value = q;
    this.events.apply(q);
  }

  private onInput(): void {
    this.historyIndex = -1;
    this.history.close();
    this.suggest();
    this.scheduleCheck(CHECK_DEBOUNCE_MS);
  }

  private onKey(ev: KeyboardEvent): void {
    const popup = this.completion.open ? this.completion : this.history.open ? this.history : null;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (popup) popup.move(ev.key === 'ArrowDown' ? 1 : -1);
      else this.stepHistory(ev.key === 'ArrowUp' ? 1 : -1);
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (popup?.pickActive()) return;
      this.completion.close();
      this.history.close();
      this.events.apply(this.input.value.trim());
    } else if (ev.key === 'Tab' && this.completion.open) {
      ev.preventDefault();
      this.completion.pickActive(true);
    } else if (ev.key === 'Escape') {
      if (popup) ev.stopPropagation();
      this.completion.close();
      this.history.close();
      if (!popup) this.input.blur();
    }
  }

  /** ↑ walks back through applied filters, ↓ forward. */
  private stepHistory(delta: number): void {
    const list = loadHistory();
    if (!list.length) return;
    this.historyIndex = Math.max(-1, Math.min(list.length - 1, this.historyIndex + delta));
    this.input.value = this.historyIndex < 0 ? '' : (list[this.historyIndex] ?? '');
    this.scheduleCheck(CHECK_DEBOUNCE_MS);
  }

  private toggleHistory(): void {
    if (this.history.open) return this.history.close();
    this.completion.close();
    const items: PopupItem[] = loadHistory().map((q) => ({ label: q, value: q }));
    this.history.show(items.length ? items : []);
    this.input.focus();
  }

  private suggest(): void {
    const w = wordAtCaret(this.input.value, this.input.selectionStart ?? this.input.value.length);
    const matches = w ? this.catalog.complete(w.word).filter((f) => f.name !== w.word) : [];
    this.completion.show(matches.map((f) => ({ label: f.name, detail: `${f.type} — ${f.description}`, value: f.name })));
  }

  private acceptField(name: string): void {
    const text = this.input.value;
    const w = wordAtCaret(text, this.input.selectionStart ?? text.length);
    if (!w) return;
    const next = acceptCompletion(text, w, name);
    this.input.value = next.text;
    this.input.setSelectionRange(next.caret, next.caret);
    this.scheduleCheck(CHECK_DEBOUNCE_MS);
  }

  private scheduleCheck(delay: number): void {
    window.clearTimeout(this.checkTimer);
    this.checkTimer = window.setTimeout(() => void this.check(), delay);
  }

  private async check(): Promise<void> {
    this.checkAbort?.abort();
    const q = this.input.value;
    if (!q.trim()) return this.showError(null);
    const abort = new AbortController();
    this.checkAbort = abort;
    try {
      const res = await checkQuery(q, abort.signal);
      if (q === this.input.value) this.showError(res.ok ? null : res.error);
    } catch (err) {
      if (err instanceof ApiError && err.position !== null && q === this.input.value) {
        this.showError({ code: err.code, message: err.message, position: err.position, expected: err.expected });
      }
    }
  }
}
