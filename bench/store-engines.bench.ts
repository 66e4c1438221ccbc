/**
 * The engine comparison behind the store (run by `npm run bench:store`, or alone with
 * `npx tsx bench/store-engines.bench.ts`): the same batched insert of N entries (same row building:
 * list-item JSON + detail JSON + the indexed columns) into
 *   - SQLite through `EntryStore` (WAL, synchronous=NORMAL, ten indexes, retention bookkeeping),
 *   - DuckDB (@duckdb/node-api, appender flushed once per batch; no indexes, the columnar default),
 *   - a plain JS array (no durability at all: the cost floor of building rows),
 * then the same indexed query (http && status_code >= 500, newest 100) and a get by id. Prints one
 * table with ratios to SQLite. Temp dirs are removed on every exit path.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Entry, EntryListItem } from '../src/model/index.js';
import { EntryStore } from '../src/store/index.js';
import { entryToRow, type EntryRow } from '../src/store/row.js';
import { makeEntries } from '../test/store/support/entries.js';
import { constraintMatcher } from '../test/store/support/matcher.js';
import { percentile } from './support/figures.js';

/** Runs `fn` `iterations` times (fewer if `maxMs` runs out, but at least `min`), giving ms per run. */
export function sample(fn: (k: number) => unknown, iterations: number, maxMs = 20_000, min = 20): number[] {
  const out: number[] = [];
  const start = performance.now();
  for (let k = 0; k < iterations && (k < min || performance.now() - start < maxMs); k++) {
    const t = performance.now();
    fn(k);
    out.push(performance.now() - t);
  }
  return out;
}

async function sampleAsync(fn: (k: number) => Promise<unknown>, iterations: number): Promise<number[]> {
  const out: number[] = [];
  for (let k = 0; k < iterations; k++) {
    const t = performance.now();
    await fn(k);
    out.push(performance.now() - t);
  }
  return out;
}

interface EngineResult {
  readonly engine: string;
  readonly insertMs: number;
  readonly queryMs: number[];
  readonly getMs: number[];
  readonly bytes: number;
  readonly found: number;
}

const QUERY_RUNS = 50;

function batches(n: number, batch: number): Generator<Entry[]> {
  return (function* () {
    for (let from = 0; from < n; from += batch) yield makeEntries(from, Math.min(batch, n - from));
  })();
}

function runSqlite(n: number, batch: number): EngineResult {
  const store = EntryStore.open({ dir: null, maxBytes: 16 * 1024 ** 3 });
  try {
    let insertMs = 0;
    for (const entries of batches(n, batch)) {
      const t = performance.now();
      store.insert(entries);
      insertMs += performance.now() - t;
    }
    const matcher = constraintMatcher([
      { column: 'protocol', op: '=', value: 'http' },
      { column: 'statusCode', op: '>=', value: 500 },
    ]);
    let found = 0;
    const queryMs = sample(() => (found = store.list({ matcher, limit: 100 }).items.length), QUERY_RUNS);
    const getMs = sample((k) => store.get(`e${(k * 7919) % n}`), QUERY_RUNS);
    return { engine: 'SQLite (EntryStore)', insertMs, queryMs, getMs, bytes: statSync(store.path).size + statSync(`${store.path}-wal`).size, found };
  } finally {
    store.close();
  }
}

const DUCK_TABLE = `CREATE TABLE entries (cursor BIGINT, id VARCHAR, protocol VARCHAR, started_at_ms DOUBLE, status_code INTEGER,
  method VARCHAR, elapsed_ms DOUBLE, src_ip VARCHAR, dst_ip VARCHAR, src_pod VARCHAR, dst_pod VARCHAR, connection_id VARCHAR,
  item VARCHAR, detail VARCHAR)`;

async function duckQueries(conn: DuckDBConnection, n: number): Promise<{ queryMs: number[]; getMs: number[]; found: number }> {
  const query = await conn.prepare('SELECT cursor, item FROM entries WHERE protocol = $1 AND status_code >= $2 ORDER BY cursor DESC LIMIT 101');
  let found = 0;
  const queryMs = await sampleAsync(async () => {
    query.bindVarchar(1, 'http');
    query.bindInteger(2, 500);
    const rows = (await query.runAndReadAll()).getRows();
    found = rows.slice(0, 100).map((r) => JSON.parse(r[1] as string) as EntryListItem).length;
  }, QUERY_RUNS);
  const get = await conn.prepare('SELECT cursor, item, detail FROM entries WHERE id = $1');
  const getMs = await sampleAsync(async (k) => {
    get.bindVarchar(1, `e${(k * 7919) % n}`);
    (await get.runAndReadAll()).getRows();
  }, QUERY_RUNS);
  return { queryMs, getMs, found };
}

function appendRow(app: Awaited<ReturnType<DuckDBConnection['createAppender']>>, cursor: number, r: EntryRow): void {
  app.appendBigInt(BigInt(cursor));
  app.appendVarchar(r.id);
  app.appendVarchar(r.protocol);
  app.appendDouble(r.startedAtMs);
  app.appendInteger(r.statusCode);
  app.appendVarchar(r.method);
  app.appendDouble(r.elapsedMs);
  app.appendVarchar(r.srcIp);
  app.appendVarchar(r.dstIp);
  app.appendVarchar(r.srcPod);
  app.appendVarchar(r.dstPod);
  app.appendVarchar(r.connectionId);
  app.appendVarchar(r.item);
  app.appendVarchar(r.detail);
  app.endRow();
}

async function runDuckdb(n: number, batch: number): Promise<EngineResult> {
  const dir = mkdtempSync(join(tmpdir(), 'podsniff-duck-'));
  try {
    const instance = await DuckDBInstance.create(join(dir, 'entries.duckdb'));
    const conn = await instance.connect();
    try {
      await conn.run(DUCK_TABLE);
      const app = await conn.createAppender('entries');
      let insertMs = 0;
      let cursor = 1;
      for (const entries of batches(n, batch)) {
        const t = performance.now();
        for (const e of entries) appendRow(app, cursor, entryToRow(e, cursor++));
        app.flushSync();
        insertMs += performance.now() - t;
      }
      app.closeSync();
      await conn.run('CHECKPOINT');
      const q = await duckQueries(conn, n);
      return { engine: 'DuckDB (appender)', insertMs, ...q, bytes: statSync(join(dir, 'entries.duckdb')).size };
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runArray(n: number, batch: number): EngineResult {
  const rows: { cursor: number; row: EntryRow }[] = [];
  const byId = new Map<string, number>();
  let insertMs = 0;
  let bytes = 0;
  for (const entries of batches(n, batch)) {
    const t = performance.now();
    for (const e of entries) {
      const cursor = rows.length + 1;
      const row = entryToRow(e, cursor);
      rows.push({ cursor, row });
      byId.set(row.id, cursor - 1);
      bytes += row.item.length + row.detail.length;
    }
    insertMs += performance.now() - t;
  }
  let found = 0;
  const queryMs = sample(() => {
    const out: EntryListItem[] = [];
    for (let i = rows.length - 1; i >= 0 && out.length < 101; i--) {
      const r = rows[i]!.row;
      if (r.protocol === 'http' && r.statusCode >= 500) out.push(JSON.parse(r.item) as EntryListItem);
    }
    found = Math.min(100, out.length);
  }, QUERY_RUNS);
  const getMs = sample((k) => {
    const r = rows[byId.get(`e${(k * 7919) % n}`)!]!.row;
    return [JSON.parse(r.item), JSON.parse(r.detail)];
  }, QUERY_RUNS);
  return { engine: 'JS array + JSON (no disk)', insertMs, queryMs, getMs, bytes, found };
}

/** Runs the three engines on `n` entries and prints the table. */
export async function compareEngines(n: number, batch = 500): Promise<void> {
  console.log(`\nEngine comparison: ${n.toLocaleString('en')} entries, ${batch} per batch/commit, same row building; query = http && status >= 500, newest 100`);
  const results = [runSqlite(n, batch), await runDuckdb(n, batch), runArray(n, batch)];
  const base = results[0]!;
  const p50 = (s: number[]): number => percentile(s, 50);
  console.log(`  ${'engine'.padEnd(28)} ${'inserts/s'.padStart(10)} ${'µs/entry'.padStart(9)} ${'query p50'.padStart(10)} ${'p99'.padStart(8)} ${'get p50'.padStart(8)} ${'MB'.padStart(6)}  ratios vs SQLite (insert rate, query, get)`);
  for (const r of results) {
    const rate = n / (r.insertMs / 1000);
    const ratio = `${(rate / (n / (base.insertMs / 1000))).toFixed(2)}x, ${(p50(r.queryMs) / p50(base.queryMs)).toFixed(2)}x, ${(p50(r.getMs) / p50(base.getMs)).toFixed(2)}x`;
    console.log(
      `  ${r.engine.padEnd(28)} ${Math.round(rate).toLocaleString('en').padStart(10)} ${((r.insertMs * 1000) / n).toFixed(1).padStart(9)} ` +
        `${p50(r.queryMs).toFixed(2).padStart(10)} ${percentile(r.queryMs, 99).toFixed(2).padStart(8)} ${p50(r.getMs).toFixed(3).padStart(8)} ` +
        `${(r.bytes / 1e6).toFixed(0).padStart(6)}  ${ratio} (found ${r.found})`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await compareEngines(Number(process.env.ENGINE_ENTRIES ?? 200_000), Number(process.env.BATCH ?? 500));
}
