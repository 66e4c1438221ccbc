/**
 * `npm run bench:store`: the entry store (SQLite via better-sqlite3, WAL, one transaction per batch)
 * under a worker's load, then its query latencies at full size, then the engine comparison
 * (store-engines.bench.ts: the same workload into DuckDB and into a plain JS array).
 *
 * 1. Inserts ENTRIES synthetic entries (≈1.4 KB of JSON each: mixed HTTP/DNS, statuses, 50 pods) in
 *    batches of BATCH, one transaction each, into a temp dir, while every QUERY_EVERY batches a dashboard
 *    poll runs (newest page, an indexed filter, a budgeted predicate) and some batches also append packet
 *    chunks. Prints inserts/s over insert time (CPU and wall) and over the whole loop, per-batch latency.
 * 2. At ENTRIES stored: p50/p99 of ITER runs each of the listed queries, gets and a pcap export.
 * 3. File size against the store's byte counter (calibrates the per-row overhead estimate).
 * Removes its temp dirs on every exit path. Env: ENTRIES, BATCH, QUERY_EVERY, ITER, ENGINE_ENTRIES.
 */
import { rmSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Entry, EntryMatcher, IndexConstraint } from '../src/model/index.js';
import { DEFAULT_SCAN_BUDGET, EntryStore } from '../src/store/index.js';
import { makeEntries, makeEntry, podUid } from '../test/store/support/entries.js';
import { constraintMatcher, predicateMatcher } from '../test/store/support/matcher.js';
import { chunkOf, syntheticFrames } from '../test/store/support/packets.js';
import { compareEngines, sample } from './store-engines.bench.js';
import { percentile } from './support/figures.js';

const ENTRIES = Number(process.env.ENTRIES ?? 1_000_000);
const BATCH = Number(process.env.BATCH ?? 500);
const QUERY_EVERY = Number(process.env.QUERY_EVERY ?? 20);
const ITER = Number(process.env.ITER ?? 200);
const ENGINE_ENTRIES = Number(process.env.ENGINE_ENTRIES ?? 200_000);
/** A connection whose packets are exported: a 16-frame chunk of 1400-byte frames every 40 batches. */
const PCAP_CONN = 'bench-conn';

const fmt = (ms: number): string => (ms < 1 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(0));
const num = (n: number): string => Math.round(n).toLocaleString('en');

const errorsMatcher = constraintMatcher([
  { column: 'protocol', op: '=', value: 'http' },
  { column: 'statusCode', op: '>=', value: 500 },
]);
/** A predicate no index can answer: DELETEs whose response body names item-7 (rare). */
const bodyPredicate = predicateMatcher(
  (e: Entry) => e.protocol === 'http' && e.summary.method === 'DELETE' && (e.response?.body?.decoded ?? '').includes('"item-7"'),
);

interface InsertResult {
  insertMs: number;
  cpuMs: number;
  loopMs: number;
  batchMs: number[];
  pollMs: number[];
}

function fill(store: EntryStore): InsertResult {
  const r: InsertResult = { insertMs: 0, cpuMs: 0, loopMs: 0, batchMs: [], pollMs: [] };
  const loopStart = performance.now();
  for (let from = 0, batch = 0; from < ENTRIES; from += BATCH, batch++) {
    const entries = makeEntries(from, Math.min(BATCH, ENTRIES - from));
    const cpu = process.cpuUsage();
    const t = performance.now();
    store.insert(entries);
    if (batch % 10 === 0) store.appendPackets(chunkOf(`pkt-${batch % 200}`, syntheticFrames(10, 200, 1_795_790_788 + batch)));
    if (batch % 40 === 0) store.appendPackets(chunkOf(PCAP_CONN, syntheticFrames(16, 1400, 1_795_790_788 + batch)));
    const dt = performance.now() - t;
    const c = process.cpuUsage(cpu);
    r.insertMs += dt;
    r.cpuMs += (c.user + c.system) / 1000;
    r.batchMs.push(dt);
    if (batch % QUERY_EVERY === 0) {
      const q = performance.now();
      store.list({ limit: 100 });
      store.list({ limit: 100, matcher: errorsMatcher });
      store.list({ limit: 100, matcher: bodyPredicate, scanBudget: 5000 });
      r.pollMs.push(performance.now() - q);
    }
    if (batch % 400 === 399) process.stdout.write(`  ... ${num(from + BATCH)} entries, ${num((from + BATCH) / (r.insertMs / 1000))}/s\n`);
  }
  r.loopMs = performance.now() - loopStart;
  return r;
}

interface QuerySpec {
  readonly label: string;
  readonly run: (k: number) => unknown;
  readonly note?: () => string;
}

function listSpec(store: EntryStore, label: string, matcher: EntryMatcher | undefined, extra: { scanBudget?: number; before?: (k: number) => number } = {}): QuerySpec {
  const newest = store.stats().newestCursor ?? 0;
  let last = { items: 0, complete: true, before: null as number | null };
  return {
    label,
    run: (k) => {
      const page = store.list({ limit: 100, matcher, scanBudget: extra.scanBudget, before: extra.before?.(k) });
      last = { items: page.items.length, complete: page.complete, before: page.before };
    },
    note: () => {
      const scanned = !last.complete && last.before !== null && matcher?.constraints.length === 0 ? `, ${num(newest - last.before + 1)} rows tested` : '';
      return `${last.items} items${last.complete ? '' : ', complete:false'}${scanned}`;
    },
  };
}

function querySpecs(store: EntryStore): QuerySpec[] {
  const newest = store.stats().newestCursor ?? 1;
  const rnd = (k: number): number => 1 + ((k * 2654435761) % ENTRIES);
  const c = (column: IndexConstraint['column'], op: IndexConstraint['op'], value: IndexConstraint['value']): IndexConstraint => ({ column, op, value });
  const recent = makeEntry(ENTRIES - 1).startedAtMs - 60_000;
  let pcapBytes = 0;
  return [
    listSpec(store, 'newest page (limit 100, no filter)', undefined),
    listSpec(store, 'indexed: http && status_code >= 500', errorsMatcher),
    listSpec(store, `predicate, no index, default budget ${num(DEFAULT_SCAN_BUDGET)}`, bodyPredicate),
    listSpec(store, 'extra: same predicate, budget 2,000', bodyPredicate, { scanBudget: 2000 }),
    { label: 'get by id (random)', run: (k) => store.get(`e${rnd(k) - 1}`) },
    { label: `export pcap (${PCAP_CONN})`, run: () => (pcapBytes = store.exportPcap(PCAP_CONN)?.length ?? 0), note: () => `${num(pcapBytes)} bytes` },
    listSpec(store, 'extra: page at a random depth', undefined, { before: rnd }),
    listSpec(store, 'extra: indexed at a random depth', errorsMatcher, { before: rnd }),
    listSpec(store, 'extra: one dst pod (2% of rows)', constraintMatcher([c('dstPod', '=', podUid(13))])),
    listSpec(store, 'extra: elapsed_ms >= 0 (all rows)', constraintMatcher([c('elapsedMs', '>=', 0)])),
    listSpec(store, 'extra: elapsed_ms > 490 (0.2%)', constraintMatcher([c('elapsedMs', '>', 490)])),
    listSpec(store, 'extra: timestamp in the last minute', constraintMatcher([c('startedAtMs', '>=', recent)])),
    listSpec(store, 'extra: status_code in (403, 503), method=POST', constraintMatcher([c('statusCode', 'in', [403, 503]), c('method', '=', 'POST')])),
    listSpec(store, 'extra: dns && elapsed_ms > 499 (0.04%)', constraintMatcher([c('protocol', '=', 'dns'), c('elapsedMs', '>', 499)])),
    listSpec(store, 'extra: status_code = 599 (no match)', constraintMatcher([c('statusCode', '=', 599)])),
    listSpec(store, 'extra: dns + NXDOMAIN predicate', predicateMatcher((e) => e.summary.status === 'NXDOMAIN', [c('protocol', '=', 'dns')])),
    { label: 'extra: stats()', run: () => store.stats() },
    { label: `extra: getByCursor (newest ${num(newest)})`, run: () => store.getByCursor(newest) },
  ];
}

function printQueries(store: EntryStore): void {
  console.log(`\nQuery latency at ${num(store.stats().entries)} stored entries (ms; ${ITER} runs each unless noted)`);
  console.log(`  ${'query'.padEnd(48)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'runs'.padStart(5)}  result`);
  for (const spec of querySpecs(store)) {
    const s = sample(spec.run, ITER);
    console.log(`  ${spec.label.padEnd(48)} ${fmt(percentile(s, 50)).padStart(8)} ${fmt(percentile(s, 99)).padStart(8)} ${String(s.length).padStart(5)}  ${spec.note?.() ?? ''}`);
  }
}

function printInserts(r: InsertResult): void {
  console.log(`\nInsert ${num(ENTRIES)} entries, ${BATCH} per transaction, a dashboard poll every ${QUERY_EVERY} batches`);
  console.log(`  inserts/s over insert time:      ${num(ENTRIES / (r.insertMs / 1000))} (${((r.insertMs * 1000) / ENTRIES).toFixed(1)} µs/entry wall, ${((r.cpuMs * 1000) / ENTRIES).toFixed(1)} µs/entry CPU)`);
  const pollTotal = r.pollMs.reduce((a, b) => a + b, 0);
  console.log(`  inserts/s while answering polls: ${num(ENTRIES / ((r.insertMs + pollTotal) / 1000))} (insert + poll time; the polls took ${fmt(pollTotal / 1000)} s)`);
  console.log(`  inserts/s over the whole loop:   ${num(ENTRIES / (r.loopMs / 1000))} (also generating the entries in this process)`);
  console.log(`  batch latency ms: p50 ${fmt(percentile(r.batchMs, 50))}, p99 ${fmt(percentile(r.batchMs, 99))}, max ${fmt(Math.max(...r.batchMs))} (WAL checkpoints land in some batches)`);
  console.log(`  poll (3 queries) ms while inserting: p50 ${fmt(percentile(r.pollMs, 50))}, p99 ${fmt(percentile(r.pollMs, 99))} over ${r.pollMs.length} polls`);
}

function printSize(store: EntryStore): void {
  const st = store.stats();
  const file = statSync(store.path).size;
  let wal = 0;
  try {
    wal = statSync(`${store.path}-wal`).size;
  } catch {
    // no WAL right now
  }
  console.log(`\nSize: file ${num(file / 1e6)} MB + WAL ${num(wal / 1e6)} MB; counted ${num(st.bytes / 1e6)} MB (${num(st.packetBytes / 1e6)} MB packets); file/counted = ${(file / st.bytes).toFixed(2)}`);
  const t = performance.now();
  store.maintain();
  console.log(`  maintain() ${fmt(performance.now() - t)} ms; stats ${JSON.stringify(st)}`);
}

async function main(): Promise<void> {
  const tAll = performance.now();
  const store = EntryStore.open({ dir: null, maxBytes: 16 * 1024 ** 3 });
  const dir = store.path.slice(0, store.path.lastIndexOf('/'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('SIGINT', () => (cleanup(), process.exit(130)));
  try {
    console.log(`bench:store — ${num(ENTRIES)} entries of ≈${num(JSON.stringify(makeEntries(0, 1000)).length / 1000)} bytes of JSON, temp dir ${dir}`);
    printInserts(fill(store));
    printQueries(store);
    printSize(store);
    const t = performance.now();
    store.close();
    console.log(`  close() (checkpoint) ${fmt(performance.now() - t)} ms`);
  } finally {
    store.close();
    cleanup();
  }
  await compareEngines(ENGINE_ENTRIES, BATCH);
  console.log(`\nbench:store total ${((performance.now() - tAll) / 1000).toFixed(0)} s`);
}

await main();
