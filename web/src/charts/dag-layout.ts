// Layout of the learned DAG for the network view, computed in TypeScript (Vega-Lite has no graph
// layout): channels ordered so that most edge weight flows forward, then placed on a circle
// (clockwise from the top) or in layers by longest path (left to right). Coordinates are in
// [-1, 1] on both axes; the chart maps them with fixed domains.

export interface DagEdge {
  source: number;
  target: number;
  strength: number;
}

export interface LayoutNode {
  index: number;
  name: string;
  x: number;
  y: number;
  /** Layer (layered layout) or position in the order (circle layout). */
  layer: number;
  /** Where the label goes and how it is aligned. */
  labelX: number;
  labelY: number;
  align: 'left' | 'right' | 'center';
  baseline: 'middle' | 'top' | 'bottom';
}

export interface LayoutEdge extends DagEdge {
  from: string;
  to: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface DagLayout {
  mode: 'circle' | 'layered';
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  /** Channel indices in flow order (sources first). */
  order: number[];
}

export interface LayoutOptions {
  mode?: 'circle' | 'layered';
  /** Edges weaker than this are left out entirely (default 0.05). */
  minStrength?: number;
  /** Edges at least this strong shape the order and the layers (default 0.3). */
  layoutThreshold?: number;
}

/** Off-diagonal edges with strength ≥ min, strongest first. adjacency is [from*C + to]. */
export function edgeList(adjacency: ArrayLike<number>, C: number, min = 0): DagEdge[] {
  const out: DagEdge[] = [];
  for (let a = 0; a < C; a++)
    for (let b = 0; b < C; b++) {
      if (a === b) continue;
      const s = adjacency[a * C + b];
      if (Number.isFinite(s) && s >= min && s > 0) out.push({ source: a, target: b, strength: s });
    }
  out.sort((p, q) => q.strength - p.strength || p.source - q.source || p.target - q.target);
  return out;
}

/**
 * An order of the nodes in which as much edge weight as possible points forward (a greedy
 * weighted feedback-arc heuristic: peel off sinks to the back and sources to the front, otherwise
 * move the node with the largest out-minus-in weight to the front). Ties keep channel order.
 */
export function flowOrder(C: number, edges: DagEdge[]): number[] {
  const alive = new Array<boolean>(C).fill(true);
  const outW = new Float64Array(C);
  const inW = new Float64Array(C);
  for (const e of edges) {
    outW[e.source] += e.strength;
    inW[e.target] += e.strength;
  }
  const front: number[] = [];
  const back: number[] = [];
  const remove = (v: number) => {
    alive[v] = false;
    for (const e of edges) {
      if (e.source === v && alive[e.target]) inW[e.target] -= e.strength;
      if (e.target === v && alive[e.source]) outW[e.source] -= e.strength;
    }
  };
  const eps = 1e-12;
  let left = C;
  while (left > 0) {
    let moved = true;
    while (moved) {
      moved = false;
      for (let v = C - 1; v >= 0; v--)
        if (alive[v] && outW[v] <= eps && inW[v] > eps) {
          back.unshift(v);
          remove(v);
          left--;
          moved = true;
        }
      for (let v = 0; v < C; v++)
        if (alive[v] && inW[v] <= eps && outW[v] > eps) {
          front.push(v);
          remove(v);
          left--;
          moved = true;
        }
    }
    if (left === 0) break;
    let best = -1;
    let bestScore = -Infinity;
    for (let v = 0; v < C; v++) {
      if (!alive[v]) continue;
      const score = outW[v] - inW[v];
      if (score > bestScore + eps) {
        best = v;
        bestScore = score;
      }
    }
    front.push(best);
    remove(best);
    left--;
  }
  return [...front, ...back];
}

function circle(names: string[], order: number[]): LayoutNode[] {
  const C = names.length;
  const nodes = new Array<LayoutNode>(C);
  order.forEach((v, k) => {
    const th = -Math.PI / 2 + (2 * Math.PI * k) / Math.max(1, C);
    const x = Math.cos(th);
    const y = -Math.sin(th); // clockwise on screen (y up in the chart)
    const align = Math.abs(x) < 0.2 ? 'center' : x > 0 ? 'left' : 'right';
    const baseline = Math.abs(x) < 0.2 ? (y > 0 ? 'bottom' : 'top') : 'middle';
    nodes[v] = { index: v, name: names[v], x, y, layer: k, labelX: x * 1.14, labelY: y * 1.14, align, baseline };
  });
  return nodes;
}

function layered(names: string[], order: number[], edges: DagEdge[]): LayoutNode[] {
  const C = names.length;
  const pos = new Array<number>(C);
  order.forEach((v, k) => (pos[v] = k));
  const forward = edges.filter((e) => pos[e.source] < pos[e.target]);
  const layer = new Array<number>(C).fill(0);
  for (const v of order) for (const e of forward) if (e.target === v) layer[v] = Math.max(layer[v], layer[e.source] + 1);
  const L = Math.max(...layer, 0) + 1;
  const byLayer: number[][] = Array.from({ length: L }, () => []);
  for (const v of order) byLayer[layer[v]].push(v);
  const y = new Array<number>(C).fill(0);
  byLayer.forEach((vs, l) => {
    if (l > 0) {
      // Barycentre of predecessors keeps edges short; nodes without predecessors keep their order.
      const bary = new Map<number, number>();
      for (const v of vs) {
        let s = 0;
        let w = 0;
        for (const e of forward) if (e.target === v && layer[e.source] < l) (s += y[e.source] * e.strength), (w += e.strength);
        bary.set(v, w > 0 ? s / w : 0);
      }
      vs.sort((a, b) => (bary.get(b) ?? 0) - (bary.get(a) ?? 0) || pos[a] - pos[b]);
    }
    vs.forEach((v, i) => (y[v] = vs.length === 1 ? 0 : 0.9 - (1.8 * i) / (vs.length - 1)));
  });
  return Array.from({ length: C }, (_, v) => {
    const x = L === 1 ? 0 : -0.9 + (1.8 * layer[v]) / (L - 1);
    return { index: v, name: names[v], x, y: y[v], layer: layer[v], labelX: x, labelY: y[v] - 0.1, align: 'center', baseline: 'top' };
  });
}

export function layoutDag(names: string[], adjacency: ArrayLike<number>, options: LayoutOptions = {}): DagLayout {
  const C = names.length;
  const mode = options.mode ?? 'circle';
  const minStrength = options.minStrength ?? 0.05;
  const all = edgeList(adjacency, C, minStrength);
  const strong = all.filter((e) => e.strength >= (options.layoutThreshold ?? 0.3));
  const order = flowOrder(C, strong.length ? strong : all);
  const nodes = mode === 'layered' ? layered(names, order, strong) : circle(names, order);
  const edges: LayoutEdge[] = all.map((e) => ({
    ...e,
    from: names[e.source],
    to: names[e.target],
    x1: nodes[e.source].x,
    y1: nodes[e.source].y,
    x2: nodes[e.target].x,
    y2: nodes[e.target].y,
  }));
  return { mode, nodes, edges, order };
}
