/**
 * Shared helpers of the golden tests: the committed capture fixtures (recorded by
 * `npm run fixtures:record`), their bytes, ways to chunk them, and the golden JSON form of a read.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DnsEntry, Entry, HttpEntry } from '../../src/model/index.js';
import { dissectBytes, type ReadOptions, type ReadSummary } from '../../src/worker/index.js';

/** test/fixtures/pcaps/ */
export const PCAP_DIR = fileURLToPath(new URL('../fixtures/pcaps/', import.meta.url));
/** The damaged captures of the CLI error test (not golden-tested). */
export const BROKEN_DIR = join(PCAP_DIR, 'broken');

/** One committed capture file. */
export interface Fixture {
  /** File name, e.g. `http-basic.pcap`. */
  file: string;
  /** Name without extension, e.g. `http-basic`. */
  name: string;
  path: string;
  goldenPath: string;
}

/** Every intact fixture (pcap and pcapng files directly under test/fixtures/pcaps/), sorted. */
export function fixtures(): Fixture[] {
  return readdirSync(PCAP_DIR)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .sort()
    .map((file) => {
      const name = file.replace(/\.pcap(ng)?$/, '');
      return { file, name, path: join(PCAP_DIR, file), goldenPath: join(PCAP_DIR, `${name}.golden.json`) };
    });
}

/** The fixture named `name` (without extension). */
export function fixture(name: string): Fixture {
  const f = fixtures().find((x) => x.name === name);
  if (f === undefined) throw new Error(`no fixture ${name} in ${PCAP_DIR}; run npm run fixtures:record`);
  return f;
}

/** The bytes of `f`. */
export function bytesOf(f: Fixture): Uint8Array {
  return new Uint8Array(readFileSync(f.path));
}

/** What a read gives. */
export interface ReadResult {
  entries: Entry[];
  summary: ReadSummary;
}

/** Runs the offline pipeline on `chunks`. */
export function read(chunks: Iterable<Uint8Array>, options?: ReadOptions): ReadResult {
  return dissectBytes(chunks, options);
}

/** Reads fixture `name` whole. */
export function readFixture(name: string, options?: ReadOptions): ReadResult {
  return read([bytesOf(fixture(name))], options);
}

/** The golden file text of a read: deterministic summary fields and every entry, pretty-printed. */
export function goldenText(r: ReadResult): string {
  const { packets, bytes, streams, entries, anomalies, byProtocol } = r.summary;
  const summary = { packets, bytes, streams, entries, anomalies, byProtocol };
  return `${JSON.stringify({ summary, entries: r.entries }, null, 2)}\n`;
}

/** `bytes` one byte per chunk. */
export function* byteByByte(bytes: Uint8Array): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
}

/** `bytes` cut at `points` (any order, duplicates and out-of-range points ignored). */
export function splitAt(bytes: Uint8Array, points: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(points.filter((p) => p > 0 && p < bytes.length))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push(bytes.subarray(at, c));
    at = c;
  }
  return out;
}

/** HTTP entries of `r`. */
export function httpEntries(r: ReadResult): HttpEntry[] {
  return r.entries.filter((e): e is HttpEntry => e.protocol === 'http');
}

/** DNS entries of `r`. */
export function dnsEntries(r: ReadResult): DnsEntry[] {
  return r.entries.filter((e): e is DnsEntry => e.protocol === 'dns');
}

/** `method target status` of an HTTP entry (`-` for a missing side), for readable comparisons. */
export function line(e: HttpEntry): string {
  return `${e.request?.method ?? '-'} ${e.request?.target ?? '-'} ${e.response?.status ?? '-'}`;
}

/** Anomaly codes of an entry. */
export function codes(e: Entry): string[] {
  return e.anomalies.map((a) => a.code);
}

/** A DNS name without its trailing dot. */
export function bare(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}
