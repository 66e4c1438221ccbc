/**
 * A minimal HTTP/1.1 client over raw sockets for the API fuzz test: sends bytes no real client would,
 * reads back one response at a time (status line, headers, a content-length body; none after HEAD or
 * 101), and notices when the server closes instead. Connections come from rotating loopback source
 * addresses (127.0.0.1–127.0.0.16) so tens of thousands of short connections do not run out of
 * ephemeral ports while earlier ones sit in TIME_WAIT.
 */
import { connect, type Socket } from 'node:net';

/** What came back for one request. */
export type Outcome = { kind: 'response'; status: number; head: string; body: Buffer } | { kind: 'closed' } | { kind: 'timeout' };

let sourceIndex = 0;

/** A connection that reads responses one by one. */
export class RawConnection {
  private buffered = Buffer.alloc(0);
  private closed = false;
  private wake: (() => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, d]);
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawConnection> {
    const localAddress = `127.0.0.${(sourceIndex++ % 16) + 1}`;
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', localAddress });
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  write(bytes: Buffer, end = false): void {
    if (this.closed) return;
    if (end) this.socket.end(bytes);
    else this.socket.write(bytes);
  }

  /** The next response, or how the wait ended. `noBody`: the request was HEAD (a 101 never has one). */
  async next(noBody: boolean, timeoutMs: number): Promise<Outcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = this.take(noBody);
      if (parsed) return parsed;
      if (this.closed) return { kind: 'closed' };
      if (Date.now() > deadline) return { kind: 'timeout' };
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, Math.max(1, deadline - Date.now())).unref();
      });
    }
  }

  /** Whatever arrives until the server closes or `ms` pass without it; then the connection is dropped. */
  async drain(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    this.destroy();
  }

  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private take(noBody: boolean): Outcome | null {
    const end = this.buffered.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const head = this.buffered.subarray(0, end).toString('latin1');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
    const bodyless = noBody || status === 101 || status === 204 || status === 304;
    const length = bodyless ? 0 : /\r\ntransfer-encoding: *chunked/i.test(head) ? chunkedLength(this.buffered, end + 4) : Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (length === null || this.buffered.length < end + 4 + length) return null;
    const body = this.buffered.subarray(end + 4, end + 4 + length);
    this.buffered = this.buffered.subarray(end + 4 + length);
    return { kind: 'response', status, head, body };
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/** Bytes of a chunked body starting at `from` (chunks and the last-chunk line), or null until it is all here. */
function chunkedLength(buffer: Buffer, from: number): number | null {
  let at = from;
  for (;;) {
    const eol = buffer.indexOf('\r\n', at);
    if (eol < 0) return null;
    const size = parseInt(buffer.subarray(at, eol).toString('latin1'), 16);
    if (size === 0) {
      const trailerEnd = buffer.indexOf('\r\n', eol + 2);
      return trailerEnd < 0 ? null : trailerEnd + 2 - from;
    }
    at = eol + 2 + size + 2;
    if (at > buffer.length) return null;
  }
}
