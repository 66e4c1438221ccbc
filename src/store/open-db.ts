/**
 * Opens (or creates) the SQLite file of a store and makes it ready: directory, exclusive lock, schema
 * check, pragmas. The caller owns the returned handle and closes it (`closeDatabase`).
 *
 * Durability: WAL with `synchronous=NORMAL`. A transaction is acknowledged once its WAL frames are
 * written to the OS, so it survives a crash or `kill -9` of the process; a power loss or kernel crash
 * may roll back the last transactions since the previous checkpoint (the file stays consistent).
 * Locking: `locking_mode=EXCLUSIVE`: one process per data dir; another opener fails with E_STORE_OPEN.
 * Temp dirs (dir null) are removed by `closeDatabase`, and at process exit for stores never closed
 * (not after SIGKILL or an unhandled signal: those leave `podsniff-store-*` in the temp dir).
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cannotOpen, incompatible, sqliteCode } from './errors.js';
import { APPLICATION_ID, PAGE_SIZE, SCHEMA_VERSION, STORE_FILE, schemaSql } from './schema.js';

/** An open store file. `temp`: the dir was created for this store and is removed on close. */
export interface OpenedDb {
  readonly db: Database.Database;
  readonly dir: string;
  readonly path: string;
  readonly temp: boolean;
}

/** Milliseconds a second opener waits for the lock before E_STORE_OPEN. */
const LOCK_WAIT_MS = 250;
/** Page cache per store (KiB, negative = size); holds the indexes' hot right edges and recent rows. */
const CACHE_KIB = 32 * 1024;
/**
 * Pages written to the WAL before it is copied into the file (32 MiB of 8 KiB pages). Index pages that
 * many transactions dirty are copied once per checkpoint, so a larger value makes inserts cheaper,
 * at the cost of a longer (tens of ms) checkpoint inside the write that crosses it.
 */
const CHECKPOINT_PAGES = 4000;
/** Index rows `PRAGMA optimize` samples per index. */
const ANALYSIS_ROWS = 2000;
/** WAL file size kept after a checkpoint. */
const WAL_KEEP_BYTES = 64 * 1024 * 1024;

/** Temp dirs of open stores, removed at exit if their store was not closed. */
const liveTempDirs = new Set<string>();
let exitHook = false;

function removeAtExit(dir: string): void {
  liveTempDirs.add(dir);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const d of liveTempDirs) rmSync(d, { recursive: true, force: true });
  });
}

function removeTempDir(dir: string): void {
  liveTempDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** Opens the store in `dir` (null: a new temp dir); throws E_STORE_OPEN naming the path. */
export function openDatabase(dir: string | null): OpenedDb {
  const temp = dir === null;
  const where = temp ? makeTempDir() : makeDir(dir);
  const path = join(where, STORE_FILE);
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: LOCK_WAIT_MS });
  } catch (err) {
    if (temp) removeTempDir(where);
    throw cannotOpen(path, where, err);
  }
  try {
    prepare(db, path, where);
  } catch (err) {
    db.close();
    if (temp) removeTempDir(where);
    throw err;
  }
  if (temp) removeAtExit(where);
  return { db, dir: where, path, temp };
}

/**
 * Checkpoints the WAL into the file and closes; a temp store is closed at once and removed (folding a
 * WAL of up to 32 MiB into a file about to be deleted cost seconds of a throttled worker's shutdown).
 */
export function closeDatabase(opened: OpenedDb): void {
  try {
    if (!opened.temp) {
      opened.db.pragma('optimize');
      opened.db.pragma('wal_checkpoint(TRUNCATE)');
    }
  } finally {
    opened.db.close();
    if (opened.temp) removeTempDir(opened.dir);
  }
}

function makeTempDir(): string {
  try {
    return mkdtempSync(join(tmpdir(), 'podsniff-store-'));
  } catch (err) {
    throw cannotOpen(join(tmpdir(), 'podsniff-store-*'), tmpdir(), err);
  }
}

/** Creates `dir` (and missing parents) readable by its owner only: the store holds captured traffic. */
function makeDir(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  } catch (err) {
    throw cannotOpen(join(dir, STORE_FILE), dir, err);
  }
}

function prepare(db: Database.Database, path: string, dir: string): void {
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    checkOrCreate(db, path, dir);
    configure(db, path, dir);
    // A real write now: a read-only file or dir fails here, not on the first insert.
    db.prepare('UPDATE counters SET one = 1').run();
  } catch (err) {
    throw classify(err, path, dir);
  }
}

function checkOrCreate(db: Database.Database, path: string, dir: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const objects = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
  if (appId === 0 && version === 0 && objects === 0) return create(db);
  if (appId !== APPLICATION_ID) throw incompatible(path, dir, 'is an SQLite file but not a podsniff entry store');
  if (version !== SCHEMA_VERSION) {
    throw incompatible(path, dir, `has schema version ${version}; this podsniff reads version ${SCHEMA_VERSION} only`);
  }
}

function create(db: Database.Database): void {
  // Both must precede the first table (and WAL mode, for the page size). Freed pages are tracked so
  // `incremental_vacuum` can shrink the file.
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('auto_vacuum = INCREMENTAL');
  db.transaction(() => db.exec(schemaSql()))();
}

function configure(db: Database.Database, path: string, dir: string): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true }) as string;
  if (mode !== 'wal') throw cannotOpen(path, dir, new Error(`the file system refused WAL mode (journal_mode=${mode})`));
  db.pragma('synchronous = NORMAL');
  db.pragma(`cache_size = -${CACHE_KIB}`);
  db.pragma('temp_store = MEMORY');
  db.pragma(`journal_size_limit = ${WAL_KEEP_BYTES}`);
  db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
  // Planner statistics (STAT4 samples) so a selective range filter uses its index and an unselective
  // one walks the cursor order; bounded by the analysis limit (milliseconds on a full store).
  db.pragma(`analysis_limit = ${ANALYSIS_ROWS}`);
  db.pragma('optimize = 0x10002');
}

function classify(err: unknown, path: string, dir: string): unknown {
  const code = sqliteCode(err);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return incompatible(path, dir, 'is not an SQLite database or is damaged', err);
  }
  if (code.startsWith('SQLITE_')) return cannotOpen(path, dir, err);
  return err;
}
