/** Header tables (original order and case). A "+" appears when the filter language has a headers map. */
import { h } from '../../lib/dom.js';
import { quote } from '../../lib/filter-text.js';
import type { FieldCatalog } from '../../state/field-catalog.js';
import type { Header } from '../../types.js';
import { gridTable, note } from './kv.js';

function mapField(catalog: FieldCatalog, side: 'request' | 'response'): string | null {
  const name = [`${side}.headers`, `${side === 'request' ? 'req' : 'resp'}.headers`].find((n) => catalog.get(n)?.type === 'map');
  return name ?? null;
}

function headerPlus(field: string | null, [name, value]: Header): HTMLElement | null {
  if (!field) return null;
  const c = `${field}[${quote(name.toLowerCase())}] == ${quote(value)}`;
  return h('button', { class: 'plus', type: 'button', 'data-plus': c, title: `Filter: && ${c}` }, '+');
}

export function headersTable(catalog: FieldCatalog, side: 'request' | 'response', headers: readonly Header[], testId: string): HTMLElement {
  if (!headers.length) return note('No headers.');
  const field = mapField(catalog, side);
  const rows = headers.map((hd) => [h('code', { class: 'hname' }, hd[0]), h('span', { class: 'hvalue' }, hd[1], headerPlus(field, hd))]);
  return gridTable(['Name', 'Value'], rows, testId);
}
