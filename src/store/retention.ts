/**
 * Retention: drops the oldest entries and packet chunks, by age and by size, a bounded number of rows
 * per call (`step(budget)`), inside the caller's transaction. The store calls it after every write with
 * a budget proportional to what was written, so catching up is amortized and no call stalls; the
 * worker may also call `EntryStore.maintain()` on a timer (age needs time to pass, not writes).
 *
 * - Age: rows inserted more than `maxAgeMs` ago (insertion time from the store's clock, not capture
 *   time: a replayed old capture is kept as long as a live one). Cursors grow with insertion time, so
 *   expired rows are a prefix.
 * - Size: while entries' + packets' stored bytes exceed `maxBytes`, the older head of the two tables
 *   (by insertion time) is dropped first. Packets may hold at most `maxPacketBytes` of that: bulk
 *   traffic (a TLS download, a flood) gives few entries and many packets, and must not push the
 *   entries out; past their share the oldest chunks go first.
 * Entries dropped count in `dropped.age` / `dropped.size`; chunks count their packets in `packetsDropped`.
 */
import type { Counters } from './counters.js';
import type { EntryTable } from './entry-table.js';
import { expiredPrefix, prefixBytes, sizePrefix, type AgedRow } from './oldest.js';
import type { PacketTable } from './packet-table.js';

/** The limits retention enforces and the clock it reads insertion times against. */
export interface RetentionPolicy {
  readonly maxBytes: number;
  /** Share of `maxBytes` packets may use at most. */
  readonly maxPacketBytes: number;
  readonly maxAgeMs: number;
  readonly clock: () => number;
}

/** Rows read per retention round. */
const ROUND_ROWS = 256;

/** Bounded, oldest-first dropping by age and size; see the module contract. */
export class Retention {
  constructor(
    private readonly entries: EntryTable,
    private readonly packets: PacketTable,
    private readonly counters: Counters,
    private readonly policy: RetentionPolicy,
  ) {}

  /** True when something is over a limit now. */
  due(): boolean {
    if (this.overSize()) return true;
    const cutoff = this.policy.clock() - this.policy.maxAgeMs;
    const e = this.entries.head(1)[0];
    const c = this.packets.head(1)[0];
    return (e !== undefined && e.insertedAt < cutoff) || (c !== undefined && c.insertedAt < cutoff);
  }

  /** Drops at most `budget` rows (entries + chunks), age first; returns how many were dropped. */
  step(budget: number): number {
    let done = this.byAge(budget);
    while (done < budget && this.overSize()) {
      const n = this.overPacketShare() ? this.packetsBySize(Math.min(ROUND_ROWS, budget - done)) : this.bySize(Math.min(ROUND_ROWS, budget - done));
      if (n === 0) break;
      done += n;
    }
    if (done > 0) this.entries.sweepRedacted();
    return done;
  }

  private byAge(budget: number): number {
    const cutoff = this.policy.clock() - this.policy.maxAgeMs;
    let done = 0;
    while (done < budget && this.expired(this.entries.head(1), cutoff)) {
      const rows = this.entries.head(Math.min(ROUND_ROWS, budget - done));
      const n = expiredPrefix(rows, cutoff);
      this.entries.dropThrough(rows[n - 1]!.key, n, prefixBytes(rows, n));
      this.counters.values.droppedAge += n;
      done += n;
    }
    while (done < budget && this.expired(this.packets.head(1), cutoff)) {
      const rows = this.packets.head(Math.min(ROUND_ROWS, budget - done));
      const n = expiredPrefix(rows, cutoff);
      this.packets.dropPrefix(rows, n);
      done += n;
    }
    return done;
  }

  private expired(head: readonly AgedRow[], cutoff: number): boolean {
    return head.length > 0 && head[0]!.insertedAt < cutoff;
  }

  private overSize(): boolean {
    return this.counters.totalBytes > this.policy.maxBytes || this.overPacketShare();
  }

  private overPacketShare(): boolean {
    return this.counters.values.packetBytes > this.policy.maxPacketBytes;
  }

  /** One round of dropping the oldest chunks while packets are over their share. */
  private packetsBySize(budget: number): number {
    const chunkRows = this.packets.head(budget);
    const n = sizePrefix(chunkRows, this.counters.values.packetBytes - this.policy.maxPacketBytes, Infinity);
    this.packets.dropPrefix(chunkRows, n);
    return n;
  }

  /** One round of size retention on whichever table holds the oldest row. */
  private bySize(budget: number): number {
    const needed = this.counters.totalBytes - this.policy.maxBytes;
    const entryRows = this.entries.head(budget);
    const chunkRows = this.packets.head(budget);
    const oldestEntry = entryRows[0]?.insertedAt ?? Infinity;
    const oldestChunk = chunkRows[0]?.insertedAt ?? Infinity;
    if (chunkRows.length > 0 && oldestChunk < oldestEntry) {
      const n = sizePrefix(chunkRows, needed, oldestEntry);
      this.packets.dropPrefix(chunkRows, n);
      return n;
    }
    const n = sizePrefix(entryRows, needed, oldestChunk);
    if (n > 0) this.entries.dropThrough(entryRows[n - 1]!.key, n, prefixBytes(entryRows, n));
    this.counters.values.droppedSize += n;
    return n;
  }
}
