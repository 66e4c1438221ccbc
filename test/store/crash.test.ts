import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { EntryStore, STORE_FILE } from '../../src/store/index.js';
import { randomInt, seededRandom } from '../support/seed.js';
import { cleanupTempDirs, tempDir } from './support/tmp.js';

const SCRIPT = new URL('./scripts/insert-loop.ts', import.meta.url).pathname;
const children = new Set<ChildProcess>();

afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
  children.clear();
  cleanupTempDirs();
});

interface Ack {
  readonly firstIndex: number;
  readonly firstCursor: number;
  readonly count: number;
}

/** Runs the insert loop until `acks` batches are acknowledged plus a random delay, then SIGKILLs it. */
async function runAndKill(dir: string, run: number, acks: number, extraMs: number): Promise<{ acked: Ack[]; updated: Map<number, string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, dir, String(run)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  const acked: Ack[] = [];
  const updated = new Map<number, string>();
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  let killTimer: NodeJS.Timeout | undefined;
  lines.on('line', (line) => {
    const [kind, , a, b, c] = line.split(' ');
    if (kind === 'ack') acked.push({ firstIndex: Number(a), firstCursor: Number(b), count: Number(c) });
    if (kind === 'upd') updated.set(Number(a), `updated-${b}`);
    if (acked.length === acks && killTimer === undefined) killTimer = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), extraMs);
  });
  const [code, signal] = (await exited) as [number | null, string | null];
  clearTimeout(killTimer);
  expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
  return { acked, updated };
}

/** The file is sound and its counters row agrees with its rows. */
function checkFile(path: string): void {
  const db = new Database(path);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = db.prepare('SELECT count(*) AS n, coalesce(sum(bytes), 0) AS b FROM entries').get() as { n: number; b: number };
    const counters = db.prepare('SELECT entries AS n, entry_bytes AS b, packet_bytes AS p FROM counters').get();
    const packets = db.prepare('SELECT coalesce(sum(bytes), 0) + 96 * count(*) AS p FROM packet_chunks').get() as { p: number };
    expect(counters).toEqual({ ...rows, ...packets });
  } finally {
    db.close();
  }
}

describe('crash recovery', () => {
  it('every acknowledged entry survives kill -9 at random moments, and cursors keep growing', async () => {
    const dir = tempDir();
    const random = seededRandom('crash-moments');
    let lastCursor = 0;
    for (let run = 1; run <= 4; run++) {
      const { acked, updated } = await runAndKill(dir, run, randomInt(random, 1, 40), randomInt(random, 0, 59));
      expect(acked.length).toBeGreaterThan(0);
      checkFile(join(dir, STORE_FILE));
      const store = EntryStore.open({ dir });
      try {
        for (const ack of acked) {
          expect(ack.firstCursor).toBeGreaterThan(lastCursor);
          for (let k = 0; k < ack.count; k++) {
            const id = `r${run}-${ack.firstIndex + k}`;
            const got = store.get(id);
            expect(got?.cursor, id).toBe(ack.firstCursor + k);
            if (k === 0 && updated.has(ack.firstIndex)) expect(got?.entry.startedAt).toBe(updated.get(ack.firstIndex));
          }
          lastCursor = ack.firstCursor + ack.count - 1;
        }
        const stats = store.stats();
        expect(stats.newestCursor).toBeGreaterThanOrEqual(lastCursor);
        lastCursor = stats.newestCursor!;
      } finally {
        store.close();
      }
    }
  }, 120_000);
});
