/**
 * Canonical IP text, so that addresses from the kernel, from users and from packets compare as strings:
 * IPv4 as dotted quad, IPv6 as RFC 5952 (lower case, longest zero run compressed), IPv4-mapped IPv6 as
 * `::ffff:a.b.c.d` like inet_ntop. Pure functions; no I/O.
 */

/** Dotted-quad text of 4 bytes in network order starting at `bytes[offset]`. */
export function formatIpv4(bytes: ArrayLike<number>, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** RFC 5952 text of 16 bytes in network order. */
export function formatIpv6(bytes: ArrayLike<number>): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff) {
    return `::ffff:${formatIpv4(bytes, 12)}`;
  }
  const [runStart, runLength] = longestZeroRun(words);
  const hex = words.map((w) => w.toString(16));
  if (runLength < 2) return hex.join(':');
  const head = hex.slice(0, runStart).join(':');
  const tail = hex.slice(runStart + runLength).join(':');
  return `${head}::${tail}`;
}

function longestZeroRun(words: number[]): [number, number] {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < words.length; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < words.length && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  return [bestStart, bestLength];
}

/** Parse dotted-quad text to 4 bytes, or null. */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

/** Parse IPv6 text (with `::` and an optional trailing dotted quad; no zone) to 16 bytes, or null. */
export function parseIpv6(text: string): number[] | null {
  if (text.includes('%')) text = text.slice(0, text.indexOf('%'));
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] ?? '';
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes: number[] = [];
  for (const w of words) bytes.push(w >> 8, w & 0xff);
  return bytes;
}

/** Canonical text of an IPv4 or IPv6 address given as text, or null when it is not an address. */
export function canonicalIp(text: string): string | null {
  const v4 = parseIpv4(text);
  if (v4) return formatIpv4(v4);
  const v6 = parseIpv6(text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text);
  return v6 ? formatIpv6(v6) : null;
}

/** `1.2.3.4:80` or `[::1]:80` to canonical ip and port, or null. */
export function parseHostPort(text: string): { ip: string; port: number } | null {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:]+):(\d{1,5})$/.exec(text) ?? /^(.*):(\d{1,5})$/.exec(text);
  if (!m) return null;
  const ip = canonicalIp(m[1] ?? '');
  const port = Number(m[2]);
  if (ip === null || port > 65535) return null;
  return { ip, port };
}

/** An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) as the IPv4 address it carries; others unchanged. */
export function plainIp(canonical: string): string {
  return canonical.startsWith('::ffff:') && canonical.includes('.') ? canonical.slice(7) : canonical;
}

/** True for the unspecified addresses `0.0.0.0` and `::` (a socket bound to every address). */
export function isUnspecifiedIp(canonical: string): boolean {
  return canonical === '0.0.0.0' || canonical === '::';
}

/** True for loopback addresses (`127.0.0.0/8`, `::1`, and IPv4-mapped loopback). */
export function isLoopbackIp(canonical: string): boolean {
  const ip = plainIp(canonical);
  return ip.startsWith('127.') || ip === '::1';
}

/** Loopback and unspecified addresses exist in every network namespace: they name none of them. */
export function isNamespaceLocalIp(canonical: string): boolean {
  return isLoopbackIp(canonical) || isUnspecifiedIp(plainIp(canonical));
}
