/**
 * The live WebSocket `/api/v1/stream?q=&limit=`: parses `StreamMessage`s and hands them to a sink.
 * Reconnects with backoff after the socket drops; each (re)connection starts with a snapshot.
 */
import type { StreamMessage } from '../types.js';

export type StreamState = 'connecting' | 'open' | 'retrying' | 'closed';

export interface StreamSink {
  message(msg: StreamMessage): void;
  state(state: StreamState): void;
}

const MAX_BACKOFF_MS = 5000;

function streamUrl(q: string, limit: number): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const params = new URLSearchParams({ limit: String(limit) });
  if (q) params.set('q', q);
  return `${proto}//${location.host}/api/v1/stream?${params.toString()}`;
}

export class LiveStream {
  private ws: WebSocket | null = null;
  private timer: number | undefined;
  private backoff = 500;
  private stopped = false;

  constructor(
    private readonly q: string,
    private readonly limit: number,
    private readonly sink: StreamSink,
  ) {
    this.connect();
  }

  close(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
    this.ws?.close();
    this.ws = null;
    this.sink.state('closed');
  }

  private connect(): void {
    if (this.stopped) return;
    this.sink.state('connecting');
    const ws = new WebSocket(streamUrl(this.q, this.limit));
    this.ws = ws;
    ws.onopen = () => {
      this.backoff = 500;
      this.sink.state('open');
    };
    ws.onmessage = (ev: MessageEvent<string>) => this.onMessage(ev.data);
    ws.onclose = () => this.retry(ws);
  }

  private onMessage(data: string): void {
    let msg: StreamMessage;
    try {
      msg = JSON.parse(data) as StreamMessage;
    } catch {
      return;
    }
    this.sink.message(msg);
  }

  private retry(ws: WebSocket): void {
    if (this.stopped || ws !== this.ws) return;
    this.sink.state('retrying');
    this.timer = window.setTimeout(() => this.connect(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
  }
}
