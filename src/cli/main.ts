/**
 * The `podsniff` command line. Parses flags and calls a command; errors go to stderr as one line that
 * says what to do, with exit code 2 for usage and environment problems and 1 for anything else.
 */
import { Command, Option } from 'commander';
import type { EarlyStart } from './early-start.js';
import { commanderLine, reportError } from './errors.js';
import type { ScanFlags } from './scan-command.js';
import type { WorkerFlags } from './worker-command.js';
import type { ReadFlags } from './read-command.js';
import type { LocalFlags } from './local-command.js';
import { collect, parseDuration, parseLevel, parsePid, parsePort, parsePositive, parseProtocols, parseSize, parseState } from './options.js';

function program(early: EarlyStart | null): Command {
  const root = new Command('podsniff')
    .description('Kubernetes API-traffic observability: who talks to whom, from which pod, container and process')
    .version('0.1.0')
    .option('--debug', 'print the stack of unexpected errors (accepted anywhere on the command line)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(commanderLine(text)) });

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
    .option('--state <state>', 'only sockets in this state (ESTABLISHED, LISTEN, TIME_WAIT, UNCONN, ...)', parseState)
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
    .option('--raw-pcap', 'serve the pcap of calls whose fields were redacted (their packets hold the secrets in clear)')
    .action(async (flags) => {
      const { runWorker } = await import('./worker-command.js');
      await runWorker(flags as WorkerFlags, early);
    });
  addStoreOptions(worker);
  addServerOptions(worker);

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
    .option('--no-raw-pcap', 'refuse the pcap of calls whose fields were redacted (their packets hold the secrets in clear)')
    .action(async (flags) => {
      const { runLocal } = await import('./local-command.js');
      await runLocal(flags as LocalFlags, early);
    });
  addStoreOptions(local);
  addServerOptions(local);

  root
    .command('read')
    .description('dissect a pcap or pcapng file: one API call per line (HTTP/1, DNS), summary on stderr')
    .argument('<file>', 'capture file (pcap or pcapng, e.g. from tcpdump -w or Wireshark)')
    .option('--json', 'print JSON Lines, one entry per line')
    .option('--protocol <list>', 'only these protocols, comma-separated (http,dns)', parseProtocols)
    .option('--redact <name>', 'also redact this header, or this JSON body, form or query field (repeatable)', collect, [])
    .option('--no-redact', 'show secrets: do not redact even Authorization, Proxy-Authorization, Cookie and Set-Cookie')
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

/** Flags of the API server that `worker` and `local` share: who may talk to it, and what it redacts. */
function addServerOptions(command: Command): void {
  command
    .option('--allow-host <name>', 'also answer requests addressed to this DNS name (Host/Origin); repeatable; *.example.com for subdomains', collect, [])
    .option('--token-file <file>', 'require "Authorization: Bearer TOKEN" (the file\'s content) on every route but /healthz and /readyz')
    .option('--redact <name>', 'also redact this header, or this JSON body, form or query field (repeatable)', collect, [])
    .option('--no-redact', 'store secrets: do not redact even Authorization, Proxy-Authorization, Cookie and Set-Cookie');
}

/** Run the CLI with `argv` (as process.argv). `--debug` may stand anywhere. */
export async function main(argv: string[], early: EarlyStart | null = null): Promise<void> {
  const debug = argv.includes('--debug') || process.env.PODSNIFF_DEBUG === '1';
  const args = argv.filter((a, i) => i < 2 || a !== '--debug');
  try {
    await program(early).parseAsync(args);
  } catch (err) {
    process.exitCode = reportError(err, debug);
  }
}
