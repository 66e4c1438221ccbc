/**
 * The `podsniff` command line. Parses flags and calls a command; errors go to stderr as one line that
 * says what to do, with exit code 2 for usage and environment problems and 1 for anything else.
 */
import { Command, CommanderError, Option } from 'commander';
import { PodsniffError } from '../model/index.js';
import type { ScanFlags } from './scan-command.js';
import type { WorkerFlags } from './worker-command.js';
import type { ReadFlags } from './read-command.js';
import type { LocalFlags } from './local-command.js';
import { parseDuration, parseLevel, parsePid, parsePort, parsePositive, parseProtocols, parseSize } from './options.js';

const USAGE_CODES = new Set([
  'E_USAGE',
  'E_PROCFS_UNREADABLE',
  'E_PORT_IN_USE',
  'E_LISTEN',
  'E_NOT_IMPLEMENTED',
  'E_CAPTURE_UNAVAILABLE',
  'E_CAPTURE_OPEN',
  'E_BAD_FILTER',
  'E_UNSUPPORTED_LINK',
  'E_CAPTURE_PERMISSION',
  'E_STORE_OPEN',
]);

function program(): Command {
  const root = new Command('podsniff')
    .description('Kubernetes API-traffic observability: who talks to whom, from which pod, container and process')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  root
    .command('scan')
    .description('attribute every TCP/UDP socket of every network namespace to its process, container and pod')
    .option('--procfs <dir>', 'host procfs to read (in a pod: the host /proc mounted at /hostproc)', '/proc')
    .option('--netns-dir <dir>', 'where named network namespaces are bind-mounted', '/run/netns')
    .option('--json', 'print JSON Lines, one socket per line')
    .option('--tcp', 'TCP sockets only')
    .option('--udp', 'UDP sockets only')
    .option('--listening', 'only listening TCP and unconnected UDP sockets')
    .option('--all', 'sockets in every state (default)')
    .option('--state <state>', 'only sockets in this state (ESTABLISHED, LISTEN, TIME_WAIT, UNCONN, ...)')
    .option('--pid <pid>', 'only sockets held by this pid', parsePid)
    .option('--netns <name|inode>', 'only sockets of this network namespace')
    .option('--pod <uid>', 'only sockets of this pod')
    .option('--container <id>', 'only sockets of this container (id or prefix)')
    .action(async (flags) => {
      const { runScan } = await import('./scan-command.js');
      await runScan(flags as ScanFlags);
    });

  const worker = root
    .command('worker')
    .description('run the node agent: live capture and dissection, the connection table, health and metrics over HTTP')
    .option('--procfs <dir>', 'host procfs to read', '/proc')
    .option('--netns-dir <dir>', 'where named network namespaces are bind-mounted', '/run/netns')
    .option('--port <port>', 'HTTP port', parsePort, 48999)
    .option('--host <addr>', 'HTTP listen address', '0.0.0.0')
    .option('-i, --interface <name>', 'capture device: an interface name or `any`', 'any')
    .option('--bpf <expr>', 'BPF capture filter (tcpdump syntax), e.g. "tcp port 80 or udp port 53"')
    .option('--capture-self', "also capture the worker's own API traffic (left out by default)")
    .option('--no-capture', 'run the scanner and API only, without live capture')
    .addOption(new Option('--log-level <level>', 'log level').argParser(parseLevel).default('info'))
    .option('--refresh-interval <duration>', 'period of incremental refreshes of the connection table', parseDuration, 2000)
    .option('--full-interval <duration>', 'period of full re-scans', parseDuration, 30000)
    .option('--slice-ms <ms>', 'longest stretch of scan work before yielding to the event loop', parsePositive, 4)
    .action(async (flags) => {
      const { runWorker } = await import('./worker-command.js');
      await runWorker(flags as WorkerFlags);
    });
  addStoreOptions(worker);

  const local = root
    .command('local')
    .description('run capture, dissection, the store and the dashboard on this host; prints the URL to open')
    .option('-i, --interface <name>', 'capture device: an interface name or `any`', 'any')
    .option('--port <port>', 'dashboard/API port (0: any free port)', parsePort, 8898)
    .option('--host <addr>', 'listen address', '127.0.0.1')
    .option('--pcap <file>', 'replay this capture file instead of capturing live (no root needed)')
    .option('--fallback-pcap <file>', 'replay this file when live capture is not permitted, instead of failing')
    .option('--bpf <expr>', 'BPF capture filter (tcpdump syntax)')
    .addOption(new Option('--log-level <level>', 'log level').argParser(parseLevel).default('warn'))
    .action(async (flags) => {
      const { runLocal } = await import('./local-command.js');
      await runLocal(flags as LocalFlags);
    });
  addStoreOptions(local);

  root
    .command('read')
    .description('dissect a pcap or pcapng file: one API call per line (HTTP/1, DNS), summary on stderr')
    .argument('<file>', 'capture file (pcap or pcapng, e.g. from tcpdump -w or Wireshark)')
    .option('--json', 'print JSON Lines, one entry per line')
    .option('--protocol <list>', 'only these protocols, comma-separated (http,dns)', parseProtocols)
    .action(async (file: string, flags) => {
      const { runRead } = await import('./read-command.js');
      runRead(file, flags as ReadFlags);
    });

  return root;
}

/** The entry-store flags `worker` and `local` share. */
function addStoreOptions(command: Command): void {
  command
    .option('--data-dir <dir>', 'keep the entry store here (default: a temporary store removed at exit)')
    .option('--store-max-size <size>', 'store size limit; oldest entries are dropped first', parseSize)
    .option('--store-max-age <duration>', 'drop entries older than this (e.g. 6h, 7d)', parseDuration);
}

/** Run the CLI with `argv` (as process.argv). */
export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // commander has printed its message already
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof PodsniffError) {
    process.stderr.write(`podsniff: ${err.toLine()}\n`);
    return USAGE_CODES.has(err.code) ? 2 : 1;
  }
  process.stderr.write(`podsniff: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}
