/** The traffic toolbar: pause/resume with the count of held rows, clear, jump to newest, and the tabs. */
import { h } from '../lib/dom.js';
import type { FeedState } from '../state/live-feed.js';

export type Tab = 'traffic' | 'map';

export interface ToolbarEvents {
  togglePause(): void;
  clear(): void;
  top(): void;
  tab(tab: Tab): void;
}

export class Toolbar {
  readonly el: HTMLElement;
  private readonly pause: HTMLButtonElement;
  private readonly tabs: Record<Tab, HTMLButtonElement>;
  private readonly actions: HTMLElement;

  constructor(events: ToolbarEvents) {
    this.pause = h('button', { class: 'btn', type: 'button', 'data-testid': 'pause', title: 'Pause the live table (rows keep arriving, counted)', onclick: () => events.togglePause() }, 'Pause');
    const clear = h('button', { class: 'btn', type: 'button', 'data-testid': 'clear', title: 'Empty the table', onclick: () => events.clear() }, 'Clear');
    const top = h('button', { class: 'btn', type: 'button', 'data-testid': 'newest', title: 'Scroll to the newest row and follow', onclick: () => events.top() }, '⤒ Newest');
    this.tabs = {
      traffic: h('button', { class: 'tab active', type: 'button', role: 'tab', 'data-testid': 'tab-traffic', onclick: () => events.tab('traffic') }, 'Traffic'),
      map: h('button', { class: 'tab', type: 'button', role: 'tab', 'data-testid': 'tab-map', onclick: () => events.tab('map') }, 'Service map'),
    };
    this.actions = h('div', { class: 'toolbar-actions' }, this.pause, top, clear);
    this.el = h('div', { class: 'toolbar' }, h('div', { class: 'tabs', role: 'tablist' }, this.tabs.traffic, this.tabs.map), h('div', { class: 'spacer' }), this.actions);
  }

  render(feed: FeedState): void {
    this.pause.textContent = feed.paused ? `Resume${feed.pending ? ` (${feed.pending.toLocaleString('en-US')} new)` : ''}` : 'Pause';
    this.pause.classList.toggle('active', feed.paused);
  }

  setTab(tab: Tab): void {
    for (const [name, el] of Object.entries(this.tabs)) el.classList.toggle('active', name === tab);
    this.actions.hidden = tab !== 'traffic';
  }
}
