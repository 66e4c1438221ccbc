/** HTTP request and response: start line, headers, trailers, interim responses and the body. */
import { h } from '../../lib/dom.js';
import type { FieldCatalog } from '../../state/field-catalog.js';
import type { HttpEntry } from '../../types.js';
import { bodyView } from './body-view.js';
import { headersTable } from './headers.js';
import { note, section } from './kv.js';

export function httpSections(catalog: FieldCatalog, e: HttpEntry): HTMLElement[] {
  const req = e.request;
  const res = e.response;
  const request = req
    ? section(
        'Request',
        'detail-request',
        h('div', { class: 'startline' }, `${req.method} ${req.target} ${req.version}`),
        headersTable(catalog, 'request', req.headers, 'request-headers'),
        req.trailers.length ? headersTable(catalog, 'request', req.trailers, 'request-trailers') : null,
        bodyView(req.body),
      )
    : section('Request', 'detail-request', note('The request was not captured.'));
  const response = res
    ? section(
        'Response',
        'detail-response',
        ...res.interim.map((i) => h('div', { class: 'startline interim' }, `${i.status} ${i.reason} (interim)`)),
        h('div', { class: 'startline' }, `${res.version} ${res.status} ${res.reason}${res.upgraded ? ' — connection upgraded' : ''}`),
        headersTable(catalog, 'response', res.headers, 'response-headers'),
        res.trailers.length ? headersTable(catalog, 'response', res.trailers, 'response-trailers') : null,
        bodyView(res.body),
      )
    : section('Response', 'detail-response', note('No response was captured.', 'note warn'));
  return [request, response];
}
