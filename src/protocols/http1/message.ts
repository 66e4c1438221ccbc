/**
 * A message being read (`InFlight`) and the protocol messages built from it. Contract: sizes are wire
 * bytes (head, body framing and body, including bytes lost in gaps); the body is built once, when the
 * message completes, inside the call that delivered its last byte.
 */
import type { Anomaly, Body, Direction, Header, Timestamp } from '../../model/index.js';
import { BodyCollector } from '../_framing/index.js';
import type { HttpRequestMessage, HttpResponseMessage } from '../types.js';
import type { Head } from './head.js';

const NONE: readonly never[] = Object.freeze([]);
/** Scratch list for body anomalies of the message being built (copied out when non-empty). */
const scratch: Anomaly[] = [];

/** The message's body (built now) and its anomalies, including those found while building the body. */
function bodyAndAnomalies(f: InFlight): { body: Body | null; anomalies: readonly Anomaly[] } {
  const h = f.head;
  if (f.body === null) return { body: null, anomalies: f.anomalies ?? NONE };
  if (f.anomalies !== null) return { body: f.body.build(h.contentEncoding, h.contentType, f.anomalies), anomalies: f.anomalies };
  scratch.length = 0;
  const body = f.body.build(h.contentEncoding, h.contentType, scratch);
  return { body, anomalies: scratch.length ? scratch.slice() : NONE };
}

/** An interim (1xx) response as a final response carries it. */
export interface Interim {
  readonly status: number;
  readonly reason: string;
  readonly headers: readonly Header[];
}

/** A message whose head was read and whose body (if any) is still arriving. */
export class InFlight {
  /** Wire bytes so far. */
  size: number;
  body: BodyCollector | null = null;
  trailers: Header[] | null = null;
  anomalies: Anomaly[] | null = null;
  /** Request: its sequence number. Response: the sequence number of the request it answers, or -1. */
  index = -1;
  upgraded = false;

  constructor(
    readonly head: Head,
    readonly startTs: Timestamp,
    headBytes: number,
  ) {
    this.size = headBytes;
  }

  /** Body bytes are expected: start collecting. */
  expectBody(): BodyCollector {
    return (this.body ??= new BodyCollector());
  }

  addAnomaly(a: Anomaly): void {
    (this.anomalies ??= []).push(a);
  }

  /** Marks the message cut short (once) with `detail`. */
  cut(detail: string): void {
    if (this.body) this.body.cut = true;
    if (!this.anomalies?.some((a) => a.code === 'truncated')) this.addAnomaly({ code: 'truncated', detail });
  }
}

/** Builds a request message from a completed (or cut) in-flight request. */
export function requestMessage(dir: Direction, f: InFlight, endTs: Timestamp): HttpRequestMessage {
  const h = f.head;
  const { body, anomalies } = bodyAndAnomalies(f);
  const path = pathOf(h.method, h.target);
  return {
    protocol: 'http',
    kind: 'request',
    dir,
    pairKey: null,
    startTs: f.startTs,
    endTs,
    size: f.size,
    anomalies,
    detail: {
      method: h.method,
      target: h.target,
      path,
      version: h.version,
      headers: h.headers,
      trailers: f.trailers ?? NONE,
      body,
      host: h.target.charCodeAt(0) === 0x2f ? h.host : (targetForm(h.method, h.target).authority ?? h.host),
    },
  };
}

/** Builds a response message; `interim` are the 1xx responses that preceded it. */
export function responseMessage(dir: Direction, f: InFlight, endTs: Timestamp, interim: readonly Interim[]): HttpResponseMessage {
  const h = f.head;
  const { body, anomalies } = bodyAndAnomalies(f);
  return {
    protocol: 'http',
    kind: 'response',
    dir,
    pairKey: null,
    startTs: f.startTs,
    endTs,
    size: f.size,
    anomalies,
    detail: {
      status: h.status,
      reason: h.reason,
      version: h.version,
      headers: h.headers,
      trailers: f.trailers ?? NONE,
      body,
      interim: interim.length ? interim : NONE,
      upgraded: f.upgraded,
    },
  };
}

/** Path of a request target: origin-form without query (fast path), else per `targetForm`. */
function pathOf(method: string, target: string): string {
  if (target.charCodeAt(0) === 0x2f && target.indexOf('?') < 0 && target.indexOf('#') < 0) return target;
  return targetForm(method, target).path;
}

/**
 * Path and authority of a request target: origin-form `/p?q` → `/p`; absolute-form
 * `http://h:1/p?q` → `/p` and `h:1`; authority-form (CONNECT) → the target as both; `*` → `*`.
 */
export function targetForm(method: string, target: string): { path: string; authority: string | null } {
  if (target.charCodeAt(0) === 0x2f) return { path: cutQuery(target, 0), authority: null };
  const scheme = target.indexOf('://');
  if (scheme > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(target.slice(0, scheme))) {
    const from = scheme + 3;
    let stop = from;
    while (stop < target.length && !'/?#'.includes(target[stop]!)) stop++;
    const authority = target.slice(from, stop);
    const path = stop < target.length && target[stop] === '/' ? cutQuery(target, stop) : '/';
    return { path, authority: authority.slice(authority.lastIndexOf('@') + 1) || null };
  }
  if (method === 'CONNECT') return { path: target, authority: target };
  return { path: cutQuery(target, 0), authority: null };
}

function cutQuery(target: string, from: number): string {
  const q = target.indexOf('?', from);
  const h = target.indexOf('#', from);
  const end = q < 0 ? (h < 0 ? target.length : h) : h < 0 ? q : Math.min(q, h);
  return from === 0 && end === target.length ? target : target.slice(from, end);
}
