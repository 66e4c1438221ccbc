/**
 * The on-disk layout of an entry store: one SQLite file `entries.sqlite` in the data dir.
 *
 * - `entries`: one row per entry; `cursor` is the INTEGER PRIMARY KEY (rowid), assigned by the store
 *   from `counters.next_cursor` so cursors only grow, even after retention emptied the table. The
 *   indexed columns mirror `IndexedColumn` (missing values stored as 0 / ''); `item` is the JSON of the
 *   `EntryListItem` (cursor included), `detail` the JSON of every other entry field (request, response,
 *   full anomalies, schema). Together they are the whole entry, stored once. `item` precedes `detail`
 *   so a list read never touches the big detail (overflow pages are read only when asked for).
 * - `packet_chunks`: packet records per connection, one blob per appended chunk, in `seq` order;
 *   `packet_conns` sums them per connection (and fixes the connection's link type).
 * - `redacted_conns`: connections that carried an entry with redacted fields, with the newest such
 *   entry's cursor. Their packets hold the secrets in clear: the API serves them only where raw packets
 *   are allowed. A row goes when both the connection's entries up to that cursor and its packets have.
 * - `counters`: one row of running totals, updated in the same transaction as every write, so they
 *   are exact after a crash and never recomputed at open.
 *
 * `user_version` = STORE_LAYOUT_VERSION * 100 + ENTRY_SCHEMA_VERSION: a new layout or a new entry
 * schema makes old files incompatible (refused with E_STORE_OPEN, never migrated in place).
 */
import { ENTRY_SCHEMA_VERSION } from '../model/index.js';

/** Page size of new files: rows of 1-2 KB waste less of 8 KiB pages, and inserts dirty fewer pages. */
export const PAGE_SIZE = 8192;
/** File name inside the data dir. */
export const STORE_FILE = 'entries.sqlite';
/** 'PsNf': marks the file as a podsniff store (`PRAGMA application_id`). */
export const APPLICATION_ID = 0x50734e66;
export const STORE_LAYOUT_VERSION = 2;
export const SCHEMA_VERSION = STORE_LAYOUT_VERSION * 100 + ENTRY_SCHEMA_VERSION;

const TABLES = `
CREATE TABLE entries (
  cursor INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  protocol TEXT NOT NULL,
  started_at_ms REAL NOT NULL,
  status_code INTEGER NOT NULL,
  method TEXT NOT NULL,
  elapsed_ms REAL NOT NULL,
  elapsed_bucket INTEGER NOT NULL,
  src_ip TEXT NOT NULL,
  dst_ip TEXT NOT NULL,
  src_pod TEXT NOT NULL,
  dst_pod TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  inserted_at_ms INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  item TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE TABLE packet_chunks (
  seq INTEGER PRIMARY KEY,
  connection_id TEXT NOT NULL,
  link_type INTEGER NOT NULL,
  count INTEGER NOT NULL,
  first_ts_ms REAL NOT NULL,
  last_ts_ms REAL NOT NULL,
  inserted_at_ms INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  records BLOB NOT NULL
);
CREATE TABLE packet_conns (
  connection_id TEXT PRIMARY KEY,
  link_type INTEGER NOT NULL,
  count INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  chunks INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE redacted_conns (
  connection_id TEXT PRIMARY KEY,
  last_cursor INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE counters (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  next_cursor INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  entry_bytes INTEGER NOT NULL,
  packet_bytes INTEGER NOT NULL,
  dropped_size INTEGER NOT NULL,
  dropped_age INTEGER NOT NULL,
  packets_dropped INTEGER NOT NULL
);
INSERT INTO counters VALUES (1, 1, 0, 0, 0, 0, 0, 0);
`;

/**
 * Indexes. Every single-column index ends in the rowid, so an equality lookup also walks its matches
 * in cursor order (newest first without a sort). One per `IndexedColumn` (without one, a selective
 * filter on that column would scan the table); `elapsed_ms` through its bucket (elapsed-bucket.ts).
 * No index on `connection_id`: nothing looks entries up by connection (packets have their own).
 */
export const ENTRY_INDEXES: readonly (readonly [name: string, columns: string])[] = [
  ['entries_id', 'id'],
  ['entries_protocol', 'protocol'],
  ['entries_status', 'status_code'],
  ['entries_started', 'started_at_ms'],
  ['entries_method', 'method'],
  ['entries_elapsed', 'elapsed_bucket'],
  ['entries_src_ip', 'src_ip'],
  ['entries_dst_ip', 'dst_ip'],
  ['entries_src_pod', 'src_pod'],
  ['entries_dst_pod', 'dst_pod'],
];

function indexSql(): string {
  const entries = ENTRY_INDEXES.map(
    ([name, cols]) => `CREATE ${name === 'entries_id' ? 'UNIQUE ' : ''}INDEX ${name} ON entries(${cols});`,
  );
  return [
    ...entries,
    'CREATE INDEX packet_chunks_conn ON packet_chunks(connection_id);',
    'CREATE INDEX redacted_conns_cursor ON redacted_conns(last_cursor);',
  ].join('\n');
}

/** DDL of a new store (run once, in one transaction, on an empty file). */
export function schemaSql(): string {
  return `${TABLES}\n${indexSql()}\nPRAGMA application_id = ${APPLICATION_ID};\nPRAGMA user_version = ${SCHEMA_VERSION};`;
}
