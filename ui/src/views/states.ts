/**
 * What to tell the user when the table has nothing to show, and the banner for an unreachable server.
 * `emptyState` is pure: feed state + overview → a message that says what to do.
 */
import { h, replaceChildren, type Child } from '../lib/dom.js';
import { formatCount } from '../lib/format.js';
import type { FeedState } from '../state/live-feed.js';
import { POLL_MS, type OverviewState } from '../state/overview.js';

export interface StateMessage {
  readonly kind: 'loading' | 'unreachable' | 'no-match' | 'replaying' | 'replay-empty' | 'replay-error' | 'no-traffic' | 'scan' | 'error';
  readonly title: string;
  readonly detail: Child[];
  readonly clearFilter?: boolean;
}

function scanText(o: OverviewState): string | null {
  const s = o.status?.scan;
  if (!s || s.phase === 'done') return null;
  return `Socket scan ${s.phase}: ${s.namespacesDone}/${s.namespacesTotal} network namespaces (pods are attributed as the scan covers them).`;
}

function replayState(o: OverviewState): StateMessage | null {
  const st = o.status;
  const r = st?.replay;
  if (!st || !r) return null;
  if (r.error) return { kind: 'replay-error', title: `Replay of ${st.source} failed`, detail: [r.error] };
  if (!r.done) return { kind: 'replaying', title: `Replaying ${st.source}…`, detail: [`${formatCount(r.packets)} packets read, ${formatCount(r.entries)} entries so far.`] };
  if (st.store.entries === 0) return { kind: 'replay-empty', title: `Replay of ${st.source} finished: no API calls found`, detail: [`${formatCount(r.packets)} packets read. podsniff dissects HTTP/1.x and DNS; other traffic gives no entries.`] };
  return null;
}

/** The message for an empty table, or null when rows exist. */
export function emptyState(feed: FeedState, o: OverviewState, rows: number): StateMessage | null {
  if (rows > 0) return null;
  if (o.unreachable && !o.status) return { kind: 'unreachable', title: 'Cannot reach the podsniff server', detail: [`Retrying every ${POLL_MS / 1000} s…`] };
  if (feed.phase === 'loading' || (feed.phase === 'idle' && !o.status)) return { kind: 'loading', title: 'Loading entries…', detail: [] };
  if (feed.error) return { kind: 'error', title: 'Could not load entries', detail: [feed.error.message] };
  const stored = o.status?.store.entries ?? 0;
  if (feed.q && stored > 0) return { kind: 'no-match', title: `No entries match “${feed.q}”`, detail: [`${formatCount(stored)} entries are stored. `], clearFilter: true };
  const replay = replayState(o);
  if (replay) return replay;
  const scan = scanText(o);
  const device = o.status?.source ?? 'the capture device';
  return {
    kind: 'no-traffic',
    title: 'No traffic yet',
    detail: [
      'Generate some requests, e.g. ',
      h('code', {}, 'curl http://<pod-ip>:<port>/'),
      ` or `,
      h('code', {}, 'dig @<dns-ip> kubernetes.default.svc.cluster.local'),
      `. Capturing on ${device}.`,
      scan ? h('div', {}, scan) : null,
    ],
  };
}

export class StateView {
  readonly el = h('div', { class: 'state', 'data-testid': 'empty-state', hidden: true });

  constructor(private readonly onClearFilter: () => void) {}

  show(msg: StateMessage | null): void {
    this.el.hidden = msg === null;
    if (!msg) return;
    this.el.dataset.kind = msg.kind;
    const clear = msg.clearFilter ? h('button', { class: 'btn', type: 'button', 'data-testid': 'clear-filter', onclick: () => this.onClearFilter() }, 'Clear the filter') : null;
    replaceChildren(this.el, h('h2', {}, msg.title), h('p', {}, ...msg.detail, clear));
  }
}

/** The top banner: server unreachable (even with rows shown), replay/capture errors. */
export function bannerText(o: OverviewState): string | null {
  if (o.unreachable) return `Cannot reach the podsniff server at ${location.host} — retrying…`;
  if (o.error && !o.unreachable) return `Server error: ${o.error.message}`;
  if (o.status?.replay?.error) return `Replay error: ${o.status.replay.error}`;
  if (o.status?.notice) return o.status.notice;
  return null;
}
