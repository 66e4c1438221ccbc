/**
 * A bounded cache of prepared statements keyed by SQL text, for the dynamic list queries (whose text
 * depends only on the filter's shape). Least recently used statements are forgotten beyond `capacity`.
 * Owned by one store; statements die with its connection.
 */
import type Database from 'better-sqlite3';

/** LRU of prepared statements by SQL text; see the module contract. */
export class StatementCache {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly capacity = 64,
  ) {}

  /** The prepared statement for `sql`. */
  get(sql: string): Database.Statement {
    const hit = this.cache.get(sql);
    if (hit !== undefined) {
      this.cache.delete(sql);
      this.cache.set(sql, hit);
      return hit;
    }
    const stmt = this.db.prepare(sql);
    this.cache.set(sql, stmt);
    if (this.cache.size > this.capacity) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return stmt;
  }
}
