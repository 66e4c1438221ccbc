/**
 * The running totals of a store (`counters` row), mirrored in memory. Writers change the mirror inside
 * a transaction and call `save()` before it commits; when the transaction rolls back, `reload()`
 * restores the mirror from the file. So the totals stay exact across crashes without a recount.
 */
import type Database from 'better-sqlite3';

/** The totals; `nextCursor` is the cursor the next inserted entry gets. */
export interface CounterValues {
  nextCursor: number;
  entries: number;
  entryBytes: number;
  packetBytes: number;
  droppedSize: number;
  droppedAge: number;
  packetsDropped: number;
}

const COLUMNS = `next_cursor AS nextCursor, entries, entry_bytes AS entryBytes, packet_bytes AS packetBytes,
  dropped_size AS droppedSize, dropped_age AS droppedAge, packets_dropped AS packetsDropped`;

/** The counters row and its in-memory mirror; see the module contract. */
export class Counters {
  values: CounterValues;
  private readonly read: Database.Statement<[], CounterValues>;
  private readonly write: Database.Statement<CounterValues>;

  constructor(db: Database.Database) {
    this.read = db.prepare<[], CounterValues>(`SELECT ${COLUMNS} FROM counters WHERE one = 1`);
    this.write = db.prepare<CounterValues>(
      `UPDATE counters SET next_cursor = @nextCursor, entries = @entries, entry_bytes = @entryBytes,
        packet_bytes = @packetBytes, dropped_size = @droppedSize, dropped_age = @droppedAge,
        packets_dropped = @packetsDropped WHERE one = 1`,
    );
    this.values = this.load();
    // Never hand out a cursor below one already stored (guards a counters row older than its rows).
    const max = (db.prepare('SELECT max(cursor) AS m FROM entries').get() as { m: number | null }).m;
    if (max !== null && max >= this.values.nextCursor) this.values.nextCursor = max + 1;
  }

  /** Total bytes counted against `maxBytes`. */
  get totalBytes(): number {
    return this.values.entryBytes + this.values.packetBytes;
  }

  save(): void {
    this.write.run(this.values);
  }

  reload(): void {
    this.values = this.load();
  }

  private load(): CounterValues {
    const row = this.read.get();
    if (row === undefined) throw new Error('the counters row is missing');
    return { ...row };
  }
}
