/**
 * Buffered writes to stdout: text is encoded straight into a 1 MiB buffer (no joined strings, no
 * intermediate copies) and written synchronously when full (stdout is synchronous for files and
 * pipes on Linux), so a million lines cost a few hundred syscalls. A closed pipe (`| head`) stops
 * output quietly.
 */
import { writeSync } from 'node:fs';

const SIZE = 1 << 20;

export class StdoutBuffer {
  private readonly buffer = Buffer.allocUnsafe(SIZE);
  private used = 0;
  private closed = false;

  write(text: string): void {
    if (this.closed) return;
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (this.used + text.length * 3 > SIZE) {
      this.flush();
      if (text.length * 3 > SIZE) return this.writeOut(Buffer.from(text, 'utf8'));
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  flush(): void {
    if (!this.used || this.closed) return;
    const used = this.used;
    this.used = 0;
    this.writeOut(this.buffer.subarray(0, used));
  }

  private writeOut(bytes: Buffer): void {
    try {
      let at = 0;
      while (at < bytes.length) {
        try {
          at += writeSync(1, bytes, at);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
      this.closed = true;
    }
  }
}
