/**
 * `window.__podsniff` for end-to-end tests and debugging: inject rows straight into the table's buffer
 * (to measure the table at 100k rows without a 100k-entry capture) and read its size.
 */
import type { RowStore } from './state/row-store.js';
import type { EntryListItem } from './types.js';

export interface TestHook {
  ingest(items: readonly EntryListItem[]): number;
  rows(): number;
  capacity(): number;
}

declare global {
  interface Window {
    __podsniff?: TestHook;
  }
}

export function installTestHook(store: RowStore): void {
  window.__podsniff = {
    ingest: (items) => (store.upsert(items), store.size),
    rows: () => store.size,
    capacity: () => store.capacity,
  };
}
