/**
 * `podsniff read FILE`: dissect a pcap/pcapng file offline. Entries go to stdout as they complete (an
 * aligned table, or JSON Lines with --json), a summary line to stderr. On a damaged file the entries
 * before the damage are printed, then the error naming the byte offset (exit 1).
 */
import { performance } from 'node:perf_hooks';
import { redactionPolicy } from '../correlate/index.js';
import type { Entry, ProtocolName } from '../model/index.js';
import { dissectFile, type ReadSummary } from '../worker/index.js';
import { entryCells, ENTRY_HEADERS, formatRow } from './entry-format.js';
import { StdoutBuffer } from './stdout-buffer.js';

/** Flags of `podsniff read`. */
export interface ReadFlags {
  json?: boolean;
  protocol?: ProtocolName[];
  /** Extra names to redact; false with --no-redact. */
  redact?: string[] | false;
}

export function runRead(file: string, flags: ReadFlags): void {
  const started = performance.now();
  const out = new StdoutBuffer();
  let headed = !!flags.json;
  const print = flags.json
    ? (entry: Entry) => out.write(JSON.stringify(entry) + '\n')
    : (entry: Entry) => {
        if (!headed) out.write(formatRow(ENTRY_HEADERS) + '\n');
        headed = true;
        out.write(formatRow(entryCells(entry)) + '\n');
      };
  const result: { summary?: ReadSummary } = {};
  let failed = true;
  try {
    const redaction = flags.redact === false ? null : redactionPolicy(flags.redact ?? []);
    dissectFile(file, print, { protocols: flags.protocol, redaction }, (summary) => (result.summary = summary));
    failed = false;
  } finally {
    out.flush();
    // A file that is not a capture at all gets only its error; a damaged one also what was read.
    const summary = result.summary;
    if (summary && (!failed || summary.packets > 0)) process.stderr.write(formatReadSummary(summary, performance.now() - started) + '\n');
  }
}

export function formatReadSummary(s: ReadSummary, elapsedMs: number): string {
  const protocols = Object.entries(s.byProtocol)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  const entries = protocols ? `${s.entries} entries (${protocols})` : `${s.entries} entries`;
  return `${s.packets} packets, ${s.streams} streams, ${entries}, ${s.anomalies} anomalies, ${Math.round(elapsedMs)} ms`;
}
