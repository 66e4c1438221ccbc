/** Base64 decoding, text sniffing and hex dumps for bodies carried as base64. */

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** UTF-8 text when the bytes decode cleanly and are mostly printable; else null. */
export function bytesAsText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) control++;
  }
  return control <= text.length / 100 ? text : null;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function printable(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

/** `xxd`-style dump: offset, 16 hex bytes, ASCII. At most `maxBytes` bytes are shown. */
export function hexDump(bytes: Uint8Array, maxBytes = 16 * 1024): string {
  const lines: string[] = [];
  const end = Math.min(bytes.length, maxBytes);
  for (let off = 0; off < end; off += 16) {
    const row = bytes.subarray(off, Math.min(off + 16, end));
    const hexes = Array.from(row, (b) => hex(b, 2));
    const left = hexes.slice(0, 8).join(' ');
    const right = hexes.slice(8).join(' ');
    lines.push(`${hex(off, 8)}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${Array.from(row, printable).join('')}|`);
  }
  if (end < bytes.length) lines.push(`… ${bytes.length - end} more bytes not shown`);
  return lines.join('\n');
}
