/**
 * A message body for reading: JSON indented, form-urlencoded as a table, text as text, anything else
 * as a hex dump; notes for truncation, caps and content-encoding; the raw wire bytes when they differ.
 */
import { base64ToBytes, bytesAsText, hexDump } from '../../lib/bytes.js';
import { h, type Child } from '../../lib/dom.js';
import { formatBytes } from '../../lib/format.js';
import type { Body } from '../../types.js';
import { gridTable, note } from './kv.js';

const TEXT_LIMIT = 256 * 1024;

type Decoded = { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Uint8Array };

function decodedOf(body: Body): Decoded | null {
  if (body.decoded !== null && body.decodedEncoding === 'utf8') return { kind: 'text', text: body.decoded };
  const b64 = body.decoded ?? body.raw;
  if (b64 === null) return null;
  const bytes = base64ToBytes(b64);
  const text = bytesAsText(bytes);
  return text !== null ? { kind: 'text', text } : { kind: 'bytes', bytes };
}

function isJson(body: Body, text: string): boolean {
  return /json/i.test(body.contentType ?? '') || /^\s*[[{]/.test(text);
}

function prettyJson(text: string): string | null {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

function formTable(text: string): HTMLElement {
  const rows = [...new URLSearchParams(text)].map(([k, v]) => [h('code', {}, k), v]);
  return gridTable(['Name', 'Value'], rows, 'body-form');
}

function textView(body: Body, text: string): HTMLElement {
  if (/x-www-form-urlencoded/i.test(body.contentType ?? '')) return formTable(text);
  const pretty = isJson(body, text) ? prettyJson(text) : null;
  const shown = (pretty ?? text).slice(0, TEXT_LIMIT);
  return h('pre', { class: `body ${pretty ? 'json' : 'text'}`, 'data-testid': pretty ? 'body-json' : 'body-text' }, shown);
}

function notes(body: Body): Child[] {
  const out: Child[] = [];
  if (body.contentEncoding) out.push(note(`Content-Encoding: ${body.contentEncoding} — shown decoded.`));
  if (body.truncated) out.push(note(`Truncated: the capture kept only part of this ${formatBytes(body.size)} body (cut by a cap, a close, a gap or the end of capture).`, 'note warn'));
  return out;
}

function rawView(body: Body): HTMLElement | null {
  if (body.raw === null || body.decoded === null) return null;
  return h('details', { class: 'raw' }, h('summary', {}, 'Raw wire bytes'), h('pre', { class: 'body hex' }, hexDump(base64ToBytes(body.raw))));
}

export function bodyView(body: Body | null): HTMLElement {
  if (!body || body.size === 0) return h('div', { class: 'body-empty', 'data-testid': 'body' }, note('No body.'));
  const meta = `${formatBytes(body.size)}${body.contentType ? ` · ${body.contentType}` : ''}`;
  const decoded = decodedOf(body);
  const content = !decoded ? note('Body bytes were not kept.') : decoded.kind === 'text' ? textView(body, decoded.text) : h('pre', { class: 'body hex', 'data-testid': 'body-hex' }, hexDump(decoded.bytes));
  return h('div', { class: 'body-view', 'data-testid': 'body' }, h('div', { class: 'body-meta' }, meta), ...notes(body), content, rawView(body));
}
