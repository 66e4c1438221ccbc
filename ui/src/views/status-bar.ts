/** The status bar: stream state, mode and source, capture/replay counters, scan progress, rows held. */
import { h, replaceChildren } from '../lib/dom.js';
import { formatBytes, formatCount } from '../lib/format.js';
import type { FeedState } from '../state/live-feed.js';
import type { OverviewState } from '../state/overview.js';
import type { RowStore } from '../state/row-store.js';
import type { LocalStatus } from '../types.js';

function sourceText(s: LocalStatus): string {
  if (s.mode === 'replay') {
    const r = s.replay;
    const progress = r ? (r.done ? `done, ${formatCount(r.packets)} packets` : `${formatCount(r.packets)} packets…`) : '';
    return `replay ${s.source} (${progress})`;
  }
  const c = s.capture;
  return `live on ${s.source}${c ? ` · ${formatCount(c.packets)} packets${c.dropped ? `, ${formatCount(c.dropped)} dropped` : ''}` : ''}`;
}

/** The capture is down (its interface went away) and being retried: say so, in red. */
function captureProblem(s: LocalStatus): HTMLElement | null {
  const c = s.capture;
  if (!c || c.phase !== 'failed') return null;
  return h('span', { class: 'status-error', 'data-testid': 'capture-failed', title: c.reason ?? '' }, c.reason ?? 'capture stopped');
}

function scanText(s: LocalStatus): string | null {
  const sc = s.scan;
  if (!sc || sc.phase === 'done') return null;
  return `scan ${sc.phase} ${sc.namespacesDone}/${sc.namespacesTotal} netns`;
}

export class StatusBar {
  readonly el = h('footer', { class: 'status-bar', 'data-testid': 'status-bar' });

  render(feed: FeedState, o: OverviewState, store: RowStore): void {
    const s = o.status;
    const stream = o.unreachable ? 'unreachable' : feed.paused ? 'paused' : feed.stream;
    const items = [
      h('span', { class: `dot ${stream}`, 'data-testid': 'stream-state', title: `stream: ${stream}` }, stream),
      s ? h('span', {}, sourceText(s)) : null,
      s ? captureProblem(s) : null,
      s && scanText(s) ? h('span', { 'data-testid': 'scan-progress' }, scanText(s)) : null,
      s ? h('span', {}, `store ${formatCount(s.store.entries)} entries, ${formatBytes(s.store.bytes)}${s.store.dropped ? `, ${formatCount(s.store.dropped)} evicted` : ''}`) : null,
      h('span', { 'data-testid': 'row-count' }, `${formatCount(store.size)} rows${store.droppedOldest ? ` (${formatCount(store.droppedOldest)} oldest dropped)` : ''}`),
    ];
    replaceChildren(this.el, ...items);
  }
}
