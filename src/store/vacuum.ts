/**
 * Giving disk space back. Pages freed by retention go to SQLite's freelist and are reused by later
 * inserts, so in steady state (store at `maxBytes`) the file stops growing but does not shrink. After a
 * large drop (age expiry, a lower `maxBytes`) the file is shrunk a little per `step()` with
 * `auto_vacuum=INCREMENTAL` (set when the file is created), bounded to `PAGES_PER_STEP` pages a call.
 */
import type Database from 'better-sqlite3';

/** Pages released per step (8 KiB each: 2 MiB, a few ms). */
const PAGES_PER_STEP = 256;
/** Shrink only when the freelist is at least this many pages (8 MiB) and this share of the file. */
const MIN_FREE_PAGES = 1024;
const MIN_FREE_SHARE = 0.25;

/** Bounded file shrinking; see the module contract. */
export class Vacuum {
  private readonly freeStmt: Database.Statement<[], { n: number }>;
  private readonly pagesStmt: Database.Statement<[], { n: number }>;

  constructor(private readonly db: Database.Database) {
    this.freeStmt = db.prepare('SELECT freelist_count AS n FROM pragma_freelist_count');
    this.pagesStmt = db.prepare('SELECT page_count AS n FROM pragma_page_count');
  }

  /** Releases up to `PAGES_PER_STEP` free pages when enough are free; returns whether it did. */
  step(): boolean {
    const free = this.freeStmt.get()?.n ?? 0;
    const pages = this.pagesStmt.get()?.n ?? 0;
    if (free < MIN_FREE_PAGES || free < pages * MIN_FREE_SHARE) return false;
    this.db.pragma(`incremental_vacuum(${PAGES_PER_STEP})`);
    return true;
  }
}
