/**
 * Buffered writes to stdout: output is gathered into large chunks and written synchronously (stdout is
 * synchronous for files and pipes on Linux), so a million lines cost a few hundred syscalls. A closed
 * pipe (`| head`) stops output quietly.
 */
import { writeSync } from 'node:fs';

const FLUSH_AT = 256 * 1024;

export class StdoutBuffer {
  private parts: string[] = [];
  private size = 0;
  private closed = false;

  write(text: string): void {
    if (this.closed) return;
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (!this.parts.length || this.closed) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    try {
      writeAll(text);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
      this.closed = true;
    }
  }
}

function writeAll(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(1, bytes, at);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
}
