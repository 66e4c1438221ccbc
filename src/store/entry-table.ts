/**
 * The SQL of the `entries` table: insert, replace, look up, and drop the oldest rows. Every method
 * runs inside a transaction the caller (`EntryStore`) opens, and keeps `Counters` in step with the
 * rows it writes. Cursors come from `counters.nextCursor`, so they grow by one per inserted entry.
 */
import type Database from 'better-sqlite3';
import type { Entry } from '../model/index.js';
import type { Counters } from './counters.js';
import { sqliteCode } from './errors.js';
import type { AgedRow } from './oldest.js';
import { entryToRow, type EntryRow } from './row.js';

/** A stored row as read back: cursor and the two JSON texts. */
export interface RawEntry {
  readonly cursor: number;
  readonly item: string;
  readonly detail: string;
}

const ROW_COLUMNS =
  'id, protocol, started_at_ms, status_code, method, elapsed_ms, elapsed_bucket, src_ip, dst_ip, src_pod, dst_pod, connection_id, bytes, item, detail';

function rowParams(r: EntryRow): (string | number)[] {
  return [r.id, r.protocol, r.startedAtMs, r.statusCode, r.method, r.elapsedMs, r.elapsedBucket, r.srcIp, r.dstIp, r.srcPod, r.dstPod, r.connectionId, r.bytes, r.item, r.detail];
}

/** Statements on `entries`, bound to one connection and its counters; see the module contract. */
export class EntryTable {
  private readonly insertStmt: Database.Statement<unknown[]>;
  private readonly updateStmt: Database.Statement<unknown[]>;
  private readonly byIdStmt: Database.Statement<[string], RawEntry>;
  private readonly byCursorStmt: Database.Statement<[number], RawEntry>;
  private readonly locateStmt: Database.Statement<[string], { cursor: number; bytes: number }>;
  private readonly deleteOneStmt: Database.Statement<[number]>;
  private readonly headStmt: Database.Statement<[number], AgedRow>;
  private readonly deleteThroughStmt: Database.Statement<[number]>;
  private readonly boundsStmt: Database.Statement<[], { oldest: number | null; newest: number | null }>;
  private readonly markRedactedStmt: Database.Statement<[string, number]>;
  private readonly redactedStmt: Database.Statement<[string], { one: number }>;
  private readonly sweepRedactedStmt: Database.Statement<[]>;

  constructor(
    db: Database.Database,
    private readonly counters: Counters,
    private readonly clock: () => number,
  ) {
    this.insertStmt = db.prepare(`INSERT INTO entries (cursor, inserted_at_ms, ${ROW_COLUMNS}) VALUES (${'?, '.repeat(16)}?)`);
    const sets = ROW_COLUMNS.split(', ').map((c) => `${c} = ?`).join(', ');
    this.updateStmt = db.prepare(`UPDATE entries SET ${sets} WHERE cursor = ?`);
    this.byIdStmt = db.prepare('SELECT cursor, item, detail FROM entries WHERE id = ?');
    this.byCursorStmt = db.prepare('SELECT cursor, item, detail FROM entries WHERE cursor = ?');
    this.locateStmt = db.prepare('SELECT cursor, bytes FROM entries WHERE id = ?');
    this.deleteOneStmt = db.prepare('DELETE FROM entries WHERE cursor = ?');
    this.headStmt = db.prepare('SELECT cursor AS key, inserted_at_ms AS insertedAt, bytes FROM entries ORDER BY cursor LIMIT ?');
    this.deleteThroughStmt = db.prepare('DELETE FROM entries WHERE cursor <= ?');
    // Two subqueries: SQLite answers a lone min() or max() from the b-tree edge, both together by a scan.
    this.boundsStmt = db.prepare('SELECT (SELECT min(cursor) FROM entries) AS oldest, (SELECT max(cursor) FROM entries) AS newest');
    this.markRedactedStmt = db.prepare(
      `INSERT INTO redacted_conns (connection_id, last_cursor) VALUES (?, ?)
       ON CONFLICT (connection_id) DO UPDATE SET last_cursor = max(last_cursor, excluded.last_cursor)`,
    );
    this.redactedStmt = db.prepare('SELECT 1 AS one FROM redacted_conns WHERE connection_id = ?');
    this.sweepRedactedStmt = db.prepare(
      `DELETE FROM redacted_conns WHERE last_cursor < coalesce((SELECT min(cursor) FROM entries), 9e18)
       AND connection_id NOT IN (SELECT connection_id FROM packet_conns)`,
    );
  }

  /**
   * Stores `entries` in order with new cursors. An id already stored is replaced: the older row goes
   * (with its cursor) and the entry is stored as new.
   */
  insert(entries: readonly Entry[]): number[] {
    const now = this.clock();
    const cursors: number[] = [];
    for (const entry of entries) {
      const cursor = this.counters.values.nextCursor++;
      const row = entryToRow(entry, cursor);
      this.insertRow(cursor, now, row);
      if (entry.redacted?.length) this.markRedactedStmt.run(entry.connectionId, cursor);
      this.counters.values.entries++;
      this.counters.values.entryBytes += row.bytes;
      cursors.push(cursor);
    }
    return cursors;
  }

  /** Replaces the entry with `entry.id`, keeping its cursor; null when no such entry is stored. */
  update(entry: Entry): number | null {
    const old = this.locateStmt.get(entry.id);
    if (old === undefined) return null;
    const row = entryToRow(entry, old.cursor);
    this.updateStmt.run(...rowParams(row), old.cursor);
    if (entry.redacted?.length) this.markRedactedStmt.run(entry.connectionId, old.cursor);
    this.counters.values.entryBytes += row.bytes - old.bytes;
    return old.cursor;
  }

  byId(id: string): RawEntry | undefined {
    return this.byIdStmt.get(id);
  }

  byCursor(cursor: number): RawEntry | undefined {
    return this.byCursorStmt.get(cursor);
  }

  /** The `n` oldest rows. */
  head(n: number): AgedRow[] {
    return this.headStmt.all(n);
  }

  /** Deletes every row up to `cursor` (a prefix of `head`: `count` rows of `bytes` in total). */
  dropThrough(cursor: number, count: number, bytes: number): void {
    this.deleteThroughStmt.run(cursor);
    this.counters.values.entries -= count;
    this.counters.values.entryBytes -= bytes;
  }

  /** True when an entry of the connection had fields redacted (its packets hold them in clear). */
  connectionRedacted(connectionId: string): boolean {
    return this.redactedStmt.get(connectionId) !== undefined;
  }

  /** Forget connections whose redacted entries and packets are all gone (after retention dropped rows). */
  sweepRedacted(): void {
    this.sweepRedactedStmt.run();
  }

  bounds(): { oldest: number | null; newest: number | null } {
    return this.boundsStmt.get() ?? { oldest: null, newest: null };
  }

  private insertRow(cursor: number, now: number, row: EntryRow): void {
    try {
      this.insertStmt.run(cursor, now, ...rowParams(row));
    } catch (err) {
      if (sqliteCode(err) !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
      this.dropId(row.id);
      this.insertStmt.run(cursor, now, ...rowParams(row));
    }
  }

  private dropId(id: string): void {
    const old = this.locateStmt.get(id);
    if (old === undefined) return;
    this.deleteOneStmt.run(old.cursor);
    this.counters.values.entries--;
    this.counters.values.entryBytes -= old.bytes;
  }
}
