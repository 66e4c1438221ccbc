/** One side of a call: address, pod, container, process, network namespace, resolution state. */
import { h } from '../../lib/dom.js';
import type { FieldCatalog } from '../../state/field-catalog.js';
import type { EntryEndpoint } from '../../types.js';
import { plusButton } from '../plus.js';
import { addressText, resolutionText } from '../table/identity.js';
import { kvTable, section, type KvRow } from './kv.js';

function processRows(catalog: FieldCatalog, side: string, ep: EntryEndpoint): KvRow[] {
  const p = ep.process;
  if (!p) return [['Process', '—']];
  return [
    ['Process', `${p.comm} [pid ${p.pid}]`, plusButton(catalog, [[`${side}.process.comm`, p.comm], [`${side}.comm`, p.comm]])],
    ['Executable', p.exe ?? '—'],
  ];
}

export function endpointSection(catalog: FieldCatalog, side: 'src' | 'dst', ep: EntryEndpoint): HTMLElement {
  const rows: KvRow[] = [
    ['Address', addressText(ep), plusButton(catalog, [[`${side}.ip`, ep.ip]])],
    ['Port', String(ep.port), plusButton(catalog, [[`${side}.port`, ep.port]])],
    ['Pod uid', ep.pod?.uid ?? '—', ep.pod ? plusButton(catalog, [[`${side}.pod.uid`, ep.pod.uid]]) : null],
    ['Container', ep.container ? `${ep.container.id} (${ep.container.runtime})` : '—', ep.container ? plusButton(catalog, [[`${side}.container.id`, ep.container.id]]) : null],
    ...processRows(catalog, side, ep),
    ['Network ns', ep.netns ? `${ep.netns.inode}${ep.netns.name ? ` (${ep.netns.name})` : ''}` : '—'],
    ['Resolution', h('span', { class: `resolution ${ep.resolution}` }, ep.resolution), h('span', { class: 'muted' }, `— ${resolutionText(ep.resolution)}`)],
  ];
  return section(side === 'src' ? 'Source (client)' : 'Destination (server)', `detail-${side}`, kvTable(rows));
}
