/**
 * Entry routes over the store:
 * - `GET /api/v1/entries?q=&limit=&before=&after=`: matching rows, newest first (`EntryPage`);
 * - `GET /api/v1/entries/:id`: the whole entry (`EntryDetail`);
 * - `GET /api/v1/entries/:id/pcap`: the entry's packets as a pcap file (`?scope=connection`: every
 *   packet kept of its connection);
 * - WebSocket `/api/v1/stream?q=&limit=`: a matching snapshot, then `entry`/`update` rows as they are
 *   stored. A slow client may not grow memory: while its send buffer is over `STREAM_BUFFER_LIMIT`,
 *   events are dropped and it is then told how many (`lagged`, with the last cursor it got) so it can
 *   re-fetch with `after`.
 */
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { toEntryListItem, type EntryDetail, type EntryMatcher, type EntryPage, type StreamMessage } from '../model/index.js';
import type { EntryEvent, EntryEvents, EntryIndex } from './entry-source.js';
import { HttpError, type ApiServer } from './http-server.js';
import { cursorParam, filterParam, intParam } from './params.js';
import { sliceForEntry } from './pcap-slice.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 5_000;
/** Bytes queued to a WebSocket client before events to it are dropped. */
export const STREAM_BUFFER_LIMIT = 4 * 1024 * 1024;

export function registerEntryRoutes(server: ApiServer, index: EntryIndex, events: EntryEvents): void {
  server.get('/api/v1/entries', (url) => {
    const matcher = filterParam(url);
    const limit = intParam(url, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
    const page = index.list({ matcher, limit, before: cursorParam(url, 'before'), after: cursorParam(url, 'after') });
    const body: EntryPage = { entries: page.items, before: page.before, after: page.after, complete: page.complete };
    return { body };
  });
  server.getPrefix('/api/v1/entries/', (url) => entryResource(index, url.pathname.slice('/api/v1/entries/'.length), url.searchParams.get('scope') === 'connection'));
  registerStream(server, index, events);
}

function entryResource(index: EntryIndex, rest: string, wholeConnection: boolean): { body: unknown; contentType?: string; headers?: Record<string, string> } {
  const pcap = rest.endsWith('/pcap');
  const id = decodeURIComponent(pcap ? rest.slice(0, -'/pcap'.length) : rest);
  const found = id && !id.includes('/') ? index.get(id) : null;
  if (!found) throw new HttpError(404, 'E_NOT_FOUND', `no entry "${id}" in the store (it may have been dropped by retention)`);
  const connectionId = found.entry.connectionId;
  if (!pcap) {
    const detail: EntryDetail = { cursor: found.cursor, entry: found.entry, packets: index.packetStats(connectionId) };
    return { body: detail };
  }
  const stored = index.exportPcap(connectionId);
  const file = stored && !wholeConnection ? sliceForEntry(stored, found.entry) : stored;
  if (!file) throw new HttpError(404, 'E_NOT_FOUND', `no packets are kept for entry "${id}" (connection ${connectionId})`);
  const name = `podsniff-${id.replace(/[^A-Za-z0-9_.-]/g, '_')}.pcap`;
  return { body: file, contentType: 'application/vnd.tcpdump.pcap', headers: { 'content-disposition': `attachment; filename="${name}"` } };
}

function registerStream(server: ApiServer, index: EntryIndex, events: EntryEvents): void {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.upgrade('/api/v1/stream', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let limit: number;
    let matcher: EntryMatcher;
    try {
      limit = intParam(url, 'limit', DEFAULT_LIMIT, 0, MAX_LIMIT);
      matcher = filterParam(url);
    } catch (err) {
      return refuse(socket, err as HttpError);
    }
    wss.handleUpgrade(req, socket, head, (ws) => streamTo(ws, index, events, matcher, limit));
  });
  server.onClose(() => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  });
}

function streamTo(ws: WebSocket, index: EntryIndex, events: EntryEvents, matcher: EntryMatcher, limit: number): void {
  const snapshot = limit ? index.list({ matcher, limit }) : { items: [], after: null };
  send(ws, { type: 'snapshot', entries: snapshot.items, after: snapshot.after });
  let lastSent = snapshot.after;
  let dropped = 0;
  const unsubscribe = events.subscribe((event: EntryEvent) => {
    if (ws.readyState !== ws.OPEN || !matcher.matches(event.entry)) return;
    if (ws.bufferedAmount > STREAM_BUFFER_LIMIT) {
      dropped++;
      return;
    }
    if (dropped) {
      send(ws, { type: 'lagged', dropped, after: lastSent });
      dropped = 0;
    }
    if (event.type === 'entry') lastSent = Math.max(lastSent ?? 0, event.cursor);
    ws.send(eventText(event));
  });
  ws.on('close', unsubscribe);
  ws.on('error', unsubscribe);
}

/** Each event is serialised once, however many clients it goes to. */
const eventTexts = new WeakMap<EntryEvent, string>();

function eventText(event: EntryEvent): string {
  let text = eventTexts.get(event);
  if (text === undefined) {
    const message: StreamMessage = { type: event.type, entry: toEntryListItem(event.entry, event.cursor) };
    text = JSON.stringify(message);
    eventTexts.set(event, text);
  }
  return text;
}

function send(ws: WebSocket, message: StreamMessage): void {
  ws.send(JSON.stringify(message));
}

function refuse(socket: Duplex, err: HttpError): void {
  const body = JSON.stringify(err instanceof HttpError ? err.body() : { error: { code: 'E_BAD_QUERY', message: String(err) } });
  const status = err instanceof HttpError ? err.status : 400;
  socket.end(`HTTP/1.1 ${status} Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
