/** Raw HTTP over a TCP socket, for requests no HTTP client would send (malformed lines, huge headers). */
import { connect } from 'node:net';

/** The response to `bytes`, read until the server closes (or `timeoutMs`, then what arrived). */
export function rawExchange(port: number, bytes: string | Buffer, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(() => {
      socket.destroy();
      done();
    }, timeoutMs);
    socket.on('data', (d) => chunks.push(d));
    socket.on('close', done);
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? done() : reject(err)));
    socket.end(bytes);
  });
}

/** The status code of the first response in `text`, or null. */
export function statusOf(text: string): number | null {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return m ? Number(m[1]) : null;
}

/** The JSON body of the first response in `text` (by content-length), or null. */
export function jsonBodyOf(text: string): any {
  const split = text.indexOf('\r\n\r\n');
  const length = /\r\ncontent-length: (\d+)/i.exec(text.slice(0, split));
  if (split < 0 || !length) return null;
  try {
    return JSON.parse(text.slice(split + 4, split + 4 + Number(length[1])));
  } catch {
    return null;
  }
}
