/**
 * The SQL of stored packets: chunks of pcap records per connection (`packet_chunks`, one blob each, in
 * append order) and their per-connection sums (`packet_conns`). Methods run inside the caller's
 * transaction and keep `Counters` in step.
 *
 * A connection's first stored chunk fixes its link type; a later chunk with another link type is
 * dropped (counted in `packetsDropped`), so an export holds the first link type's records only. A chunk
 * that would take the connection past its byte cap is dropped the same way. Once retention has removed
 * all of a connection's chunks, the next chunk starts it afresh.
 */
import type Database from 'better-sqlite3';
import type { Counters } from './counters.js';
import { badInput } from './errors.js';
import type { AgedRow } from './oldest.js';
import { pcapHeader, recordsProblem } from './pcap.js';
import type { PacketChunk, PacketStats } from './types.js';

/** Stored bytes of a chunk beyond its records (columns, row and index entries). */
export const CHUNK_OVERHEAD_BYTES = 96;

interface ConnRow {
  readonly linkType: number;
  readonly count: number;
  readonly bytes: number;
}

interface ChunkHead extends AgedRow {
  readonly connectionId: string;
  readonly count: number;
}

/** Statements on the packet tables, bound to one connection and its counters; see the module contract. */
export class PacketTable {
  private readonly connStmt: Database.Statement<[string], ConnRow>;
  private readonly insertStmt: Database.Statement<unknown[]>;
  private readonly upsertConnStmt: Database.Statement<unknown[]>;
  private readonly exportStmt: Database.Statement<[string, number], { records: Buffer }>;
  private readonly headStmt: Database.Statement<[number], ChunkHead>;
  private readonly deleteThroughStmt: Database.Statement<[number]>;
  private readonly shrinkConnStmt: Database.Statement<unknown[]>;
  private readonly dropEmptyConnStmt: Database.Statement<[string]>;
  private readonly connChunksStmt: Database.Statement<[string], { count: number | null; bytes: number | null; chunks: number }>;
  private readonly deleteConnChunksStmt: Database.Statement<[string]>;
  private readonly deleteConnStmt: Database.Statement<[string]>;

  constructor(
    db: Database.Database,
    private readonly counters: Counters,
    private readonly clock: () => number,
    private readonly capPerConnection: number,
  ) {
    this.connStmt = db.prepare('SELECT link_type AS linkType, count, bytes FROM packet_conns WHERE connection_id = ?');
    this.insertStmt = db.prepare(
      `INSERT INTO packet_chunks (connection_id, link_type, count, first_ts_ms, last_ts_ms, inserted_at_ms, bytes, records)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.upsertConnStmt = db.prepare(
      `INSERT INTO packet_conns (connection_id, link_type, count, bytes, chunks) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (connection_id) DO UPDATE SET count = count + excluded.count, bytes = bytes + excluded.bytes, chunks = chunks + 1`,
    );
    this.exportStmt = db.prepare('SELECT records FROM packet_chunks WHERE connection_id = ? AND link_type = ? ORDER BY seq');
    this.headStmt = db.prepare(
      `SELECT seq AS key, inserted_at_ms AS insertedAt, bytes + ${CHUNK_OVERHEAD_BYTES} AS bytes, connection_id AS connectionId, count
       FROM packet_chunks ORDER BY seq LIMIT ?`,
    );
    this.deleteThroughStmt = db.prepare('DELETE FROM packet_chunks WHERE seq <= ?');
    this.shrinkConnStmt = db.prepare(
      'UPDATE packet_conns SET count = count - ?, bytes = bytes - ?, chunks = chunks - ? WHERE connection_id = ?',
    );
    this.dropEmptyConnStmt = db.prepare('DELETE FROM packet_conns WHERE connection_id = ? AND chunks <= 0');
    this.connChunksStmt = db.prepare('SELECT sum(count) AS count, sum(bytes) AS bytes, count(*) AS chunks FROM packet_chunks WHERE connection_id = ?');
    this.deleteConnChunksStmt = db.prepare('DELETE FROM packet_chunks WHERE connection_id = ?');
    this.deleteConnStmt = db.prepare('DELETE FROM packet_conns WHERE connection_id = ?');
  }

  /** Stores `chunk`; false when it was dropped (cap or link type) and counted. */
  append(chunk: PacketChunk): boolean {
    checkChunk(chunk);
    const conn = this.connStmt.get(chunk.connectionId);
    const bytes = chunk.records.length;
    if (conn !== undefined && (conn.linkType !== chunk.linkType || conn.bytes + bytes > this.capPerConnection)) {
      this.counters.values.packetsDropped += chunk.count;
      return false;
    }
    if (bytes > this.capPerConnection) {
      this.counters.values.packetsDropped += chunk.count;
      return false;
    }
    const { connectionId, linkType, count, firstTsMs, lastTsMs, records } = chunk;
    this.insertStmt.run(connectionId, linkType, count, firstTsMs, lastTsMs, this.clock(), bytes, Buffer.from(records.buffer, records.byteOffset, bytes));
    this.upsertConnStmt.run(connectionId, linkType, count, bytes);
    this.counters.values.packetBytes += bytes + CHUNK_OVERHEAD_BYTES;
    return true;
  }

  /** Deletes every chunk of a connection, counting its packets as dropped. */
  dropConnection(connectionId: string): void {
    const sum = this.connChunksStmt.get(connectionId);
    if (!sum || sum.chunks === 0) return;
    this.deleteConnChunksStmt.run(connectionId);
    this.deleteConnStmt.run(connectionId);
    this.counters.values.packetBytes -= (sum.bytes ?? 0) + sum.chunks * CHUNK_OVERHEAD_BYTES;
    this.counters.values.packetsDropped += sum.count ?? 0;
  }

  /** Packets and record bytes kept for a connection, or null when none. */
  stats(connectionId: string): PacketStats | null {
    const conn = this.connStmt.get(connectionId);
    return conn === undefined ? null : { count: conn.count, bytes: conn.bytes };
  }

  /** A complete nanosecond pcap file of the connection's packets in append order, or null when none. */
  exportPcap(connectionId: string): Buffer | null {
    const conn = this.connStmt.get(connectionId);
    if (conn === undefined) return null;
    const parts: Buffer[] = [pcapHeader(conn.linkType)];
    for (const row of this.exportStmt.iterate(connectionId, conn.linkType)) parts.push(row.records);
    return Buffer.concat(parts);
  }

  /** The `n` oldest chunks (bytes include the per-chunk overhead). */
  head(n: number): ChunkHead[] {
    return this.headStmt.all(n);
  }

  /** Deletes the first `n` chunks of `rows` (a `head` result), counting their packets as dropped. */
  dropPrefix(rows: readonly ChunkHead[], n: number): void {
    if (n === 0) return;
    const byConn = new Map<string, { count: number; bytes: number; chunks: number }>();
    for (const row of rows.slice(0, n)) {
      const sum = byConn.get(row.connectionId) ?? { count: 0, bytes: 0, chunks: 0 };
      sum.count += row.count;
      sum.bytes += row.bytes - CHUNK_OVERHEAD_BYTES;
      sum.chunks++;
      byConn.set(row.connectionId, sum);
      this.counters.values.packetBytes -= row.bytes;
      this.counters.values.packetsDropped += row.count;
    }
    this.deleteThroughStmt.run(rows[n - 1]!.key);
    for (const [connectionId, sum] of byConn) {
      this.shrinkConnStmt.run(sum.count, sum.bytes, sum.chunks, connectionId);
      this.dropEmptyConnStmt.run(connectionId);
    }
  }
}

function checkChunk(chunk: PacketChunk): void {
  if (typeof chunk.connectionId !== 'string' || chunk.connectionId === '') throw badInput('a packet chunk needs a connectionId');
  if (!Number.isInteger(chunk.linkType) || chunk.linkType < 0 || chunk.linkType > 0xffffffff) {
    throw badInput(`packet chunk of ${chunk.connectionId}: link type ${chunk.linkType} is not a LINKTYPE_ value`);
  }
  if (!Number.isInteger(chunk.count) || chunk.count < 1) throw badInput(`packet chunk of ${chunk.connectionId}: count ${chunk.count} < 1`);
  const problem = recordsProblem(chunk.records, chunk.count);
  if (problem !== null) throw badInput(`packet chunk of ${chunk.connectionId}: ${problem}`);
}
