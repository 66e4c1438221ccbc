/**
 * `podsniff local`: worker + dashboard in one process on this host. Captures live (needs CAP_NET_RAW)
 * or replays a capture file (`--pcap`, no privilege needed), prints the URL to open, and serves until
 * SIGTERM/SIGINT. Without the privilege and without `--pcap` it says exactly what is missing; with
 * `--fallback-pcap FILE` it replays that file instead (the README's first command does this with the
 * bundled sample, so a newcomer always gets a working dashboard).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorLine } from './errors.js';
import type { EarlyStart } from './early-start.js';
import { PodsniffError } from '../model/index.js';
import { serverOptions, type ServerFlags } from './server-flags.js';
import { exitOnSignals } from './worker-command.js';

export interface LocalFlags extends ServerFlags {
  interface: string;
  port: number;
  host: string;
  pcap?: string;
  fallbackPcap?: string;
  dataDir?: string;
  bpf?: string;
  storeMaxSize?: number;
  storeMaxAge?: number;
  logLevel: string;
}

const CAP_NET_RAW = 13;
const STOP_DEADLINE_MS = 2500;

export async function runLocal(flags: LocalFlags, early: EarlyStart | null = null): Promise<void> {
  const server = serverOptions(flags, true);
  const fallback = flags.pcap ? null : fallbackReplay(flags);
  const replay = flags.pcap ?? fallback?.file;
  const { startWorker } = await import('../worker/index.js');
  const stopper = exitOnSignals(STOP_DEADLINE_MS, early);
  const worker = await startWorker({
    ...server,
    server: early?.server,
    guardProcess: true,
    procfs: '/proc',
    netnsDir: '/run/netns',
    port: flags.port,
    host: flags.host,
    capture: !replay,
    interface: flags.interface,
    bpf: flags.bpf,
    replay: replay ?? null,
    dataDir: flags.dataDir ?? null,
    storeMaxBytes: flags.storeMaxSize,
    storeMaxAgeMs: flags.storeMaxAge,
    notice: fallback?.notice ?? null,
    dashboardDir: fileURLToPath(new URL('../../ui/dist', import.meta.url)),
    logLevel: flags.logLevel,
    refreshIntervalMs: 2000,
    fullIntervalMs: 30_000,
    sliceMs: 4,
  });
  const shown = flags.host === '0.0.0.0' || flags.host === '::' ? '127.0.0.1' : flags.host;
  const what = replay ? `replaying ${replay}` : `capturing on ${flags.interface}`;
  const login = server.token ? `?token=${encodeURIComponent(server.token)}` : '';
  process.stdout.write(`podsniff local: dashboard at http://${shown.includes(':') ? `[${shown}]` : shown}:${worker.port}/${login} (${what}; Ctrl-C to stop)\n`);
  if (replay) void worker.replayed.then(() => process.stdout.write(`podsniff local: replay of ${replay} finished\n`));
  stopper.started(worker);
}

/** Without `--pcap`: null when live capture is allowed; else the fallback file and why, or the permission error. */
function fallbackReplay(flags: LocalFlags): { file: string; notice: string } | null {
  const missing = missingCapturePrivilege();
  if (!missing) return null;
  const error = new PodsniffError(
    'E_CAPTURE_PERMISSION',
    `live capture needs ${missing}, which this process (uid ${process.getuid?.() ?? '?'}) does not have`,
    'run as root (sudo podsniff local), or grant it to node: sudo setcap cap_net_raw,cap_net_admin=eip "$(readlink -f "$(command -v node)")", or replay a file: podsniff local --pcap FILE',
  );
  if (!flags.fallbackPcap) throw error;
  process.stderr.write(`podsniff: ${errorLine(error)}\npodsniff: replaying ${flags.fallbackPcap} instead\n`);
  const notice = `Showing the sample capture ${flags.fallbackPcap}: live capture needs ${missing}, which this process does not have. Run as root (sudo podsniff local) to see this host's traffic.`;
  return { file: flags.fallbackPcap, notice };
}

/** The capability live capture lacks (CAP_NET_RAW), or null when this process has it. */
export function missingCapturePrivilege(status = readSelfStatus()): string | null {
  const line = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  if (!line) return process.getuid?.() === 0 ? null : 'CAP_NET_RAW';
  const effective = BigInt(`0x${line[1]}`);
  return (effective >> BigInt(CAP_NET_RAW)) & 1n ? null : 'CAP_NET_RAW';
}

function readSelfStatus(): string {
  try {
    return readFileSync('/proc/self/status', 'utf8');
  } catch {
    return '';
  }
}
