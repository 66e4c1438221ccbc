/** Small table builders for the detail pane: key/value rows and generic column tables. */
import { h, type Child } from '../../lib/dom.js';

export type KvRow = readonly [key: string, value: Child, extra?: Child];

export function kvTable(rows: readonly KvRow[], testId?: string): HTMLElement {
  return h(
    'table',
    { class: 'kv', 'data-testid': testId },
    h('tbody', {}, ...rows.map(([k, v, extra]) => h('tr', {}, h('th', {}, k), h('td', {}, v, extra ? ' ' : null, extra ?? null)))),
  );
}

export function gridTable(head: readonly string[], rows: readonly (readonly Child[])[], testId?: string): HTMLElement {
  return h(
    'table',
    { class: 'grid', 'data-testid': testId },
    h('thead', {}, h('tr', {}, ...head.map((t) => h('th', {}, t)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}

export function section(title: string, testId: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'detail-section', 'data-testid': testId }, h('h3', {}, title), ...children);
}

export function note(text: string, cls = 'note'): HTMLElement {
  return h('p', { class: cls }, text);
}
