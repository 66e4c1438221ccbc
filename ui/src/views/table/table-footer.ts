/** The row under the last table row: "load older entries", or why there is nothing more. */
import { h, replaceChildren } from '../../lib/dom.js';
import { formatCount } from '../../lib/format.js';
import type { FeedState } from '../../state/live-feed.js';
import type { RowStore } from '../../state/row-store.js';

export function renderFooter(el: HTMLElement, feed: FeedState, store: RowStore, loadOlder: () => void): void {
  if (store.size === 0) return replaceChildren(el);
  if (store.size >= store.capacity) return replaceChildren(el, `Showing the newest ${formatCount(store.capacity)} rows; older ones were dropped from this view (narrow the filter to see them).`);
  if (feed.loadingOlder) return replaceChildren(el, 'Loading older entries…');
  if (!feed.hasOlder && !feed.olderIncomplete) return replaceChildren(el, 'No older entries.');
  const label = feed.olderIncomplete ? 'The server stopped at its scan budget — load more' : 'Load older entries';
  replaceChildren(el, h('button', { class: 'btn', type: 'button', 'data-testid': 'load-more', onclick: loadOlder }, label));
}
