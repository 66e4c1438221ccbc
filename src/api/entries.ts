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
import { WebSocketServer, type WebSocket } from 'ws';
import { toEntryListItem, type EntryDetail, type EntryMatcher, type EntryPage, type StreamMessage } from '../model/index.js';
import type { EntryEvent, EntryEvents, EntryIndex } from './entry-source.js';
import { HttpError } from './http-error.js';
import type { ApiServer } from './http-server.js';
import { cursorParam, filterParam, intParam } from './params.js';
import { sliceForEntry } from './pcap-slice.js';
import { decodePathSegment } from './request-target.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 5_000;
/** Bytes queued to a WebSocket client before events to it are dropped. */
export const STREAM_BUFFER_LIMIT = 4 * 1024 * 1024;
/** Stream clients served at once; more are refused with 503 `E_TOO_MANY_CLIENTS`. */
export const MAX_STREAM_CLIENTS = 64;
/** Largest message a client may send (clients send nothing the stream reads; this only bounds memory). */
const MAX_CLIENT_MESSAGE_BYTES = 4 * 1024;
/** A client that has not answered a ping for this long is dropped (a vanished peer holds no buffers). */
const HEARTBEAT_MS = 30_000;

/** How the entry routes serve what they hold. */
export interface EntryRouteOptions {
  /**
   * Serve the packets of calls whose fields were redacted. Their packets hold the secrets in clear, so
   * only the operator may allow it (`--raw-pcap`); otherwise such a pcap is a 403 `E_RAW_PCAP_DISABLED`.
   */
  readonly rawPcap: boolean;
}

export function registerEntryRoutes(server: ApiServer, index: EntryIndex, events: EntryEvents, options: EntryRouteOptions = { rawPcap: true }): void {
  server.get('/api/v1/entries', (url) => {
    const matcher = filterParam(url);
    const limit = intParam(url, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
    const page = index.list({ matcher, limit, before: cursorParam(url, 'before'), after: cursorParam(url, 'after') });
    const body: EntryPage = { entries: page.items, before: page.before, after: page.after, complete: page.complete };
    return { body };
  });
  server.getPrefix('/api/v1/entries/', (url) =>
    entryResource(index, url.pathname.slice('/api/v1/entries/'.length), url.searchParams.get('scope') === 'connection', options.rawPcap),
  );
  registerStream(server, index, events);
}

function entryResource(index: EntryIndex, rest: string, wholeConnection: boolean, rawPcap: boolean): { body: unknown; contentType?: string; headers?: Record<string, string> } {
  const pcap = rest.endsWith('/pcap');
  const id = decodePathSegment(pcap ? rest.slice(0, -'/pcap'.length) : rest);
  const found = id && !id.includes('/') ? index.get(id) : null;
  if (!found) throw new HttpError(404, 'E_NOT_FOUND', `no entry "${id}" in the store (it may have been dropped by retention)`);
  const connectionId = found.entry.connectionId;
  if (!pcap) {
    const detail: EntryDetail = { cursor: found.cursor, entry: found.entry, packets: index.packetStats(connectionId) };
    return { body: detail };
  }
  if (!rawPcap && (found.entry.redacted?.length || index.connectionRedacted(connectionId))) {
    throw new HttpError(
      403,
      'E_RAW_PCAP_DISABLED',
      `the packets of entry "${id}" hold values podsniff redacted (${(found.entry.redacted ?? ['another call on its connection']).join(', ')}) in clear; the operator can allow raw packets with --raw-pcap`,
    );
  }
  const stored = index.exportPcap(connectionId);
  const file = stored && !wholeConnection ? sliceForEntry(stored, found.entry) : stored;
  if (!file) throw new HttpError(404, 'E_NOT_FOUND', `no packets are kept for entry "${id}" (connection ${connectionId})`);
  const name = `podsniff-${id.replace(/[^A-Za-z0-9_.-]/g, '_')}.pcap`;
  return { body: file, contentType: 'application/vnd.tcpdump.pcap', headers: { 'content-disposition': `attachment; filename="${name}"` } };
}

function registerStream(server: ApiServer, index: EntryIndex, events: EntryEvents): void {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
  const alive = new WeakSet<WebSocket>();
  server.upgrade('/api/v1/stream', (req, socket, head, url) => {
    if (wss.clients.size >= MAX_STREAM_CLIENTS) {
      throw new HttpError(503, 'E_TOO_MANY_CLIENTS', `${MAX_STREAM_CLIENTS} stream clients are connected already; close one or poll /api/v1/entries`, {}, { 'retry-after': '5' });
    }
    const limit = intParam(url, 'limit', DEFAULT_LIMIT, 0, MAX_LIMIT);
    const matcher = filterParam(url);
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      streamTo(ws, index, events, matcher, limit);
    });
  });
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) ws.terminate();
      else {
        alive.delete(ws);
        ws.ping();
      }
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  server.onClose(() => {
    clearInterval(heartbeat);
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
