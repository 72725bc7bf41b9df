// DAG layout (pure TS) and the network view's threshold slider, run headless.
import { describe, expect, it } from 'vitest';
import { edgeList, flowOrder, layoutDag } from '../../../web/src/charts/dag-layout';
import { DEFAULT_DAG_THRESHOLD, dagNetworkSpec } from '../../../web/src/charts/dag-network';
import { makeResults } from './fixture';
import { compileSpec, markItemCount, runView } from './helpers';

// A chain 0 → 1 → 2 → 3 plus a weak 3 → 0 back edge, written in shuffled channel order.
function chain(): { names: string[]; adj: Float32Array } {
  const names = ['C', 'A', 'D', 'B'];
  const C = 4;
  const adj = new Float32Array(C * C);
  const at = (a: string, b: string, s: number) => (adj[names.indexOf(a) * C + names.indexOf(b)] = s);
  at('A', 'B', 0.9);
  at('B', 'C', 0.8);
  at('C', 'D', 0.7);
  at('D', 'A', 0.1);
  return { names, adj };
}

describe('dag layout', () => {
  it('lists off-diagonal edges above the minimum, strongest first', () => {
    const { adj } = chain();
    const e = edgeList(adj, 4, 0.05);
    expect(e.map((x) => x.strength)).toEqual([...e.map((x) => x.strength)].sort((a, b) => b - a));
    expect(e).toHaveLength(4);
    expect(edgeList(adj, 4, 0.5)).toHaveLength(3);
    const self = new Float32Array([1, 0, 0, 1]);
    expect(edgeList(self, 2)).toEqual([]);
  });

  it('orders nodes so the strong edges point forward', () => {
    const { names, adj } = chain();
    const order = flowOrder(4, edgeList(adj, 4, 0.3)).map((i) => names[i]);
    expect(order).toEqual(['A', 'B', 'C', 'D']);
    // Cycles still give a full permutation.
    const cyc = flowOrder(3, [
      { source: 0, target: 1, strength: 1 },
      { source: 1, target: 2, strength: 1 },
      { source: 2, target: 0, strength: 0.5 },
    ]);
    expect([...cyc].sort()).toEqual([0, 1, 2]);
    expect(flowOrder(3, [])).toEqual([0, 1, 2]);
  });

  it('circle layout: nodes on the unit circle, edges joining their nodes', () => {
    const { names, adj } = chain();
    const l = layoutDag(names, adj, { mode: 'circle' });
    expect(l.nodes).toHaveLength(4);
    for (const n of l.nodes) expect(Math.hypot(n.x, n.y)).toBeCloseTo(1, 6);
    // First in flow order at the top.
    expect(l.nodes[names.indexOf('A')].y).toBeCloseTo(1, 6);
    for (const e of l.edges) {
      expect(e.x1).toBe(l.nodes[e.source].x);
      expect(e.y2).toBe(l.nodes[e.target].y);
      expect(e.from).toBe(names[e.source]);
    }
  });

  it('layered layout: strong edges go left to right', () => {
    const { names, adj } = chain();
    const l = layoutDag(names, adj, { mode: 'layered', layoutThreshold: 0.3 });
    for (const e of l.edges) if (e.strength >= 0.3) expect(l.nodes[e.target].x).toBeGreaterThan(l.nodes[e.source].x);
    for (const n of l.nodes) {
      expect(Math.abs(n.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(n.y)).toBeLessThanOrEqual(1);
    }
  });
});

describe('dag network view', () => {
  it('draws the edges at or above the slider threshold, with one arrowhead each', async () => {
    const results = makeResults({ channels: 7 });
    const spec = dagNetworkSpec(results);
    const params = (spec as { params?: { name: string; value: number; bind?: { input: string } }[] }).params ?? [];
    expect(params[0]).toMatchObject({ name: 'threshold', value: DEFAULT_DAG_THRESHOLD, bind: { input: 'range' } });
    const { vg } = compileSpec(spec);
    const view = await runView(vg);
    const count = () => markItemCount(view).byType;
    const strengths = Array.from(results.adjacency).filter((v, i) => Math.floor(i / 7) !== i % 7);
    const expected = (t: number) => strengths.filter((s) => s >= t).length;
    expect(count().rule ?? 0).toBe(expected(DEFAULT_DAG_THRESHOLD));
    // Arrowheads + nodes are symbols.
    expect(count().symbol).toBe(expected(DEFAULT_DAG_THRESHOLD) + 7);
    for (const t of [0.05, 0.6, 1]) {
      view.signal('threshold', t);
      await view.runAsync();
      expect(count().rule ?? 0, `threshold ${t}`).toBe(expected(t));
    }
    view.finalize();
  });

  it('rotates arrowheads to point along their edge (pixel space)', async () => {
    // One horizontal edge left → right in the layered layout: the arrow points right (90°).
    const results = makeResults({ channels: 2, regions: 1 });
    results.adjacency.fill(0);
    results.adjacency[0 * 2 + 1] = 0.9;
    const spec = dagNetworkSpec(results, { layout: 'layered' });
    const view = await runView(compileSpec(spec).vg);
    const svg = await view.toSVG();
    expect(svg).toMatch(/rotate\(90\)/);
    view.finalize();
  });
});
