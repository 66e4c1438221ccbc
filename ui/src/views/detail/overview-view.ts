/** The entry at a glance: id, protocol, times, sizes, status, connection and stored packets. */
import { formatBytes, formatMs } from '../../lib/format.js';
import type { FieldCatalog } from '../../state/field-catalog.js';
import type { EntryDetail } from '../../types.js';
import { plusButton } from '../plus.js';
import { endpointLabel } from '../table/identity.js';
import { kvTable, section } from './kv.js';

export function overviewSection(catalog: FieldCatalog, d: EntryDetail): HTMLElement {
  const e = d.entry;
  const s = e.summary;
  const status = s.statusCode !== null ? String(s.statusCode) : (s.status ?? 'no response');
  return section(
    'Overview',
    'detail-overview',
    kvTable([
      ['Id', e.id],
      ['Protocol', `${e.protocol} over ${e.transport}`, plusButton(catalog, [['protocol', e.protocol]])],
      ['Method', s.method ?? '—', s.method ? plusButton(catalog, [['method', s.method]]) : null],
      ['Target', s.target ?? '—'],
      ['Call', `${endpointLabel(e.src)} → ${endpointLabel(e.dst)}`],
      ['Status', status, s.statusCode !== null ? plusButton(catalog, [['status_code', s.statusCode]]) : null],
      ['Started at', e.startedAt],
      ['Elapsed', `${formatMs(e.elapsedMs)} ms`],
      ['Request size', formatBytes(e.requestSize)],
      ['Response size', formatBytes(e.responseSize)],
      ['Connection', e.connectionId],
      ['Packets kept', d.packets ? `${d.packets.count} (${formatBytes(d.packets.bytes)})` : 'none'],
    ]),
  );
}
