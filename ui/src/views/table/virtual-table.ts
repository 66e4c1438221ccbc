/**
 * The virtualized traffic table: fixed-height rows, only the visible ones (plus a few) in the DOM,
 * recycled as the user scrolls. Newest on top. "Follow": at the top it stays at the top as rows
 * arrive; scrolled down, it keeps the same rows in view (anchored by cursor) while rows are inserted.
 */
import { h } from '../../lib/dom.js';
import type { FieldCatalog } from '../../state/field-catalog.js';
import type { RowStore } from '../../state/row-store.js';
import type { EntryListItem } from '../../types.js';
import { COLUMNS, COMPACT_BELOW_PX, COMPACT_GRID_TEMPLATE, GRID_TEMPLATE } from './columns.js';
import { ROW_HEIGHT, RowView } from './row-view.js';

const OVERSCAN = 8;

type Anchor = { kind: 'top' } | { kind: 'row'; cursor: number; offset: number };

export interface TableEvents {
  select(item: EntryListItem): void;
}

export class VirtualTable {
  readonly el: HTMLElement;
  readonly viewport: HTMLElement;
  /** Shown under the last row ("load more", end-of-buffer notes). */
  readonly footer: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly pool: RowView[] = [];
  private anchor: Anchor = { kind: 'top' };
  private frame = 0;
  private selected: number | null = null;

  constructor(
    private readonly store: RowStore,
    private readonly catalog: FieldCatalog,
    private readonly events: TableEvents,
  ) {
    const header = h('div', { class: 'row header', role: 'row', 'data-testid': 'table-header' }, ...COLUMNS.map((c) => h('div', { class: 'cell', role: 'columnheader', 'data-col': c.key, style: c.align ? 'text-align:right' : '' }, c.title)));
    this.footer = h('div', { class: 'table-footer', 'data-testid': 'table-footer' });
    this.canvas = h('div', { class: 'canvas', 'data-testid': 'table-canvas' }, this.footer);
    this.viewport = h('div', { class: 'viewport', 'data-testid': 'table-viewport', tabindex: 0 }, this.canvas);
    this.el = h('div', { class: 'table', role: 'table', 'data-testid': 'table' }, header, this.viewport);
    this.el.style.setProperty('--grid', GRID_TEMPLATE);
    this.viewport.addEventListener('scroll', () => this.onScroll());
    this.viewport.addEventListener('click', (ev) => this.onClick(ev));
    store.onChange(() => this.schedule());
    new ResizeObserver(() => this.onResize()).observe(this.viewport);
  }

  get selectedCursor(): number | null {
    return this.selected;
  }

  setSelected(cursor: number | null, reveal = true): void {
    this.selected = cursor;
    if (reveal && cursor !== null) this.reveal(this.store.indexOf(cursor));
    this.schedule();
  }

  /** Moves the selection by `delta` rows (negative: newer) and returns the newly selected row. */
  moveSelection(delta: number): EntryListItem | null {
    const current = this.selected === null ? -1 : this.store.indexOf(this.selected);
    const next = Math.max(0, Math.min(this.store.size - 1, current + delta));
    const item = this.store.at(next);
    if (!item) return null;
    this.setSelected(item.cursor);
    return item;
  }

  scrollToTop(): void {
    this.viewport.scrollTop = 0;
    this.anchor = { kind: 'top' };
    this.schedule();
  }

  /** Redraws on the next frame (coalesced). */
  schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  private reveal(index: number): void {
    if (index < 0) return;
    const top = index * ROW_HEIGHT;
    const vp = this.viewport;
    if (top < vp.scrollTop) vp.scrollTop = top;
    else if (top + ROW_HEIGHT > vp.scrollTop + vp.clientHeight) vp.scrollTop = top + ROW_HEIGHT - vp.clientHeight;
    this.captureAnchor();
  }

  private onResize(): void {
    const compact = this.el.clientWidth < COMPACT_BELOW_PX;
    this.el.classList.toggle('compact', compact);
    this.el.style.setProperty('--grid', compact ? COMPACT_GRID_TEMPLATE : GRID_TEMPLATE);
    this.schedule();
  }

  private onScroll(): void {
    this.captureAnchor();
    this.schedule();
  }

  /** Remembers which row is at the top of the viewport, from what is on screen. */
  private captureAnchor(): void {
    const top = this.viewport.scrollTop;
    if (top < 1) {
      this.anchor = { kind: 'top' };
      return;
    }
    const index = Math.floor(top / ROW_HEIGHT);
    const shown = this.pool.find((r) => r.index === index)?.item ?? this.store.at(index);
    if (shown) this.anchor = { kind: 'row', cursor: shown.cursor, offset: top - index * ROW_HEIGHT };
  }

  private restoreAnchor(): void {
    const a = this.anchor;
    if (a.kind === 'top') {
      if (this.viewport.scrollTop !== 0) this.viewport.scrollTop = 0;
      return;
    }
    const index = this.store.indexOf(a.cursor);
    if (index < 0) return;
    const want = index * ROW_HEIGHT + a.offset;
    if (Math.abs(this.viewport.scrollTop - want) >= 1) this.viewport.scrollTop = want;
  }

  private render(): void {
    this.frame = 0;
    const total = this.store.size;
    this.canvas.style.height = `${total * ROW_HEIGHT + this.footer.offsetHeight}px`;
    this.footer.style.transform = `translateY(${total * ROW_HEIGHT}px)`;
    this.restoreAnchor();
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(total, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    this.ensurePool(last - first);
    this.pool.forEach((row, j) => this.place(row, first + j, last));
    this.captureAnchor();
  }

  private place(row: RowView, index: number, last: number): void {
    const item = index < last ? this.store.at(index) : undefined;
    if (!item) return row.hide();
    row.unhide();
    row.show(index, item, item.cursor === this.selected);
  }

  private ensurePool(n: number): void {
    while (this.pool.length < n) {
      const row = new RowView(this.catalog);
      this.pool.push(row);
      this.canvas.append(row.el);
    }
  }

  private onClick(ev: MouseEvent): void {
    const target = ev.target as Element;
    if (target.closest('[data-plus]')) return;
    const rowEl = target.closest<HTMLElement>('.row');
    const item = this.pool.find((r) => r.el === rowEl)?.item;
    if (!item) return;
    this.setSelected(item.cursor, false);
    this.events.select(item);
  }
}
