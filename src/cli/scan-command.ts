/**
 * `podsniff scan`: one-shot attribution of every TCP/UDP socket of every network namespace on the host,
 * like `ss -tuanp` looking into all namespaces at once. Table or JSON Lines on stdout, summary on stderr.
 */
import { performance } from 'node:perf_hooks';
import type { AttributedSocket } from '../model/index.js';
import { filterFromFlags, type FilterFlags } from './filter-flags.js';
import { ConnectionTable } from '../identity/index.js';
import { checkProcfs } from './options.js';
import { formatSummary, formatTable } from './format.js';

/** Flags of `podsniff scan`. */
export interface ScanFlags extends FilterFlags {
  procfs: string;
  netnsDir: string;
  json?: boolean;
}

/** Run the scan and print it. */
export async function runScan(flags: ScanFlags): Promise<void> {
  checkProcfs(flags.procfs);
  const started = performance.now();
  const table = new ConnectionTable({ procfs: flags.procfs, netnsDir: flags.netnsDir, sliceMs: 50 });
  try {
    await table.whenScanned();
  } finally {
    table.stop();
  }
  const sockets = selectSockets(table, flags);
  const out = flags.json ? sockets.map((s) => JSON.stringify(s)) : formatTable(sockets);
  await writeStdout(out.length ? out.join('\n') + '\n' : '');
  const last = table.status().lastFullScan;
  if (last) process.stderr.write(formatSummary(sockets.length, last.counters, performance.now() - started) + '\n');
}

function selectSockets(table: ConnectionTable, flags: ScanFlags): AttributedSocket[] {
  return table.list(filterFromFlags(flags)).sort(compareSockets);
}

/** Stable order: namespace, protocol, family, local address, remote address, inode. */
export function compareSockets(a: AttributedSocket, b: AttributedSocket): number {
  return (
    a.netns - b.netns ||
    a.proto.localeCompare(b.proto) ||
    a.family - b.family ||
    a.local.ip.localeCompare(b.local.ip) ||
    a.local.port - b.local.port ||
    a.remote.ip.localeCompare(b.remote.ip) ||
    a.remote.port - b.remote.port ||
    a.inode - b.inode
  );
}

/** Write to stdout; a closed pipe (`| head`) ends quietly. */
function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (!text) return resolve();
    process.stdout.once('error', () => resolve());
    process.stdout.write(text, () => resolve());
  });
}
