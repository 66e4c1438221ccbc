/**
 * The local addresses of a network namespace, from `/proc/<pid>/net/fib_trie` (IPv4 `/32 host LOCAL`
 * entries) and `/proc/<pid>/net/if_inet6`. Used to find which namespaces can own an address without
 * reading every namespace's socket tables. Pure functions over the file text.
 */
import { formatIpv6 } from '../model/index.js';

/** IPv4 addresses marked `host LOCAL` in a fib_trie dump. */
export function parseFibTrieLocal(text: string): string[] {
  const out = new Set<string>();
  let lastLeaf: string | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('|-- ')) lastLeaf = line.slice(4);
    else if (lastLeaf && line.startsWith('/32 host LOCAL')) out.add(lastLeaf);
  }
  return [...out];
}

/** IPv6 addresses of `if_inet6` (`<32 hex> <ifindex> <plen> <scope> <flags> <name>`). */
export function parseIfInet6(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const hex = line.slice(0, 32);
    if (!/^[0-9a-f]{32}$/.test(hex)) continue;
    const bytes: number[] = [];
    for (let i = 0; i < 32; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
    out.push(formatIpv6(bytes));
  }
  return out;
}
