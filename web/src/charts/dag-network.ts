// View 11: the learned DAG as a network. Channels are nodes (sized by contribution share), edges at
// or above the threshold are arrows with width by strength. The threshold is a Vega-Lite param
// bound to a range slider. The layout is computed in dag-layout.ts; arrowheads are triangle point
// marks placed and rotated in pixel space (the x and y scales differ with the container's width).
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { formatFixed } from '../format/number';
import { layoutDag } from './dag-layout';
import { asSpec, frame } from './spec';
import { INK, channelScale, num } from './theme';
import type { ViewOptions } from './types';

export const DEFAULT_DAG_THRESHOLD = 0.3;
/** Edges weaker than this are not in the data at all (the slider starts here). */
export const DAG_MIN_STRENGTH = 0.05;

const NODE_MIN = 260; // px² (point mark size = area)
const NODE_MAX = 1100;

// Pixel-space geometry of an edge, as Vega expressions.
const DX = "(scale('x', datum.x2) - scale('x', datum.x1))";
const DY = "(scale('y', datum.y2) - scale('y', datum.y1))";
const LEN = `max(sqrt(${DX} * ${DX} + ${DY} * ${DY}), 0.000001)`;

export function dagNetworkSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const names = results.channelNames;
  const C = names.length;
  const threshold = Math.min(1, Math.max(DAG_MIN_STRENGTH, options?.threshold ?? DEFAULT_DAG_THRESHOLD));
  const layout = layoutDag(names, results.adjacency, { mode: options?.layout ?? 'circle', minStrength: DAG_MIN_STRENGTH, layoutThreshold: threshold });
  const econ = new Map(results.economics.map((e) => [e.channel, e]));
  const maxShare = Math.max(1e-9, ...results.economics.map((e) => (Number.isFinite(e.share) ? e.share : 0)));
  const out = new Float64Array(C);
  const inn = new Float64Array(C);
  for (const e of layout.edges)
    if (e.strength >= threshold) {
      out[e.source]++;
      inn[e.target]++;
    }
  const size = (c: number) => {
    const s = econ.get(names[c])?.share;
    return NODE_MIN + (NODE_MAX - NODE_MIN) * Math.sqrt(Math.max(0, Number.isFinite(s) ? (s as number) : 0) / maxShare);
  };
  const nodes = layout.nodes.map((n) => ({
    channel: n.name,
    x: num(n.x),
    y: num(n.y),
    labelX: num(n.labelX),
    labelY: num(n.labelY),
    align: n.align,
    baseline: n.baseline,
    size: num(size(n.index)),
    share: num(econ.get(n.name)?.share ?? NaN),
    indirect: num(econ.get(n.name)?.indirect ?? NaN),
  }));
  const edges = layout.edges.map((e) => ({
    from: e.from,
    to: e.to,
    strength: num(e.strength),
    x1: num(e.x1),
    y1: num(e.y1),
    x2: num(e.x2),
    y2: num(e.y2),
    // Target node radius in px plus a gap, and the arrowhead's area in px².
    r: num(Math.sqrt(size(e.target) / Math.PI) + 2),
    head: num(90 + 160 * e.strength),
  }));
  const shown = layout.edges.filter((e) => e.strength >= threshold);
  const pad = layout.mode === 'circle' ? 1.5 : 1.15;
  const xs = { field: 'x', type: 'quantitative', scale: { domain: [-pad, pad], nice: false, zero: false }, axis: null, title: null };
  const ys = { field: 'y', type: 'quantitative', scale: { domain: [-1.25, 1.25], nice: false, zero: false }, axis: null, title: null };
  const filter = [{ filter: 'datum.strength >= threshold' }];
  const edgeTooltip = [
    { field: 'from', type: 'nominal', title: 'From' },
    { field: 'to', type: 'nominal', title: 'To' },
    { field: 'strength', type: 'quantitative', format: '.3f', title: 'Strength' },
  ];
  const description =
    `Network diagram of the learned causal graph between ${C} media channels (${results.dagMode === 'triangular' ? 'ordered DAG' : 'NOTEARS DAG'}). ` +
    `At threshold ${formatFixed(threshold, 2)} there are ${shown.length} edges` +
    (shown.length ? `; strongest: ${shown.slice(0, 3).map((e) => `${e.from} → ${e.to} (${formatFixed(e.strength, 2)})`).join(', ')}.` : '.') +
    ' A slider changes the threshold.';
  return asSpec({
    ...frame({
      id: 'dag-network',
      title: 'How channels drive each other (learned DAG)',
      subtitle: `Arrows: edges at or above the threshold (slider), width by strength · node size: share of media contribution`,
      description,
      datasets: { main: edges, nodes },
      height: 440,
    }),
    params: [
      {
        name: 'threshold',
        value: threshold,
        bind: { input: 'range', min: DAG_MIN_STRENGTH, max: 1, step: 0.01, name: 'Edge threshold ' },
      },
    ],
    layer: [
      {
        data: { name: 'main' },
        transform: filter,
        mark: { type: 'rule', strokeCap: 'round', opacity: 0.75 },
        encoding: {
          x: { ...xs, field: 'x1' },
          y: { ...ys, field: 'y1' },
          x2: { field: 'x2' },
          y2: { field: 'y2' },
          color: { field: 'from', type: 'nominal', scale: channelScale(results), legend: null },
          strokeWidth: {
            field: 'strength',
            type: 'quantitative',
            title: 'Edge strength',
            scale: { domain: [0, 1], range: [0.5, 7] },
            legend: { orient: 'bottom', direction: 'horizontal', values: [0.25, 0.5, 0.75, 1] },
          },
          tooltip: edgeTooltip,
        },
      },
      {
        data: { name: 'main' },
        transform: filter,
        mark: {
          type: 'point',
          shape: 'triangle-up',
          filled: true,
          opacity: 0.95,
          x: { expr: `scale('x', datum.x2) - ${DX} / ${LEN} * (datum.r + sqrt(datum.head) / 2)` },
          y: { expr: `scale('y', datum.y2) - ${DY} / ${LEN} * (datum.r + sqrt(datum.head) / 2)` },
          angle: { expr: `atan2(${DX}, -${DY}) * 180 / PI` },
        },
        encoding: {
          color: { field: 'from', type: 'nominal', scale: channelScale(results), legend: null },
          size: { field: 'head', type: 'quantitative', scale: null },
          tooltip: edgeTooltip,
        },
      },
      {
        data: { name: 'nodes' },
        mark: { type: 'point', filled: true, opacity: 1, stroke: '#ffffff', strokeWidth: 2 },
        encoding: {
          x: xs,
          y: ys,
          color: { field: 'channel', type: 'nominal', scale: channelScale(results), legend: null },
          size: { field: 'size', type: 'quantitative', scale: null },
          tooltip: [
            { field: 'channel', type: 'nominal', title: 'Channel' },
            { field: 'share', type: 'quantitative', format: '.1%', title: 'Share of media contribution' },
            { field: 'indirect', type: 'quantitative', format: ',.2~f', title: 'Caused via children (KPI)' },
          ],
        },
      },
      {
        data: { name: 'nodes' },
        mark: {
          type: 'text',
          fontSize: 12,
          fontWeight: 500,
          color: INK,
          align: { expr: 'datum.align' },
          baseline: { expr: 'datum.baseline' },
        },
        encoding: { x: { ...xs, field: 'labelX' }, y: { ...ys, field: 'labelY' }, text: { field: 'channel', type: 'nominal' } },
      },
    ],
  });
}
