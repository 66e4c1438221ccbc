/**
 * Entry ⇄ row. An entry is stored once, split in two JSON texts: `item` (the `EntryListItem`, cursor
 * and anomaly codes included: what a list returns as is) and `detail` (every other field: schema,
 * full anomalies, request, response, and any field added later). `entryFromRow` joins them back
 * into an entry equal to the one stored (JSON round trip: `undefined` fields vanish).
 * Indexed columns hold the empty value for missing data (0 / ''), as `query-pushdown.ts` requires.
 */
import { toEntryListItem, type Entry, type EntryListItem } from '../model/index.js';
import { elapsedBucket } from './elapsed-bucket.js';

/** Column values of one `entries` row (cursor and insertion time are added by the writer). */
export interface EntryRow {
  readonly id: string;
  readonly protocol: string;
  readonly startedAtMs: number;
  readonly statusCode: number;
  readonly method: string;
  readonly elapsedMs: number;
  readonly elapsedBucket: number;
  readonly srcIp: string;
  readonly dstIp: string;
  readonly srcPod: string;
  readonly dstPod: string;
  readonly connectionId: string;
  readonly bytes: number;
  readonly item: string;
  readonly detail: string;
}

/**
 * Stored bytes of a row beyond its two JSON texts: fixed columns, record and cell headers, and one
 * entry in each of the ten indexes (calibrated against the file size by `npm run bench:store`).
 */
export const ROW_OVERHEAD_BYTES = 470;

/** Fields of an entry that are not in its list item (`anomalies` is kept whole here). */
function detailOf(entry: Entry): Record<string, unknown> {
  const {
    id: _id,
    protocol: _protocol,
    transport: _transport,
    connectionId: _connectionId,
    src: _src,
    dst: _dst,
    startedAt: _startedAt,
    startedAtMs: _startedAtMs,
    elapsedMs: _elapsedMs,
    requestSize: _requestSize,
    responseSize: _responseSize,
    summary: _summary,
    redacted: _redacted,
    ...detail
  } = entry;
  return detail;
}

/** The row for `entry` stored at `cursor`. */
export function entryToRow(entry: Entry, cursor: number): EntryRow {
  const item = JSON.stringify(toEntryListItem(entry, cursor));
  const detail = JSON.stringify(detailOf(entry));
  return {
    id: entry.id,
    protocol: entry.protocol,
    startedAtMs: entry.startedAtMs,
    statusCode: entry.summary.statusCode ?? 0,
    method: entry.summary.method ?? '',
    elapsedMs: entry.elapsedMs ?? 0,
    elapsedBucket: elapsedBucket(entry.elapsedMs ?? 0),
    srcIp: entry.src.ip,
    dstIp: entry.dst.ip,
    srcPod: entry.src.pod?.uid ?? '',
    dstPod: entry.dst.pod?.uid ?? '',
    connectionId: entry.connectionId,
    bytes: item.length + detail.length + ROW_OVERHEAD_BYTES,
    item,
    detail,
  };
}

/** The list item stored in `item`. */
export function itemFromText(item: string): EntryListItem {
  return JSON.parse(item) as EntryListItem;
}

const ANOMALIES_KEY = ',"anomalies":[';

/**
 * The JSON text of the entry stored as `item` + `detail`, spliced without parsing: `item` is
 * `{"cursor":N,<fields>,"anomalies":[codes]}` (toEntryListItem fixes that order) and `detail` is
 * `{"schema":…,…}`, so the entry is `{<fields>,` + the inside of `detail`. The key `,"anomalies":[`
 * cannot occur unescaped inside a JSON string, and `anomalies` is the item's last key, so its last
 * occurrence is the one to cut at.
 */
export function entryText(item: string, detail: string): string {
  const start = item.indexOf(',') + 1;
  const end = item.lastIndexOf(ANOMALIES_KEY);
  const fields = item.slice(start, end);
  return detail === '{}' ? `{${fields}}` : `{${fields},${detail.slice(1)}`;
}

/** The entry stored as `item` + `detail`. */
export function entryFromRow(item: string, detail: string): Entry {
  return JSON.parse(entryText(item, detail)) as Entry;
}
