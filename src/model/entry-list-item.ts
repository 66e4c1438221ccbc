/** The table-row view of an entry (`EntryListItem`), built the same way wherever rows are made. */
import type { EntryListItem } from './api-types.js';
import type { Entry } from './entry.js';

/** The row for `entry` stored at `cursor`: everything but the request/response details. */
export function toEntryListItem(entry: Entry, cursor: number): EntryListItem {
  return {
    cursor,
    id: entry.id,
    protocol: entry.protocol,
    transport: entry.transport,
    connectionId: entry.connectionId,
    src: entry.src,
    dst: entry.dst,
    startedAt: entry.startedAt,
    startedAtMs: entry.startedAtMs,
    elapsedMs: entry.elapsedMs,
    requestSize: entry.requestSize,
    responseSize: entry.responseSize,
    summary: entry.summary,
    redacted: entry.redacted,
    anomalies: entry.anomalies.map((a) => a.code),
  };
}
