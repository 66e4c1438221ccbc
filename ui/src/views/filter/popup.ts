/** A dropdown list under the filter input (completion and history): highlight with ↑/↓, pick by click or Enter. */
import { h, replaceChildren } from '../../lib/dom.js';

export interface PopupItem {
  readonly label: string;
  readonly detail?: string;
  readonly value: string;
}

export class Popup {
  readonly el: HTMLElement;
  private items: readonly PopupItem[] = [];
  /** Highlighted item; -1 until the user moves with ↑/↓ (so Enter still applies the typed text). */
  private active = -1;

  constructor(
    testId: string,
    private readonly onPick: (item: PopupItem) => void,
  ) {
    this.el = h('ul', { class: 'popup', role: 'listbox', 'data-testid': testId, hidden: true });
    this.el.addEventListener('mousedown', (ev) => this.onMouseDown(ev));
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  show(items: readonly PopupItem[]): void {
    this.items = items;
    this.active = -1;
    this.el.hidden = items.length === 0;
    this.draw();
  }

  close(): void {
    this.el.hidden = true;
  }

  move(delta: number): void {
    const n = this.items.length;
    if (!n) return;
    this.active = this.active < 0 ? (delta > 0 ? 0 : n - 1) : (this.active + delta + n) % n;
    this.draw();
  }

  /** Picks the highlighted item (or, with `orFirst`, the first); false when nothing was picked. */
  pickActive(orFirst = false): boolean {
    const item = this.items[this.active < 0 && orFirst ? 0 : this.active];
    if (!this.open || !item) return false;
    this.close();
    this.onPick(item);
    return true;
  }

  private draw(): void {
    replaceChildren(
      this.el,
      ...this.items.map((it, i) =>
        h('li', { class: i === this.active ? 'active' : '', role: 'option', 'data-index': i }, h('span', { class: 'label' }, it.label), it.detail ? h('span', { class: 'detail' }, it.detail) : null),
      ),
    );
  }

  private onMouseDown(ev: MouseEvent): void {
    const li = (ev.target as Element).closest<HTMLElement>('li');
    const item = this.items[Number(li?.dataset.index)];
    if (!item) return;
    ev.preventDefault();
    this.close();
    this.onPick(item);
  }
}
