/**
 * The dashboard's composition root: builds the views, wires the feed, the overview poller, the URL and
 * the keyboard, and applies filters (validated first: a bad filter never reaches the WebSocket).
 */
import { ApiError, checkQuery } from './api/client.js';
import { h } from './lib/dom.js';
import { appendClause } from './lib/filter-text.js';
import { FieldCatalog } from './state/field-catalog.js';
import { remember } from './state/filter-history.js';
import { LiveFeed } from './state/live-feed.js';
import { OverviewPoller } from './state/overview.js';
import { RowStore } from './state/row-store.js';
import { onQueryPopped, pushQuery, queryFromUrl } from './state/url-query.js';
import { installTestHook } from './test-hook.js';
import { DetailPane } from './views/detail/detail-pane.js';
import { FilterBar } from './views/filter/filter-bar.js';
import { bindKeyboard } from './views/keyboard.js';
import { ServiceMapView } from './views/map/service-map-view.js';
import { bannerText, emptyState, StateView } from './views/states.js';
import { StatusBar } from './views/status-bar.js';
import { renderFooter } from './views/table/table-footer.js';
import { VirtualTable } from './views/table/virtual-table.js';
import { Toolbar, type Tab } from './views/toolbar.js';

export class App {
  readonly store = new RowStore();
  readonly catalog = new FieldCatalog();
  readonly feed = new LiveFeed(this.store);
  readonly overview = new OverviewPoller();
  readonly filter = new FilterBar(this.catalog, { apply: (q) => void this.apply(q, true) });
  readonly table = new VirtualTable(this.store, this.catalog, { select: (item) => void this.detail.show(item) });
  readonly detail = new DetailPane(this.catalog, () => this.closeDetail(), () => this.overview.state.get().status?.rawPcap ?? true);
  readonly map = new ServiceMapView((q) => (this.setTab('traffic'), this.applyFromUi(q)));
  readonly toolbar = new Toolbar({
    togglePause: () => (this.feed.state.get().paused ? this.feed.resume() : this.feed.pause()),
    clear: () => (this.feed.clear(), this.closeDetail()),
    top: () => this.table.scrollToTop(),
    tab: (tab) => this.setTab(tab),
  });
  readonly states = new StateView(() => this.applyFromUi(''));
  readonly statusBar = new StatusBar();
  readonly banner = h('div', { class: 'banner', 'data-testid': 'banner', role: 'status', hidden: true });
  private frame = 0;
  private trafficEl: HTMLElement | null = null;

  mount(root: HTMLElement): void {
    const traffic = h('div', { class: 'traffic', 'data-testid': 'traffic' }, h('div', { class: 'table-wrap' }, this.table.el, this.states.el), this.detail.el);
    const header = h('header', { class: 'topbar' }, h('div', { class: 'brand' }, 'podsniff'), this.filter.el);
    root.append(header, this.banner, this.toolbar.el, h('main', { class: 'main' }, traffic, this.map.el), this.statusBar.el);
    this.trafficEl = traffic;
    this.feed.state.subscribe(() => this.scheduleChrome());
    this.overview.state.subscribe(() => this.scheduleChrome());
    this.store.onChange(() => this.scheduleChrome());
    document.addEventListener('click', (ev) => this.onPlus(ev));
    onQueryPopped((q) => (this.filter.setText(q), void this.apply(q, false)));
    bindKeyboard({
      focusFilter: () => this.filter.focus(),
      detailOpen: () => this.detail.isOpen,
      closeDetail: () => this.closeDetail(),
      moveSelection: (delta) => {
        const item = this.table.moveSelection(delta);
        if (item) void this.detail.show(item);
      },
    });
    installTestHook(this.store);
    void this.catalog.load();
    this.overview.start();
    const q = queryFromUrl();
    this.filter.setText(q);
    void this.apply(q, false);
  }

  /** Validates `q`, then follows it; errors stay in the filter bar. */
  async apply(q: string, push: boolean): Promise<void> {
    if (q) {
      try {
        const check = await checkQuery(q);
        if (!check.ok) return this.filter.showError(check.error);
      } catch (err) {
        if (err instanceof ApiError && err.position !== null) return this.filter.showError({ code: err.code, message: err.message, position: err.position, expected: err.expected });
        // Unreachable: follow anyway; the stream retries until the server is back.
      }
    }
    this.filter.showError(null);
    if (push) pushQuery(q);
    if (q) remember(q);
    this.closeDetail();
    this.feed.setQuery(q);
    this.table.scrollToTop();
    this.map.setQuery(q);
  }

  /** Applies a filter built by the UI ("+", map edge, clear) and shows it in the input. */
  applyFromUi(q: string): void {
    this.filter.setText(q);
    void this.apply(q, true);
  }

  closeDetail(): void {
    this.detail.hide();
    this.table.setSelected(null, false);
  }

  setTab(tab: Tab): void {
    this.toolbar.setTab(tab);
    if (this.trafficEl) this.trafficEl.hidden = tab !== 'traffic';
    this.map.setVisible(tab === 'map');
  }

  private onPlus(ev: MouseEvent): void {
    const btn = (ev.target as Element).closest<HTMLElement>('[data-plus]');
    const c = btn?.dataset.plus;
    if (!c) return;
    ev.preventDefault();
    ev.stopPropagation();
    this.applyFromUi(appendClause(this.feed.state.get().q, c));
  }

  private scheduleChrome(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.renderChrome());
  }

  private renderChrome(): void {
    this.frame = 0;
    const feed = this.feed.state.get();
    const o = this.overview.state.get();
    this.toolbar.render(feed);
    this.statusBar.render(feed, o, this.store);
    this.states.show(emptyState(feed, o, this.store.size));
    const banner = bannerText(o);
    this.banner.hidden = banner === null;
    this.banner.textContent = banner ?? '';
    renderFooter(this.table.footer, feed, this.store, () => void this.feed.loadOlder());
    this.table.schedule();
  }
}
