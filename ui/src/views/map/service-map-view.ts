/**
 * The service map tab: `GET /api/v1/servicemap?q=` drawn as SVG (nodes, arrowed edges labelled with
 * calls/s, errors and p95), refreshed on filter change and every few seconds while visible. Clicking an
 * edge narrows the filter to that pair of endpoints.
 */
import { fetchServiceMap } from '../../api/client.js';
import { h, replaceChildren, svg } from '../../lib/dom.js';
import { appendClause, clause } from '../../lib/filter-text.js';
import { formatCount, formatMs } from '../../lib/format.js';
import type { ServiceEdge, ServiceMap, ServiceNode } from '../../types.js';
import { NODE_H, layoutMap, type EdgePath, type NodeBox } from './layout.js';

const REFRESH_MS = 4000;

/** Two label lines: volume (`http · 12 calls · 0.50/s`), then health (`1 err · p95 3.85 ms`). */
export function edgeLabelLines(e: ServiceEdge): [string, string] {
  const rate = e.ratePerSec >= 10 ? e.ratePerSec.toFixed(0) : e.ratePerSec.toFixed(2);
  const p95 = e.latencyMs ? ` · p95 ${formatMs(e.latencyMs.p95)} ms` : '';
  return [`${e.protocol} · ${formatCount(e.calls)} calls · ${rate}/s`, `${formatCount(e.errors)} err${p95}`];
}

function nodeClause(side: 'src' | 'dst', n: ServiceNode | undefined): string | null {
  if (!n) return null;
  if (n.kind === 'pod' && n.pod) return clause(`${side}.pod.uid`, n.pod);
  return n.ip ? clause(`${side}.ip`, n.ip) : null;
}

export class ServiceMapView {
  readonly el: HTMLElement;
  private readonly canvas = h('div', { class: 'map-canvas', 'data-testid': 'map-canvas' });
  private readonly info = h('div', { class: 'map-info', 'data-testid': 'map-info' });
  private q = '';
  private timer: number | undefined;
  private visible = false;
  private nodes = new Map<string, ServiceNode>();

  constructor(private readonly onFilter: (q: string) => void) {
    this.el = h('div', { class: 'map-view', 'data-testid': 'service-map', hidden: true }, this.info, this.canvas);
  }

  setQuery(q: string): void {
    this.q = q;
    if (this.visible) void this.refresh();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.el.hidden = !visible;
    window.clearTimeout(this.timer);
    if (visible) void this.refresh();
  }

  private async refresh(): Promise<void> {
    window.clearTimeout(this.timer);
    const q = this.q;
    try {
      const map = await fetchServiceMap(q);
      if (q === this.q && this.visible) this.draw(map);
    } catch (err) {
      this.info.textContent = `Could not load the service map: ${(err as Error).message} — retrying.`;
    }
    if (this.visible) this.timer = window.setTimeout(() => void this.refresh(), REFRESH_MS);
  }

  private draw(map: ServiceMap): void {
    this.nodes = new Map(map.nodes.map((n) => [n.id, n]));
    const w = map.window;
    this.info.textContent = map.nodes.length
      ? `${map.nodes.length} nodes, ${map.edges.length} edges, from the newest ${formatCount(w.entries)} matching entries${w.truncated ? ' (window truncated)' : ''}. Click an edge to filter to it.`
      : `No calls match ${this.q ? `“${this.q}”` : 'yet'} — the map fills as traffic arrives.`;
    if (!map.nodes.length) return replaceChildren(this.canvas);
    const layout = layoutMap(map);
    const root = svg('svg', { class: 'map', width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`, 'data-testid': 'map-svg' }, defs(), ...layout.edges.map((e) => this.edge(e)), ...layout.nodes.map(nodeEl));
    replaceChildren(this.canvas, root);
  }

  private edge(p: EdgePath): SVGElement {
    const e = p.edge;
    const cls = e.errors > 0 ? 'edge has-errors' : 'edge';
    const [line1, line2] = edgeLabelLines(e);
    const label = `${line1} · ${line2}`;
    const g = svg(
      'g',
      { class: cls, 'data-testid': 'map-edge', 'data-source': e.source, 'data-target': e.target, 'data-protocol': e.protocol },
      svg('title', {}, label),
      svg('path', { d: p.d, class: 'edge-hit' }),
      svg('path', { d: p.d, class: 'edge-line', 'marker-end': 'url(#arrow)' }),
      svg(
        'text',
        { x: p.labelX, y: p.labelY - 18, class: 'edge-label', 'text-anchor': 'middle', 'data-testid': 'map-edge-label' },
        svg('tspan', { x: p.labelX, dy: 0 }, line1),
        svg('tspan', { x: p.labelX, dy: 13 }, line2),
      ),
    );
    g.addEventListener('click', () => this.filterTo(e));
    return g;
  }

  private filterTo(e: ServiceEdge): void {
    const a = nodeClause('src', this.nodes.get(e.source));
    const b = nodeClause('dst', this.nodes.get(e.target));
    if (a && b) this.onFilter(appendClause(this.q, `${a} && ${b}`));
  }
}

function defs(): SVGElement {
  return svg(
    'defs',
    {},
    svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' })),
  );
}

function nodeEl(b: NodeBox): SVGElement {
  const n = b.node;
  return svg(
    'g',
    { class: `node ${n.kind}`, 'data-testid': 'map-node', 'data-id': n.id },
    svg('title', {}, [n.kind, n.pod && `pod ${n.pod}`, n.process && `process ${n.process}`, n.ip && `ip ${n.ip}`].filter(Boolean).join('\n')),
    svg('rect', { x: b.x, y: b.y, width: b.w, height: NODE_H, rx: 6 }),
    svg('text', { x: b.x + b.w / 2, y: b.y + NODE_H / 2 + 4, 'text-anchor': 'middle', 'data-testid': 'map-node-label' }, n.label),
  );
}
