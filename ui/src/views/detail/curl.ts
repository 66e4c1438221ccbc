/** "Copy as curl" for an HTTP request: method, URL from Host (or the server address), headers, text body. */
import type { HttpEntry } from '../../types.js';
import { addressText } from '../table/identity.js';

const SKIP = new Set(['host', 'content-length', 'connection', 'transfer-encoding']);

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function url(e: HttpEntry): string {
  const req = e.request;
  const target = req?.target ?? '/';
  if (/^https?:\/\//i.test(target)) return target;
  return `http://${req?.host ?? addressText(e.dst)}${target.startsWith('/') ? target : `/${target}`}`;
}

export function curlCommand(e: HttpEntry): string {
  const req = e.request;
  const parts = ['curl'];
  if (req && req.method !== 'GET') parts.push('-X', req.method);
  parts.push(shellQuote(url(e)));
  for (const [name, value] of req?.headers ?? []) if (!SKIP.has(name.toLowerCase())) parts.push('-H', shellQuote(`${name}: ${value}`));
  const body = req?.body;
  if (body?.decodedEncoding === 'utf8' && body.decoded) parts.push('--data-binary', shellQuote(body.decoded));
  return parts.join(' ');
}
