/** Human output of sockets: an aligned table like `ss`, one socket a line, and the scan summary line. */
import { endpointText, type AttributedSocket, type ScanCounters } from '../model/index.js';

const HEADERS = ['NETNS', 'PROTO', 'STATE', 'LOCAL', 'REMOTE', 'ROLE', 'PID', 'FD', 'COMM', 'CONTAINER', 'POD'];

function cells(s: AttributedSocket): string[] {
  const pid = s.pid === null ? '-' : s.sharedWith.length ? `${s.pid}+${s.sharedWith.length}` : String(s.pid);
  return [
    s.netnsName ?? String(s.netns),
    `${s.proto}${s.family === 6 ? '6' : ''}`,
    s.state,
    endpointText(s.local),
    endpointText(s.remote),
    s.role ?? '-',
    pid,
    s.fd === null ? '-' : String(s.fd),
    s.comm ?? '-',
    s.container ? s.container.id.slice(0, 12) : '-',
    s.pod ? s.pod.uid : '-',
  ];
}

/** Lines of an aligned table (header first). */
export function formatTable(sockets: AttributedSocket[]): string[] {
  const rows = [HEADERS, ...sockets.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  '));
}

/** One line for stderr: what the scan covered and what it cost. */
export function formatSummary(shown: number, c: ScanCounters, elapsedMs: number): string {
  const parts = [
    `${shown} sockets shown`,
    `${c.sockets} in ${c.namespaces} namespaces`,
    `${c.processes} processes holding sockets (${c.pids} pids, ${c.fds} fds)`,
    `${Math.round(elapsedMs)} ms`,
    `${c.vanishedPids} vanished pids`,
  ];
  if (c.deniedPids) parts.push(`${c.deniedPids} pids not readable (run as root to attribute their sockets)`);
  const errors = Object.entries(c.errors);
  if (errors.length) parts.push(`read errors: ${errors.map(([k, v]) => `${k}=${v}`).join(' ')}`);
  return `podsniff scan: ${parts.join(', ')}`;
}
