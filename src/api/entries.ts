/**
 * Entry routes: `GET /api/v1/entries?limit=&after=` (a page of the live feed, oldest first, with the
 * cursor to pass as `after` next time) and the WebSocket `/api/v1/stream?limit=` (a snapshot of the
 * newest entries, then every new or updated entry). A slow WebSocket client is not allowed to grow
 * memory: while its send buffer is over the limit, events are dropped and it is then told how many
 * with a `lagged` message, so it can re-fetch with `after`.
 */
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EntryFeed, FeedEvent, FeedItem } from '../model/index.js';
import { HttpError, type ApiServer } from './http-server.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;
/** Bytes queued to a WebSocket client before events to it are dropped. */
export const STREAM_BUFFER_LIMIT = 4 * 1024 * 1024;

export function registerEntryRoutes(server: ApiServer, feed: EntryFeed): void {
  server.get('/api/v1/entries', (url) => {
    const limit = intParam(url, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
    const after = url.searchParams.has('after') ? intParam(url, 'after', 0, 0, Number.MAX_SAFE_INTEGER) : undefined;
    const items = feed.list({ after, limit });
    return { body: page(items, after) };
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.upgrade('/api/v1/stream', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let limit: number;
    try {
      limit = intParam(url, 'limit', DEFAULT_LIMIT, 0, MAX_LIMIT);
    } catch (err) {
      return refuse(socket, (err as Error).message);
    }
    wss.handleUpgrade(req, socket, head, (ws) => streamTo(ws, feed, limit));
  });
  server.onClose(() => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  });
}

function page(items: FeedItem[], after: number | undefined): { entries: unknown[]; cursor: number | null } {
  const last = items.at(-1)?.cursor ?? after ?? null;
  return { entries: items.map((i) => i.entry), cursor: last };
}

function streamTo(ws: WebSocket, feed: EntryFeed, limit: number): void {
  const snapshot = limit ? feed.list({ limit }) : [];
  ws.send(JSON.stringify({ type: 'snapshot', ...page(snapshot, undefined) }));
  let dropped = 0;
  const unsubscribe = feed.subscribe((event: FeedEvent) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > STREAM_BUFFER_LIMIT) {
      dropped++;
      return;
    }
    if (dropped) {
      ws.send(JSON.stringify({ type: 'lagged', dropped }));
      dropped = 0;
    }
    ws.send(JSON.stringify({ type: event.type, cursor: event.item.cursor, entry: event.item.entry }));
  });
  ws.on('close', unsubscribe);
  ws.on('error', unsubscribe);
}

function refuse(socket: Duplex, message: string): void {
  const body = JSON.stringify({ error: { code: 'E_BAD_QUERY', message } });
  socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, 'E_BAD_QUERY', `${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

