/**
 * The traffic table's columns: title, CSS grid width and how a row fills its cell (text, class,
 * tooltip, "+" candidates). Cells are plain text so filling a recycled row costs little.
 */
import { formatBytes, formatClock, formatMs } from '../../lib/format.js';
import type { EntryListItem } from '../../types.js';
import { rowPlus, type PlusCandidates } from '../plus.js';
import { endpointLabel, endpointTitle } from './identity.js';
import { statusClass, statusText } from './status-class.js';

export interface CellContent {
  readonly text: string;
  readonly cls?: string;
  readonly title?: string;
  readonly plus?: PlusCandidates;
}

export interface Column {
  readonly key: string;
  readonly title: string;
  readonly width: string;
  readonly align?: 'right';
  /** Hidden when the table is narrow (detail pane open, small window). */
  readonly optional?: true;
  cell(e: EntryListItem): CellContent;
}

export const COLUMNS: readonly Column[] = [
  { key: 'protocol', title: 'Proto', width: '64px', cell: (e) => ({ text: e.protocol.toUpperCase(), cls: `proto-${e.protocol}`, plus: rowPlus.protocol(e) }) },
  { key: 'method', title: 'Method', width: '84px', cell: (e) => ({ text: e.summary.method ?? '', plus: rowPlus.method(e) }) },
  { key: 'target', title: 'Path / query', width: 'minmax(120px, 3fr)', cell: (e) => ({ text: e.summary.target ?? '', title: e.summary.target ?? '', plus: rowPlus.target(e) }) },
  { key: 'status', title: 'Status', width: '92px', cell: (e) => ({ text: statusText(e), cls: `status ${statusClass(e)}`, plus: rowPlus.status(e) }) },
  {
    key: 'src',
    title: 'Source',
    width: 'minmax(90px, 1.3fr)',
    cell: (e) => ({ text: endpointLabel(e.src), cls: e.src.resolution === 'pending' ? 'pending' : '', title: endpointTitle(e.src), plus: rowPlus.src(e) }),
  },
  {
    key: 'dst',
    title: '→ Destination',
    width: 'minmax(90px, 1.3fr)',
    cell: (e) => ({ text: `→ ${endpointLabel(e.dst)}`, cls: e.dst.resolution === 'pending' ? 'pending' : '', title: endpointTitle(e.dst), plus: rowPlus.dst(e) }),
  },
  { key: 'elapsed', title: 'ms', width: '72px', align: 'right', cell: (e) => ({ text: formatMs(e.elapsedMs) }) },
  {
    key: 'size',
    title: 'Req / Resp',
    width: '128px',
    align: 'right',
    optional: true,
    cell: (e) => ({ text: `${formatBytes(e.requestSize)} / ${formatBytes(e.responseSize)}` }),
  },
  { key: 'time', title: 'Time', width: '108px', optional: true, cell: (e) => ({ text: formatClock(e.startedAtMs), title: e.startedAt }) },
];

export const GRID_TEMPLATE = COLUMNS.map((c) => c.width).join(' ');
export const COMPACT_GRID_TEMPLATE = COLUMNS.filter((c) => !c.optional).map((c) => c.width).join(' ');
/** Below this width the optional columns are hidden. */
export const COMPACT_BELOW_PX = 900;
