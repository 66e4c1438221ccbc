/**
 * `EntryStore`: the worker's durable, bounded store of entries and of the packets behind them, in one
 * SQLite file (better-sqlite3, synchronous). Lifecycle: `EntryStore.open(...)` → calls → `close()`
 * (idempotent; any other call after it throws E_STORE_OPEN).
 *
 * - Writes (`insert`, `update`, `appendPackets`) are one transaction each, acknowledged when they
 *   return: a returned cursor survives `kill -9` (see open-db.ts for the durability contract). A failed
 *   write rolls back entirely and throws E_STORE_WRITE.
 * - Every call is bounded in time for the worker's event loop: lists by cursor windows and their row
 *   and time budgets (list.ts), retention by a row budget proportional to the write
 *   (`RETENTION_ROWS_PER_WRITE`), vacuum by pages per call. An insert costs ≈35-50 µs per entry, so the
 *   caller bounds it by its batch size (hundreds to a few thousand entries per call).
 * - A failed read throws E_STORE_OPEN (the file cannot be read any more). Returned objects are fresh
 *   copies owned by the caller.
 */
import type Database from 'better-sqlite3';
import { PodsniffError, type Entry } from '../model/index.js';
import { Counters } from './counters.js';
import { EntryTable, type RawEntry } from './entry-table.js';
import { closedStore, incompatible, writeFailed } from './errors.js';
import { listEntries } from './list.js';
import { closeDatabase, openDatabase, type OpenedDb } from './open-db.js';
import { PacketTable } from './packet-table.js';
import { Retention } from './retention.js';
import { entryFromRow } from './row.js';
import { StatementCache } from './statements.js';
import type { EntryStoreOptions, ListPage, ListQuery, PacketChunk, PacketStats, StoreStats, StoredEntry } from './types.js';
import { Vacuum } from './vacuum.js';

export const DEFAULT_MAX_BYTES = 1024 ** 3;
/** Share of `maxBytes` packets may use (the rest is kept for entries). */
export const DEFAULT_PACKET_SHARE = 0.5;
export const DEFAULT_MAX_AGE_MS = 24 * 3600 * 1000;
export const DEFAULT_MAX_PACKET_BYTES_PER_CONNECTION = 4 * 1024 ** 2;
/** Rows retention may drop per written row (plus a floor), so a write over budget frees more than it adds. */
export const RETENTION_ROWS_PER_WRITE = 2;
const RETENTION_FLOOR = 64;
/** Most rows one `maintain()` call drops. */
const MAINTAIN_ROWS = 2000;

/** The entry store; see the module contract. */
export class EntryStore {
  private readonly db: Database.Database;
  private readonly counters: Counters;
  private readonly entries: EntryTable;
  private readonly packets: PacketTable;
  private readonly retention: Retention;
  private readonly vacuum: Vacuum;
  private readonly statements: StatementCache;
  private closed = false;

  private constructor(
    private readonly file: OpenedDb,
    options: EntryStoreOptions,
  ) {
    const clock = options.clock ?? Date.now;
    this.db = file.db;
    this.counters = new Counters(this.db);
    this.entries = new EntryTable(this.db, this.counters, clock);
    this.packets = new PacketTable(this.db, this.counters, clock, options.maxPacketBytesPerConnection ?? DEFAULT_MAX_PACKET_BYTES_PER_CONNECTION);
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const maxPacketBytes = Math.floor(maxBytes * (options.packetShare ?? DEFAULT_PACKET_SHARE));
    const policy = { maxBytes, maxPacketBytes, maxAgeMs: options.maxAgeMs ?? DEFAULT_MAX_AGE_MS, clock };
    this.retention = new Retention(this.entries, this.packets, this.counters, policy);
    this.vacuum = new Vacuum(this.db);
    this.statements = new StatementCache(this.db);
  }

  /** Opens or creates the store in `options.dir`; throws E_STORE_OPEN naming the path and what to do. */
  static open(options: EntryStoreOptions): EntryStore {
    checkOptions(options);
    const file = openDatabase(options.dir);
    try {
      return new EntryStore(file, options);
    } catch (err) {
      try {
        closeDatabase(file);
      } catch {
        // The file is already known to be unusable; report why it could not be read.
      }
      throw incompatible(file.path, file.dir, `cannot be read: ${err instanceof Error ? err.message : String(err)}`, err);
    }
  }

  /** The SQLite file. */
  get path(): string {
    return this.file.path;
  }

  /** Stores `entries` in one transaction; returns their cursors in order. A repeated id replaces. */
  insert(entries: readonly Entry[]): number[] {
    if (entries.length === 0) return [];
    return this.write('insert', entries.length, () => this.entries.insert(entries));
  }

  /** Replaces the stored entry with `entry.id` (same cursor); null when it is not stored (any more). */
  update(entry: Entry): number | null {
    return this.write('update', 1, () => this.entries.update(entry));
  }

  /** The entry with `id` and its cursor, or null. */
  get(id: string): StoredEntry<Entry> | null {
    return this.read(() => toStored(this.entries.byId(id)));
  }

  /** The entry at `cursor`, or null. */
  getByCursor(cursor: number): StoredEntry<Entry> | null {
    return this.read(() => toStored(this.entries.byCursor(cursor)));
  }

  /** A page of list items, newest first (see list.ts). */
  list(query: ListQuery): ListPage {
    return this.read(() => listEntries(this.statements, query));
  }

  /** Stores a chunk of a connection's packets; false when the cap or a link-type mismatch dropped it. */
  appendPackets(chunk: PacketChunk): boolean {
    return this.write('appendPackets', 1, () => this.packets.append(chunk));
  }

  /** Stores several chunks in one transaction (cheaper than one each); returns how many were kept. */
  appendPacketChunks(chunks: readonly PacketChunk[]): number {
    if (chunks.length === 0) return 0;
    return this.write('appendPackets', chunks.length, () => chunks.reduce((kept, chunk) => kept + (this.packets.append(chunk) ? 1 : 0), 0));
  }

  /**
   * Deletes the packets kept of these connections (they hold secrets that were redacted from their
   * entries), with SQLite's secure delete: the freed pages are overwritten, not just unlinked.
   */
  dropConnectionPackets(connectionIds: readonly string[]): void {
    if (connectionIds.length === 0) return;
    this.write('dropPackets', connectionIds.length, () => {
      this.db.pragma('secure_delete = ON');
      try {
        for (const id of connectionIds) this.packets.dropConnection(id);
      } finally {
        this.db.pragma('secure_delete = OFF');
      }
    });
  }

  /** Packets kept for a connection, or null. */
  packetStats(connectionId: string): PacketStats | null {
    return this.read(() => this.packets.stats(connectionId));
  }

  /** True when an entry of the connection had redacted fields: its packets hold the secrets in clear. */
  connectionRedacted(connectionId: string): boolean {
    return this.read(() => this.entries.connectionRedacted(connectionId));
  }

  /** The connection's packets as a complete pcap file (nanosecond, little-endian), or null. */
  exportPcap(connectionId: string): Buffer | null {
    return this.read(() => this.packets.exportPcap(connectionId));
  }

  /**
   * Bounded upkeep for a timer (e.g. every second): age/size retention (at most 2000 rows), then
   * returning some free pages to the file system. Returns the rows dropped.
   */
  maintain(): number {
    this.checkOpen();
    const dropped = this.read(() => this.retention.due()) ? this.write('retention', 0, () => this.retention.step(MAINTAIN_ROWS), 0) : 0;
    try {
      this.vacuum.step();
    } catch (err) {
      throw writeFailed(this.file.path, 'incremental vacuum', err);
    }
    return dropped;
  }

  stats(): StoreStats {
    const c = this.counters.values;
    const { oldest, newest } = this.read(() => this.entries.bounds());
    return {
      entries: c.entries,
      bytes: this.counters.totalBytes,
      packetBytes: c.packetBytes,
      oldestCursor: oldest,
      newestCursor: newest,
      dropped: { size: c.droppedSize, age: c.droppedAge },
      packetsDropped: c.packetsDropped,
    };
  }

  /** Checkpoints the WAL into the file and closes (removes a temp dir). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeDatabase(this.file);
  }

  private checkOpen(): void {
    if (this.closed) throw closedStore(this.file.path);
  }

  /** Runs a read; a failure other than a PodsniffError means the file cannot be read: E_STORE_OPEN. */
  private read<T>(fn: () => T): T {
    this.checkOpen();
    try {
      return fn();
    } catch (err) {
      if (err instanceof PodsniffError) throw err;
      throw incompatible(this.file.path, this.file.dir, `cannot be read: ${err instanceof Error ? err.message : String(err)}`, err);
    }
  }

  /** After a rollback the in-memory totals are re-read; if even that fails, the next write reports it. */
  private reloadCounters(): void {
    try {
      this.counters.reload();
    } catch {
      // Reported by the caller's error; the counters are re-read on the next open.
    }
  }

  /** Runs `work` and bounded retention in one transaction; rolls back and throws E_STORE_WRITE on failure. */
  private write<T>(what: string, rows: number, work: () => T, retentionRows = RETENTION_ROWS_PER_WRITE * rows + RETENTION_FLOOR): T {
    this.checkOpen();
    try {
      return this.db.transaction(() => {
        const result = work();
        this.retention.step(retentionRows);
        this.counters.save();
        return result;
      })();
    } catch (err) {
      this.reloadCounters();
      if (err instanceof PodsniffError) throw err;
      throw writeFailed(this.file.path, what, err);
    }
  }
}

/** Refuses limits that are not positive numbers (E_USAGE: they come from flags). */
function checkOptions(o: EntryStoreOptions): void {
  for (const [name, flag, v] of [
    ['maxBytes', '--store-max-size', o.maxBytes],
    ['maxAgeMs', '--store-max-age', o.maxAgeMs],
    ['maxPacketBytesPerConnection', 'maxPacketBytesPerConnection', o.maxPacketBytesPerConnection],
  ] as const) {
    if (v !== undefined && !(typeof v === 'number' && v > 0)) {
      throw new PodsniffError('E_USAGE', `entry store: ${name} must be a positive number, got ${String(v)}`, `give ${flag} a positive value`);
    }
  }
  if (o.packetShare !== undefined && !(o.packetShare > 0 && o.packetShare <= 1)) {
    throw new PodsniffError('E_USAGE', `entry store: packetShare must be in (0, 1], got ${String(o.packetShare)}`, 'give the packets a share of the size limit between 0 and 1');
  }
}

function toStored(raw: RawEntry | undefined): StoredEntry<Entry> | null {
  return raw === undefined ? null : { cursor: raw.cursor, entry: entryFromRow(raw.item, raw.detail) };
}
