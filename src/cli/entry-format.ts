/** Human output of entries: one aligned line per call, like a network tab. */
import { endpointText, type Entry } from '../model/index.js';

export const ENTRY_HEADERS = ['TIME', 'PROTO', 'METHOD', 'TARGET', 'STATUS', 'ELAPSED', 'SRC', 'DST', 'SIZE', 'NOTES'];
const TARGET_WIDTH = 60;

export function entryCells(e: Entry): string[] {
  const target = e.summary.target ?? '-';
  return [
    e.startedAt.slice(11, 23),
    e.protocol,
    e.summary.method ?? '-',
    target.length > TARGET_WIDTH ? `${target.slice(0, TARGET_WIDTH - 1)}…` : target,
    e.summary.status ?? '-',
    e.elapsedMs === null ? '-' : `${e.elapsedMs.toFixed(1)}ms`,
    side(e.src),
    side(e.dst),
    `${e.requestSize}/${e.responseSize}`,
    e.anomalies.map((a) => a.code).join(',') || '-',
  ];
}

function side(end: Entry['src']): string {
  const who = end.pod ? `pod:${end.pod.uid.slice(0, 8)}` : end.process ? `${end.process.comm}[${end.process.pid}]` : '';
  return who ? `${endpointText(end)} ${who}` : endpointText(end);
}

/** Column widths (the last column is free). Fixed, so streamed rows line up without knowing them all. */
const WIDTHS = [12, 5, 7, TARGET_WIDTH, 8, 10, 34, 34, 13];

/** One row: cells padded or cut to the fixed column widths. */
export function formatRow(cells: readonly string[]): string {
  return cells
    .map((cell, i) => {
      const width = WIDTHS[i];
      if (width === undefined) return cell;
      return cell.length > width ? `${cell.slice(0, width - 1)}…` : cell.padEnd(width);
    })
    .join(' ');
}
