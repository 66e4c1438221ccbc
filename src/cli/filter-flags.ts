/** The socket filter flags shared by commands that list sockets (`scan`, later `worker` clients). */
import type { ConnectionFilter } from '../model/index.js';

/** Filter flags as commander parses them. */
export interface FilterFlags {
  tcp?: boolean;
  udp?: boolean;
  listening?: boolean;
  all?: boolean;
  pid?: number;
  netns?: string;
  pod?: string;
  container?: string;
  state?: string;
}

/** Turn filter flags into a `ConnectionFilter`. `--tcp --udp` together mean both. */
export function filterFromFlags(flags: FilterFlags): ConnectionFilter {
  const filter: ConnectionFilter = {};
  if (flags.tcp && !flags.udp) filter.proto = 'tcp';
  if (flags.udp && !flags.tcp) filter.proto = 'udp';
  if (flags.listening && !flags.all) filter.listeningOnly = true;
  if (flags.pid !== undefined) filter.pid = flags.pid;
  if (flags.netns !== undefined) {
    if (/^\d+$/.test(flags.netns)) filter.netns = Number(flags.netns);
    else filter.netnsName = flags.netns;
  }
  if (flags.pod !== undefined) filter.podUid = flags.pod;
  if (flags.container !== undefined) filter.containerId = flags.container;
  if (flags.state !== undefined) filter.state = flags.state;
  return filter;
}
