/** Keyboard: `/` focuses the filter, Escape closes the detail pane, ↑/↓ move the selected row. */

export interface KeyboardActions {
  focusFilter(): void;
  detailOpen(): boolean;
  closeDetail(): void;
  moveSelection(delta: number): void;
}

function typing(ev: KeyboardEvent): boolean {
  const t = ev.target as HTMLElement | null;
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable);
}

export function bindKeyboard(actions: KeyboardActions): void {
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev)) return;
    if (ev.key === '/') {
      ev.preventDefault();
      actions.focusFilter();
    } else if (ev.key === 'Escape' && actions.detailOpen()) {
      actions.closeDetail();
    } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      actions.moveSelection(ev.key === 'ArrowDown' ? 1 : -1);
    }
  });
}
