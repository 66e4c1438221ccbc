/** JSON-lines logs (pino) to stderr, at the level `--log-level` sets. */
import { pino, type Logger } from 'pino';

/** A pino logger writing to stderr (fd 2). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { pid: process.pid } }, pino.destination({ fd: 2, sync: true }));
}
