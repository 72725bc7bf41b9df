// View 10: heatmap of the learned DAG adjacency (row = cause, column = effect).
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { formatFixed } from '../format/number';
import { edgeList } from './dag-layout';
import { asSpec, frame } from './spec';
import { num } from './theme';
import type { ViewOptions } from './types';

export function dagHeatmapSpec(results: ModelResults, _options?: ViewOptions): TopLevelSpec {
  const C = results.shape.channels;
  const names = results.channelNames;
  const rows: Record<string, unknown>[] = [];
  for (let a = 0; a < C; a++)
    for (let b = 0; b < C; b++)
      rows.push({ from: names[a], to: names[b], strength: a === b ? null : num(results.adjacency[a * C + b]), label: a === b || !(results.adjacency[a * C + b] >= 0.005) ? '' : formatFixed(results.adjacency[a * C + b], 2) });
  const strongest = edgeList(results.adjacency, C, 0).slice(0, 3);
  const mode = results.dagMode === 'triangular' ? 'ordered (triangular) DAG' : 'NOTEARS-constrained DAG';
  const cell = C <= 12 ? 40 : C <= 25 ? 24 : 14;
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'rect', stroke: '#ffffff', strokeWidth: C <= 25 ? 1 : 0 },
      encoding: {
        color: {
          field: 'strength',
          type: 'quantitative',
          title: 'Strength',
          scale: { scheme: 'blues', domain: [0, 1] },
          legend: { orient: 'right', gradientLength: 160 },
        },
        tooltip: [
          { field: 'from', type: 'nominal', title: 'From (cause)' },
          { field: 'to', type: 'nominal', title: 'To (effect)' },
          { field: 'strength', type: 'quantitative', format: '.3f', title: 'Strength' },
        ],
      },
    },
  ];
  if (C <= 12)
    layers.push({
      mark: { type: 'text', fontSize: 11 },
      encoding: {
        text: { field: 'label', type: 'nominal' },
        color: { condition: { test: 'datum.strength > 0.55', value: '#ffffff' }, value: '#1d232b' },
      },
    });
  return asSpec({
    ...frame({
      id: 'dag-heatmap',
      title: 'Learned channel-to-channel influence (DAG adjacency)',
      subtitle: `Row channel drives column channel; ${mode}; 0 = no edge, 1 = strongest`,
      description:
        `Heatmap of the learned ${C} × ${C} adjacency between media channels (${mode}). ` +
        (strongest.length
          ? `Strongest edges: ${strongest.map((e) => `${names[e.source]} → ${names[e.target]} ${formatFixed(e.strength, 2)}`).join(', ')}.`
          : 'No edges were learned.'),
      datasets: { main: rows },
      height: Math.max(160, cell * C),
    }),
    data: { name: 'main' },
    encoding: {
      y: { field: 'from', type: 'nominal', sort: names, title: 'From (cause)' },
      x: { field: 'to', type: 'nominal', sort: names, title: 'To (effect)', axis: { orient: 'top', labelAngle: C > 8 ? -40 : 0, labelAlign: C > 8 ? 'left' : 'center' } },
    },
    layer: layers,
  });
}
