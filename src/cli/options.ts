/**
 * Flag parsing helpers shared by commands: durations, ports, pids, levels, and the procfs check. A bad
 * flag value is a commander `InvalidArgumentError` (one line, exit 2) that says what is expected; an
 * unreadable procfs is a `PodsniffError` E_PROCFS_UNREADABLE (exit 2).
 */
import { InvalidArgumentError } from 'commander';
import { parseSocketState, PodsniffError, SOCKET_STATES, type ProtocolName } from '../model/index.js';
import { ProcfsReader, ProcfsReadError } from '../procfs/index.js';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parse a positive duration: `500ms`, `2s`, `1m`, `6h`, `7d` or a bare number of milliseconds (at least 1 ms). */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  const ms = m ? Number(m[1]) * DURATION_UNITS[m[2] ?? 'ms']! : 0;
  if (!m || !(ms >= 1)) throw new InvalidArgumentError(`expected a duration of at least 1ms like 500ms, 2s, 1m, 6h or 7d, got "${value}"`);
  return ms;
}

/** Commander's accumulator for repeatable options (`--redact a --redact b`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Parse a socket state name (`ESTABLISHED`, `listen`, `time-wait`, `UNCONN` …). */
export function parseState(value: string): string {
  const state = parseSocketState(value);
  if (state === null) throw new InvalidArgumentError(`unknown state "${value}": expected one of ${SOCKET_STATES.join(', ')}`);
  return state;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Parse a byte size: `512MiB`, `2GB`, `1g`, or a bare number of bytes (binary units either way). */
export function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?$/i.exec(value.trim());
  const n = m ? Math.floor(Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!) : 0;
  if (!m || n < 1024 * 1024) throw new InvalidArgumentError(`expected a size of at least 1MiB like 512MiB or 2GiB, got "${value}"`);
  return n;
}

/** Parse a TCP port (0 = any free port). */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535, got "${value}"`);
  return n;
}

/** Parse a pid. */
export function parsePid(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) === 0) throw new InvalidArgumentError(`expected a pid (a positive integer), got "${value}"`);
  return Number(value);
}

/** Parse a positive number. */
export function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return n;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Parse a log level. */
export function parseLevel(value: string): string {
  if (!LEVELS.includes(value)) throw new InvalidArgumentError(`expected one of ${LEVELS.join(', ')}, got "${value}"`);
  return value;
}

/** Fail early and clearly when `root` is not a readable procfs. */
export function checkProcfs(root: string): ProcfsReader {
  const reader = new ProcfsReader(root);
  try {
    reader.probe();
  } catch (err) {
    const errno = err instanceof ProcfsReadError ? err.errno : 'EIO';
    throw new PodsniffError(
      'E_PROCFS_UNREADABLE',
      `cannot read procfs at ${root} (${errno})`,
      'pass --procfs with the host /proc (in a pod, mount it at /hostproc and pass --procfs /hostproc)',
      { cause: err },
    );
  }
  return reader;
}

export const KNOWN_PROTOCOLS: readonly ProtocolName[] = ['http', 'dns'];

/** `--protocol http,dns` → ['http', 'dns'], rejecting unknown names. */
export function parseProtocols(value: string): ProtocolName[] {
  const names = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((n) => !KNOWN_PROTOCOLS.includes(n as ProtocolName));
  if (unknown.length || !names.length) {
    throw new InvalidArgumentError(`unknown protocol "${unknown.join(',') || value}": use a comma-separated list of ${KNOWN_PROTOCOLS.join(', ')}`);
  }
  return names as ProtocolName[];
}
