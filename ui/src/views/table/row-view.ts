/** A recycled table row: built once with one cell per column, refilled when it shows another entry. */
import { h } from '../../lib/dom.js';
import type { FieldCatalog } from '../../state/field-catalog.js';
import type { EntryListItem } from '../../types.js';
import { plusClause } from '../plus.js';
import { COLUMNS } from './columns.js';

export const ROW_HEIGHT = 26;

interface CellParts {
  readonly cell: HTMLElement;
  readonly value: HTMLElement;
  readonly plus: HTMLButtonElement;
}

export class RowView {
  readonly el: HTMLElement;
  item: EntryListItem | null = null;
  index = -1;
  private visible = true;
  private readonly cells: CellParts[];

  constructor(private readonly catalog: FieldCatalog) {
    this.cells = COLUMNS.map((col) => {
      const value = h('span', { class: 'v' });
      const plus = h('button', { class: 'plus', type: 'button', tabindex: -1 }, '+');
      const cell = h('div', { class: 'cell', 'data-col': col.key, role: 'cell' }, value, plus);
      if (col.align) cell.style.textAlign = col.align;
      return { cell, value, plus };
    });
    this.el = h('div', { class: 'row', role: 'row', 'data-testid': 'row' }, ...this.cells.map((c) => c.cell));
  }

  /** Places the row at `index` and shows `item` (refilled only when the item object changed). */
  show(index: number, item: EntryListItem, selected: boolean): void {
    if (this.index !== index) {
      this.index = index;
      this.el.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    }
    this.el.classList.toggle('selected', selected);
    this.el.classList.toggle('odd', index % 2 === 1);
    if (this.item === item) return;
    this.item = item;
    this.el.dataset.cursor = String(item.cursor);
    this.el.dataset.id = item.id;
    COLUMNS.forEach((col, i) => this.fillCell(this.cells[i], col.cell(item)));
  }

  hide(): void {
    if (!this.visible) return;
    this.visible = false;
    this.el.style.display = 'none';
    delete this.el.dataset.id;
    delete this.el.dataset.cursor;
    this.item = null;
    this.index = -1;
  }

  unhide(): void {
    if (this.visible) return;
    this.visible = true;
    this.el.style.display = '';
  }

  private fillCell(parts: CellParts | undefined, content: ReturnType<(typeof COLUMNS)[number]['cell']>): void {
    if (!parts) return;
    parts.value.textContent = content.text;
    parts.cell.className = content.cls ? `cell ${content.cls}` : 'cell';
    parts.cell.title = content.title ?? '';
    const clause = content.plus ? plusClause(this.catalog, content.plus) : null;
    parts.plus.hidden = clause === null;
    if (clause) {
      parts.plus.dataset.plus = clause;
      parts.plus.title = `Filter: && ${clause}`;
    }
  }
}
