/**
 * Deterministic layered layout of a service map: clients only on the left, nodes that both call and
 * are called in the middle, servers only on the right; each column sorted by label. Edges are quadratic
 * curves between node borders, bent apart when several join the same pair of nodes.
 */
import type { ServiceEdge, ServiceMap, ServiceNode } from '../../types.js';

export const NODE_H = 32;
const COL_GAP = 260;
const ROW_GAP = 56;
const PAD = 24;
const CHAR_W = 7;

export interface NodeBox {
  readonly node: ServiceNode;
  readonly x: number;
  readonly y: number;
  readonly w: number;
}

export interface EdgePath {
  readonly edge: ServiceEdge;
  readonly d: string;
  readonly labelX: number;
  readonly labelY: number;
}

export interface MapLayout {
  readonly nodes: readonly NodeBox[];
  readonly edges: readonly EdgePath[];
  readonly width: number;
  readonly height: number;
}

function columnOf(id: string, edges: readonly ServiceEdge[]): number {
  const out = edges.some((e) => e.source === id);
  const inn = edges.some((e) => e.target === id);
  return out && !inn ? 0 : out && inn ? 1 : 2;
}

function placeNodes(map: ServiceMap): { boxes: NodeBox[]; width: number; height: number } {
  const cols: ServiceNode[][] = [[], [], []];
  for (const n of map.nodes) cols[columnOf(n.id, map.edges)]?.push(n);
  const used = cols.filter((c) => c.length).map((c) => [...c].sort((a, b) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id)));
  const colW = used.map((c) => Math.max(...c.map((n) => nodeWidth(n))));
  const boxes: NodeBox[] = [];
  let x = PAD;
  used.forEach((col, ci) => {
    const w = colW[ci] ?? 0;
    col.forEach((node, ri) => boxes.push({ node, x: x + (w - nodeWidth(node)) / 2, y: PAD + ri * (NODE_H + ROW_GAP), w: nodeWidth(node) }));
    x += w + COL_GAP;
  });
  const rows = Math.max(0, ...used.map((c) => c.length));
  return { boxes, width: x - COL_GAP + PAD, height: PAD * 2 + rows * NODE_H + Math.max(0, rows - 1) * ROW_GAP };
}

export function nodeWidth(n: ServiceNode): number {
  return Math.max(90, n.label.length * CHAR_W + 24);
}

/** Where the ray from the box centre towards (dx, dy) leaves the box. */
function border(b: NodeBox, dx: number, dy: number): [number, number] {
  const cx = b.x + b.w / 2;
  const cy = b.y + NODE_H / 2;
  const t = Math.min(dx ? b.w / 2 / Math.abs(dx) : Infinity, dy ? NODE_H / 2 / Math.abs(dy) : Infinity);
  return Number.isFinite(t) ? [cx + dx * t, cy + dy * t] : [cx, cy];
}

function pairKey(e: ServiceEdge): string {
  return e.source < e.target ? `${e.source}\u0000${e.target}` : `${e.target}\u0000${e.source}`;
}

function edgePath(edge: ServiceEdge, a: NodeBox, b: NodeBox, bend: number): EdgePath {
  if (a === b) {
    const x = a.x + a.w;
    const y = a.y + NODE_H / 2;
    return { edge, d: `M${x},${y - 8} C${x + 60},${y - 50} ${x + 60},${y + 50} ${x},${y + 8}`, labelX: x + 50, labelY: y };
  }
  const [ax, ay] = [a.x + a.w / 2, a.y + NODE_H / 2];
  const [bx, by] = [b.x + b.w / 2, b.y + NODE_H / 2];
  const len = Math.hypot(bx - ax, by - ay) || 1;
  const [nx, ny] = [-(by - ay) / len, (bx - ax) / len];
  const [cx, cy] = [(ax + bx) / 2 + nx * bend, (ay + by) / 2 + ny * bend];
  const [sx, sy] = border(a, cx - ax, cy - ay);
  const [tx, ty] = border(b, cx - bx, cy - by);
  const f = (n: number) => n.toFixed(1);
  return { edge, d: `M${f(sx)},${f(sy)} Q${f(cx)},${f(cy)} ${f(tx)},${f(ty)}`, labelX: 0.25 * sx + 0.5 * cx + 0.25 * tx, labelY: 0.25 * sy + 0.5 * cy + 0.25 * ty };
}

export function layoutMap(map: ServiceMap): MapLayout {
  const { boxes, width, height } = placeNodes(map);
  const byId = new Map(boxes.map((b) => [b.node.id, b]));
  const seen = new Map<string, number>();
  const edges: EdgePath[] = [];
  for (const e of map.edges) {
    const a = byId.get(e.source);
    const b = byId.get(e.target);
    if (!a || !b) continue;
    const k = pairKey(e);
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    // Opposite directions bend to opposite sides (the normal flips with the direction).
    edges.push(edgePath(e, a, b, n * 28 + (hasReverse(map, e) ? 16 : 0)));
  }
  return { nodes: boxes, edges, width: Math.max(width, 320), height: Math.max(height + 40, 160) };
}

function hasReverse(map: ServiceMap, e: ServiceEdge): boolean {
  return map.edges.some((o) => o.source === e.target && o.target === e.source);
}
