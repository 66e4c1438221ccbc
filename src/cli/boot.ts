/**
 * The first code `podsniff` runs (bin/podsniff.js imports this module and nothing else). For `worker`
 * and `local` it listens on the command's port before anything else is loaded and answers the probes —
 * `/healthz` 200, `/readyz` 503 "starting", every other path 503 `E_STARTING` — while the CLI, the
 * store, the scanner and their dependencies load (DESIGN.md rule 1: health is never behind work; under
 * a 0.25 CPU quota, loading them takes seconds). The worker then adopts this very server (ApiServer
 * takes over its handlers), so there is no gap and no second bind.
 *
 * Imports only node:http through api/server-limits.ts: every module loaded before `listen` is paid in
 * time to the first `/healthz`. Flags are read here only as far as the port and host go; anything it
 * cannot read with certainty (a malformed value, `--help`) is left to the full parser, which then
 * reports it. A signal during start-up exits 0 at once.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createLimitedServer } from '../api/server-limits.js';

/** Default listen address of each command that serves. */
const SERVING: Record<string, { port: number; host: string }> = {
  worker: { port: 48999, host: '0.0.0.0' },
  local: { port: 8898, host: '127.0.0.1' },
};

/** Run the CLI with `argv` (as process.argv). */
export async function boot(argv: string[]): Promise<void> {
  const address = earlyAddress(argv);
  const server = address ? await listenEarly(address.port, address.host) : null;
  const onSignal = (): void => process.exit(0);
  if (server) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  const releaseSignals = (): void => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  const { main } = await import('./main.js');
  await main(argv, server ? { server, releaseSignals } : null);
  // The command failed before it took the server over (a bad flag): stop listening so the process ends.
  if (server && process.exitCode) {
    server.close();
    server.closeAllConnections();
  }
}

/** Port and host of a serving command, when the flags say them plainly; else null. */
export function earlyAddress(argv: readonly string[]): { port: number; host: string } | null {
  const [command, ...args] = argv.slice(2);
  const defaults = command === undefined ? undefined : SERVING[command];
  if (!defaults || args.some((a) => a === '-h' || a === '--help')) return null;
  const port = flagValue(args, '--port');
  const host = flagValue(args, '--host');
  if (port !== undefined && !/^\d{1,5}$/.test(port)) return null;
  if (host !== undefined && !/^[A-Za-z0-9.:_-]+$/.test(host)) return null;
  const portNumber = port === undefined ? defaults.port : Number(port);
  return portNumber > 65535 ? null : { port: portNumber, host: host ?? defaults.host };
}

/** The last value of `--name V` or `--name=V` in `args`. */
function flagValue(args: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  args.forEach((arg, i) => {
    if (arg === name) value = args[i + 1];
    else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
  });
  return value;
}

/** A server answering the probes while the rest loads; null when it cannot listen (the CLI reports why). */
function listenEarly(port: number, host: string): Promise<Server | null> {
  const server = createLimitedServer();
  server.on('request', answerWhileStarting);
  server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => socket.end(STARTING_RESPONSE));
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => socket.end(STARTING_RESPONSE));
  server.on('clientError', (_err, socket: Duplex) => socket.destroy());
  return new Promise((resolve) => {
    server.once('error', () => resolve(null));
    server.listen(port, host, () => resolve(server));
  });
}

const STARTING_BODY = '{"error":{"code":"E_STARTING","message":"podsniff is starting; retry in a moment"}}';
const STARTING_RESPONSE = `HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: ${STARTING_BODY.length}\r\nretry-after: 1\r\nconnection: close\r\n\r\n${STARTING_BODY}`;

function answerWhileStarting(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '').split('?')[0];
  const [status, body] =
    path === '/healthz'
      ? [200, '{"status":"ok","phase":"starting"}']
      : path === '/readyz'
        ? [503, '{"ready":false,"reason":"starting"}']
        : [503, STARTING_BODY];
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, 'cache-control': 'no-store', 'retry-after': '1' });
  res.end(req.method === 'HEAD' ? undefined : body);
}
