/**
 * The "+" buttons: each names candidate (field, value) pairs; the first field the filter language knows
 * wins, and clicking appends `&& field == value` to the filter (see `app.ts`, which listens for
 * `[data-plus]` clicks on the whole document).
 */
import { h } from '../lib/dom.js';
import { clause } from '../lib/filter-text.js';
import type { FieldCatalog } from '../state/field-catalog.js';
import type { EntryEndpoint, EntryListItem } from '../types.js';

export type PlusCandidates = readonly (readonly [field: string, value: string | number])[];

/** The clause for the first known candidate field, or null. */
export function plusClause(catalog: FieldCatalog, candidates: PlusCandidates): string | null {
  const field = catalog.resolve(candidates.map(([f]) => f));
  const pair = candidates.find(([f]) => f === field);
  if (!field || !pair) return null;
  const type = catalog.get(field)?.type;
  const value = pair[1];
  if (type === 'number' && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return clause(field, Number(value));
  if (type === 'string' && typeof value === 'number') return clause(field, String(value));
  return clause(field, value);
}

export function plusButton(catalog: FieldCatalog, candidates: PlusCandidates): HTMLElement | null {
  const c = plusClause(catalog, candidates);
  if (!c) return null;
  return h('button', { class: 'plus', type: 'button', 'data-plus': c, 'data-testid': 'plus', title: `Filter: && ${c}` }, '+');
}

/** Column "+" candidates for a table row. */
export const rowPlus = {
  protocol: (e: EntryListItem): PlusCandidates => [['protocol', e.protocol]],
  method: (e: EntryListItem): PlusCandidates => (e.summary.method ? [['method', e.summary.method]] : []),
  target: (e: EntryListItem): PlusCandidates => targetCandidates(e),
  status: (e: EntryListItem): PlusCandidates => statusCandidates(e),
  src: (e: EntryListItem): PlusCandidates => endpointCandidates('src', e.src),
  dst: (e: EntryListItem): PlusCandidates => endpointCandidates('dst', e.dst),
};

function targetCandidates(e: EntryListItem): PlusCandidates {
  const t = e.summary.target;
  if (!t) return [];
  return e.protocol === 'http' ? [['target', t], ['url', t], ['path', t.split('?')[0] ?? t]] : [['target', t]];
}

function statusCandidates(e: EntryListItem): PlusCandidates {
  if (e.summary.statusCode !== null) return [['status_code', e.summary.statusCode]];
  const s = e.summary.status;
  return s ? [['status', s], ['dns_rcode', s]] : [];
}

export function endpointCandidates(side: 'src' | 'dst', ep: EntryEndpoint): PlusCandidates {
  const list: [string, string | number][] = [];
  if (ep.pod) list.push([`${side}.pod.uid`, ep.pod.uid]);
  list.push([`${side}.ip`, ep.ip]);
  return list;
}
