/** Read a child's output line by line, with a timeout per line. */
import type { Readable } from 'node:stream';

export class LineReader {
  private buffer = '';
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  private ended = false;

  constructor(stream: Readable) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.buffer += chunk;
      let at: number;
      while ((at = this.buffer.indexOf('\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, at));
        this.buffer = this.buffer.slice(at + 1);
      }
      this.wake();
    });
    stream.on('end', () => {
      this.ended = true;
    });
  }

  /** The next line; rejects after `timeoutMs`. */
  next(timeoutMs: number): Promise<string> {
    const ready = this.lines.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new Error(`no line within ${timeoutMs} ms${this.ended ? ' (stream ended)' : ''}`));
      }, timeoutMs);
      this.waiting = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
    });
  }

  private wake(): void {
    if (!this.waiting || !this.lines.length) return;
    const deliver = this.waiting;
    this.waiting = null;
    deliver(this.lines.shift()!);
  }
}
