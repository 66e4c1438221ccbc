/**
 * How the CLI reports a failure: one line on stderr, `podsniff: CODE: what happened; what to do`, and
 * an exit code — 2 for the user's mistakes and the environment (a bad flag, a missing file, a port in
 * use, a missing privilege), 1 for a damaged input file, 1 for an unexpected error (a bug), whose line
 * says to run again with `--debug` to see the stack.
 */
import { CommanderError } from 'commander';
import { PodsniffError, type ErrorCode } from '../model/index.js';

/** Codes that mean the user or the environment must change something: exit 2. */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'E_USAGE',
  'E_BAD_OPTION',
  'E_FILE',
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

/** The line for a PodsniffError (without the `podsniff: ` prefix). */
export function errorLine(err: PodsniffError): string {
  return `${err.code}: ${err.toLine()}`;
}

/** Writes the report of `err` to stderr and returns the exit code. Commander has printed its own errors. */
export function reportError(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof PodsniffError) {
    process.stderr.write(`podsniff: ${errorLine(err)}\n`);
    if (debug && err.cause instanceof Error && err.cause.stack) process.stderr.write(`${err.cause.stack}\n`);
    return USAGE_CODES.has(err.code) ? 2 : 1;
  }
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  if (debug) {
    process.stderr.write(`podsniff: E_INTERNAL: ${err instanceof Error ? (err.stack ?? message) : message}\n`);
  } else {
    process.stderr.write(`podsniff: E_INTERNAL: unexpected error (${oneLine(message)}); this is a bug: run again with --debug for the stack and report it\n`);
  }
  return 1;
}

/** Commander's own errors (unknown option, bad value) as one podsniff line. */
export function commanderLine(text: string): string {
  const message = oneLine(text.replace(/^error:\s*/i, ''));
  return `podsniff: E_USAGE: ${message}; run with --help for usage\n`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}
