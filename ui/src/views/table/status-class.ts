/** Status colouring: 2xx/3xx/4xx/5xx for HTTP, ok/error for DNS rcodes, "none" without a response. */
import type { EntryListItem } from '../../types.js';

export type StatusClass = 's2' | 's3' | 's4' | 's5' | 's1' | 'dns-ok' | 'dns-err' | 'none';

export function statusClass(e: EntryListItem): StatusClass {
  const code = e.summary.statusCode;
  if (code !== null) {
    if (code >= 500) return 's5';
    if (code >= 400) return 's4';
    if (code >= 300) return 's3';
    if (code >= 200) return 's2';
    return 's1';
  }
  const s = e.summary.status;
  if (s === null) return 'none';
  if (e.protocol === 'dns') return s === 'NOERROR' ? 'dns-ok' : 'dns-err';
  return 'none';
}

export function statusText(e: EntryListItem): string {
  if (e.summary.statusCode !== null) return String(e.summary.statusCode);
  return e.summary.status ?? 'no response';
}
