/**
 * Shapes shared by the list implementation (list.ts, list-scan.ts): the work bounds of a call, the
 * state of a page being filled, and what reading one cursor window yields. Internal to the store.
 */
import type { EntryListItem } from '../model/index.js';

/** Work bounds of one list call; `now` is a monotonic clock in ms. */
export interface ListLimits {
  /** Cursors in the first window; each next window is 4× wider, up to `maxWindow`. */
  readonly firstWindow: number;
  readonly maxWindow: number;
  /** No new window starts (and a scan stops) after this long. */
  readonly timeBudgetMs: number;
  /** JSON characters a non-exact scan may parse (bounds time when entries carry big bodies). */
  readonly textBudget: number;
  readonly now: () => number;
}

/** Where a page stands while windows are read; the page owns `items`. */
export interface PageState {
  readonly items: EntryListItem[];
  /** The oldest cursor a scan examined so far, or null. */
  lastExamined: number | null;
}

/** What a window says: go on, the page is full (`before` known), or the scan budget ran out. */
export type WindowOutcome = { readonly kind: 'more' } | { readonly kind: 'full'; readonly before: number } | { readonly kind: 'budget' };
