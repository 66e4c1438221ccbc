/**
 * The store's typed errors: every failure a caller can see is a `PodsniffError` with a stable code —
 * E_STORE_OPEN (cannot open, incompatible or corrupt file, closed store), E_STORE_WRITE (a write failed:
 * disk full, I/O error, bad input), E_BAD_QUERY (a list request or pushdown constraint is malformed).
 * Messages name the path; hints say what to do.
 */
import { PodsniffError } from '../model/index.js';

const RESET_HINT = (dir: string): string =>
  `delete ${dir} to start an empty store, or pick another --data-dir`;

/** SQLite's extended result code of a better-sqlite3 error, or ''. */
export function sqliteCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The directory or file cannot be created or opened (permission, missing parent, not a directory). */
export function cannotOpen(path: string, dir: string, err: unknown): PodsniffError {
  const busy = sqliteCode(err).startsWith('SQLITE_BUSY');
  const hint = busy
    ? `another podsniff process is using ${dir}; stop it or pick another --data-dir`
    : `make ${dir} writable by this user (or run as its owner), or pick another --data-dir`;
  return new PodsniffError('E_STORE_OPEN', `cannot open the entry store ${path}: ${reason(err)}`, hint, { cause: err });
}

/** The file is not a podsniff store, is damaged, or has another schema version. */
export function incompatible(path: string, dir: string, what: string, cause?: unknown): PodsniffError {
  return new PodsniffError('E_STORE_OPEN', `the entry store ${path} ${what}`, RESET_HINT(dir), { cause });
}

/** A write did not happen (the transaction was rolled back). */
export function writeFailed(path: string, what: string, err: unknown): PodsniffError {
  const code = sqliteCode(err);
  const hint =
    code === 'SQLITE_FULL'
      ? 'free disk space, or lower --max-bytes so the store fits'
      : code.startsWith('SQLITE_READONLY')
        ? `make ${path} writable again, or restart with another --data-dir`
        : 'check the disk and the file; if it persists, delete the data dir to start an empty store';
  return new PodsniffError('E_STORE_WRITE', `entry store ${path}: ${what} failed: ${reason(err)}`, hint, { cause: err });
}

/** Input the store refuses (not a disk problem). */
export function badInput(what: string): PodsniffError {
  return new PodsniffError('E_STORE_WRITE', `entry store: ${what}`, 'this is a bug in the caller; report it with the message');
}

/** A list request or constraint the store cannot run. */
export function badQuery(what: string): PodsniffError {
  return new PodsniffError('E_BAD_QUERY', `entry store query: ${what}`, 'this is a bug in the caller; report it with the message');
}

/** Any call after `close()`. */
export function closedStore(path: string): PodsniffError {
  return new PodsniffError('E_STORE_OPEN', `the entry store ${path} is closed`, 'open it again with EntryStore.open');
}
