/**
 * The node:http server every podsniff API runs on, with its limits: request headers of at most 16 KiB
 * (431 beyond), 10 s to send them and 30 s for a whole request (slow clients cannot hold connections),
 * at most 1,024 open connections. Imports node:http only, so the CLI's start-up can listen with it
 * before anything else is loaded (see cli/boot.ts), and the full server adopts it unchanged.
 */
import { createServer, type Server } from 'node:http';

export const MAX_HEADER_BYTES = 16 * 1024;
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
export const MAX_CONNECTIONS = 1024;
/** How often the header and request timeouts are checked (node's default, 30 s, lets a slow client stay 3x too long). */
export const TIMEOUT_CHECK_MS = 1000;

/** A new server with podsniff's limits and no request handler yet. */
export function createLimitedServer(): Server {
  // requireHostHeader: false so that a missing Host gets podsniff's JSON 400 (ApiServer), not node's bare one.
  const server = createServer({
    maxHeaderSize: MAX_HEADER_BYTES,
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    requireHostHeader: false,
    connectionsCheckingInterval: TIMEOUT_CHECK_MS,
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.maxConnections = MAX_CONNECTIONS;
  return server;
}
