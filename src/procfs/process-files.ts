/**
 * Parsers of the small per-process files: `/proc/<pid>/stat` (start time, ppid, comm) and
 * `/proc/<pid>/status` (name, uids, NSpid). Pure functions over the file text.
 */

/** What `/proc/<pid>/stat` tells about a process instance. `startTime` (clock ticks since boot) tells a
 * reused pid apart from the process that held it before. */
export interface ProcessStat {
  comm: string;
  /** One-letter state (R, S, D, Z, ...). A zombie (Z) has no namespaces or fds left to read. */
  state: string;
  ppid: number;
  startTime: number;
}

/** Parse `/proc/<pid>/stat`. comm may hold spaces and parentheses: it ends at the last `)`. */
export function parseStat(text: string): ProcessStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const comm = text.slice(open + 1, close);
  // Fields after comm: 3 state, 4 ppid, ..., 22 starttime (1-based, as in proc(5)).
  const rest = text.slice(close + 2).split(' ');
  const state = rest[0] ?? '?';
  const ppid = Number(rest[1]);
  const startTime = Number(rest[19]);
  if (!Number.isFinite(ppid) || !Number.isFinite(startTime)) return null;
  return { comm, state, ppid, startTime };
}

/** What `/proc/<pid>/status` tells about a process. */
export interface ProcessStatus {
  name: string | null;
  ppid: number | null;
  uid: number | null;
  /** Innermost pid namespace's pid (last NSpid value). */
  nspid: number | null;
}

/** Parse `/proc/<pid>/status`. Missing fields are null (old kernels have no NSpid). */
export function parseStatus(text: string): ProcessStatus {
  const out: ProcessStatus = { name: null, ppid: null, uid: null, nspid: null };
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', at);
    if (colon > at && colon < end) {
      const key = text.slice(at, colon);
      const value = text.slice(colon + 1, end).trim();
      if (key === 'Name') out.name = unescapeName(value);
      else if (key === 'PPid') out.ppid = toInt(value);
      else if (key === 'Uid') out.uid = toInt(value.split(/\s+/)[0] ?? '');
      else if (key === 'NSpid') out.nspid = toInt(value.split(/\s+/).pop() ?? '');
    }
    at = end + 1;
  }
  return out;
}

function toInt(text: string): number | null {
  const n = Number(text);
  return text !== '' && Number.isInteger(n) ? n : null;
}

/** The kernel escapes `\n` and `\\` in the Name field. */
function unescapeName(value: string): string {
  return value.includes('\\') ? value.replace(/\\n/g, '\n').replace(/\\\\/g, '\\') : value;
}
