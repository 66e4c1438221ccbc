/**
 * The API-server flags `worker` and `local` share (`--allow-host`, `--token-file`, `--redact`,
 * `--no-redact`, `--raw-pcap`) turned into worker options. A token file that is missing, unreadable or
 * empty is the user's mistake: E_FILE (exit 2) naming the path.
 */
import { readFileSync } from 'node:fs';
import { PodsniffError } from '../model/index.js';
import type { WorkerOptions } from '../worker/index.js';

/** The shared flags as commander parses them. */
export interface ServerFlags {
  allowHost: string[];
  tokenFile?: string;
  /** Extra names; `false` with --no-redact. */
  redact: string[] | false;
  rawPcap?: boolean;
}

export type ServerOptions = Required<Pick<WorkerOptions, 'allowHosts' | 'token' | 'redact' | 'rawPcap'>>;

export function serverOptions(flags: ServerFlags, rawPcapDefault: boolean): ServerOptions {
  return {
    allowHosts: flags.allowHost,
    token: flags.tokenFile ? readToken(flags.tokenFile) : null,
    redact: flags.redact === false ? null : flags.redact,
    rawPcap: flags.rawPcap ?? rawPcapDefault,
  };
}

/** The token in `path`: its content without surrounding white space. */
export function readToken(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : String(code ?? err);
    throw new PodsniffError('E_FILE', `cannot read --token-file ${path}: ${why}`, 'give a file that holds the token, e.g. made with: head -c 32 /dev/urandom | base64 > token', { cause: err });
  }
  const token = text.trim();
  if (!token || /\s/.test(token)) {
    throw new PodsniffError('E_FILE', `--token-file ${path} ${token ? 'holds white space inside the token' : 'is empty'}`, 'put the token alone in the file, e.g.: head -c 32 /dev/urandom | base64 > token');
  }
  return token;
}
