/** Anomalies with a plain-language explanation of what each code means for the user. */
import { h } from '../../lib/dom.js';
import type { Anomaly } from '../../types.js';
import { section } from './kv.js';

const EXPLAIN: Record<string, string> = {
  'tcp.gap': 'Bytes were lost in this direction (capture drop or missed segment); parts of the message may be missing.',
  'tcp.mid-stream': 'Capture joined the connection mid-stream (no SYN seen); the first message may be partial.',
  'tcp.overlap-conflict': 'A retransmission carried different bytes than the original; the first copy was kept.',
  'tcp.memory-cap': 'Out-of-order data exceeded the reassembly memory cap and was skipped.',
  'tcp.reset': 'The connection was reset (RST).',
  'ip.fragment-incomplete': 'An IPv4 fragment set never completed.',
  'no-response': 'The request got no response before the connection ended or timed out.',
  'unpaired-response': 'A response arrived without a request to pair it with (the request was not captured).',
  truncated: 'A body or payload was cut short by a close, a gap or the end of the capture.',
  'protocol-violation': 'The bytes violate the protocol; the dissector resynchronised or gave up.',
  'decode-failed': 'The body\'s content-encoding could not be decoded; the raw bytes are shown.',
  'body-capped': 'The body was larger than the kept-bytes limit; the rest was counted, not kept.',
};

export function explainAnomaly(code: string): string {
  return EXPLAIN[code] ?? 'See the detail text.';
}

export function anomaliesSection(list: readonly Anomaly[]): HTMLElement | null {
  if (!list.length) return null;
  return section(
    `Anomalies (${list.length})`,
    'detail-anomalies',
    h('ul', { class: 'anomalies' }, ...list.map((a) => h('li', {}, h('code', { class: 'anomaly' }, a.code), ' ', a.detail, h('div', { class: 'explain' }, explainAnomaly(a.code))))),
  );
}
