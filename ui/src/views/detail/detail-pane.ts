/**
 * The detail pane of the selected entry: fetched from `GET /api/v1/entries/:id`, shown as overview,
 * anomalies, endpoints and protocol sections, with "Download pcap" and (HTTP) "Copy as curl".
 */
import { ApiError, fetchEntry, pcapUrl } from '../../api/client.js';
import { h, replaceChildren } from '../../lib/dom.js';
import type { FieldCatalog } from '../../state/field-catalog.js';
import type { EntryDetail, EntryListItem } from '../../types.js';
import { anomaliesSection } from './anomalies.js';
import { curlCommand } from './curl.js';
import { dnsSections } from './dns-view.js';
import { endpointSection } from './endpoint-view.js';
import { httpSections } from './http-view.js';
import { note } from './kv.js';
import { overviewSection } from './overview-view.js';

/** Which fields were replaced before the call was stored (secrets never reach the dashboard). */
function redactedNote(redacted: readonly string[] | undefined): HTMLElement | null {
  if (!redacted?.length) return null;
  const el = note(`Redacted before it was stored: ${redacted.join(', ')}. The values show as [REDACTED].`, 'note');
  el.dataset.testid = 'redacted-note';
  return el;
}

export class DetailPane {
  readonly el: HTMLElement;
  private readonly title = h('h2', { class: 'detail-title', 'data-testid': 'detail-title' });
  private readonly actions = h('div', { class: 'detail-actions' });
  private readonly body = h('div', { class: 'detail-body', 'data-testid': 'detail-body' });
  private abort: AbortController | null = null;
  current: EntryListItem | null = null;

  constructor(
    private readonly catalog: FieldCatalog,
    private readonly onClose: () => void,
    /** Whether the server serves the packets of calls with redacted fields (`--raw-pcap`). */
    private readonly rawPcap: () => boolean = () => true,
  ) {
    const close = h('button', { class: 'btn', type: 'button', title: 'Close (Esc)', 'data-testid': 'detail-close', onclick: () => this.onClose() }, '×');
    this.el = h('aside', { class: 'detail', 'data-testid': 'detail', hidden: true }, h('header', { class: 'detail-head' }, this.title, this.actions, close), this.body);
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  async show(item: EntryListItem): Promise<void> {
    this.current = item;
    this.el.hidden = false;
    this.title.textContent = `${item.summary.method ?? item.protocol.toUpperCase()} ${item.summary.target ?? ''}`;
    replaceChildren(this.actions, this.pcapLink(item));
    replaceChildren(this.body, note('Loading…'));
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const detail = await fetchEntry(item.id, abort.signal);
      if (this.current === item) this.render(detail);
    } catch (err) {
      if (!abort.signal.aborted && this.current === item) replaceChildren(this.body, this.errorNote(err));
    }
  }

  hide(): void {
    this.abort?.abort();
    this.current = null;
    this.el.hidden = true;
  }

  private render(d: EntryDetail): void {
    const e = d.entry;
    const sections = e.protocol === 'http' ? httpSections(this.catalog, e) : dnsSections(e);
    replaceChildren(
      this.body,
      overviewSection(this.catalog, d),
      redactedNote(e.redacted),
      anomaliesSection(e.anomalies),
      ...sections,
      endpointSection(this.catalog, 'src', e.src),
      endpointSection(this.catalog, 'dst', e.dst),
    );
    replaceChildren(this.actions, this.pcapLink(e, d.packets === null), e.protocol === 'http' && e.request ? this.curlButton(curlCommand(e)) : null);
  }

  private pcapLink(item: Pick<EntryListItem, 'id' | 'redacted'>, none = false): HTMLElement {
    if (item.redacted?.length && !this.rawPcap()) {
      const why = 'Its packets hold the values that were redacted, in clear; this podsniff does not serve them (start it with --raw-pcap to allow)';
      return h('span', { class: 'muted', title: why, 'data-testid': 'pcap-withheld' }, 'pcap withheld');
    }
    if (none) return h('span', { class: 'muted', title: 'The store kept no packets for this connection' }, 'no pcap');
    return h('a', { class: 'btn', href: pcapUrl(item.id), download: `${item.id}.pcap`, 'data-testid': 'download-pcap' }, 'Download pcap');
  }

  private curlButton(cmd: string): HTMLElement {
    const btn = h('button', { class: 'btn', type: 'button', 'data-testid': 'copy-curl', title: cmd }, 'Copy as curl');
    btn.addEventListener('click', () => {
      void navigator.clipboard?.writeText(cmd).then(
        () => (btn.textContent = 'Copied'),
        () => window.prompt('Copy the curl command:', cmd),
      );
    });
    return btn;
  }

  private errorNote(err: unknown): HTMLElement {
    if (err instanceof ApiError && err.status === 404) return note('This entry is no longer in the store (it was evicted).', 'note warn');
    return note(`Could not load the entry: ${(err as Error).message}`, 'note error');
  }
}
