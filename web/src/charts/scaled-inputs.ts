// View 13: the scaled inputs the model saw — media (sequential colour) and controls (diverging
// colour) as a heatmap of inputs × weeks (mean over regions, or one region).
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { matrix, resolveRange, timeAxis } from './data';
import { asSpec, frame, timeX, weekFields, weekTooltip } from './spec';
import { num, numberFormat, periodLabel, regionLabel } from './theme';
import type { ViewOptions } from './types';

/** Most heatmap cells drawn; beyond this, weeks are averaged in groups. */
export const MAX_CELLS = 8000;

export function scaledInputsSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const { channels: C, controls: K } = results.shape;
  const rg = resolveRange(results, options?.range);
  const region = options?.region ?? null;
  const axis = timeAxis(results);
  const m = matrix(results, results.scaledMedia, C, region, true);
  const k = matrix(results, results.scaledControls, K, region, true);
  const rows: Record<string, unknown>[] = [];
  const inputs: string[] = [];
  // Keep the heatmap under MAX_CELLS cells: average over groups of `bin` weeks when needed.
  const weeks = rg.to - rg.from;
  const bin = Math.max(1, Math.ceil(((C + K) * weeks) / MAX_CELLS));
  const add = (name: string, kind: 'media' | 'control', get: (t: number) => number) => {
    inputs.push(name);
    for (let t = rg.from; t < rg.to; t += bin) {
      const last = Math.min(rg.to, t + bin) - 1;
      let s = 0;
      for (let u = t; u <= last; u++) s += get(u);
      const row: Record<string, unknown> = { ...weekFields(axis, t), start: axis.start(t), end: axis.end(last), input: name, kind, value: num(s / (last - t + 1)) };
      if (bin > 1) row.weeks = last - t + 1;
      rows.push(row);
    }
  };
  results.channelNames.forEach((n, c) => add(n, 'media', (t) => m[t * C + c]));
  // Control names could repeat a channel name; keep the rows apart.
  results.controlNames.forEach((n, q) => add(inputs.includes(n) ? `${n} (control)` : n, 'control', (t) => k[t * K + q]));
  let maxAbsCtrl = 0;
  for (let i = 0; i < k.length; i++) maxAbsCtrl = Math.max(maxAbsCtrl, Math.abs(k[i]));
  const x = { ...timeX(axis, 'start'), title: axis.temporal ? 'Week' : 'Week number' };
  const y = { field: 'input', type: 'nominal', sort: inputs, title: null };
  const tooltip = [
    { field: 'input', type: 'nominal', title: 'Input' },
    weekTooltip(axis),
    ...(bin > 1 ? [{ field: 'weeks', type: 'quantitative', title: 'Weeks averaged' }] : []),
    { field: 'value', type: 'quantitative', format: numberFormat(m), title: bin > 1 ? 'Scaled value (mean)' : 'Scaled value' },
  ];
  const layers: Record<string, unknown>[] = [];
  if (C > 0)
    layers.push({
      transform: [{ filter: "datum.kind === 'media'" }, { calculate: 'datum.value', as: 'media' }],
      mark: { type: 'rect' },
      encoding: {
        x,
        x2: { field: 'end' },
        y,
        color: { field: 'media', type: 'quantitative', title: 'Media (scaled)', scale: { scheme: 'blues', zero: true }, legend: { orient: 'right', gradientLength: 120 } },
        tooltip,
      },
    });
  if (K > 0)
    layers.push({
      transform: [{ filter: "datum.kind === 'control'" }, { calculate: 'datum.value', as: 'control' }],
      mark: { type: 'rect' },
      encoding: {
        x,
        x2: { field: 'end' },
        y,
        fill: {
          field: 'control',
          type: 'quantitative',
          title: 'Controls (scaled)',
          scale: { scheme: 'purpleorange', domain: [-(maxAbsCtrl || 1), maxAbsCtrl || 1] },
          legend: { orient: 'right', gradientLength: 120 },
        },
        tooltip,
      },
    });
  const period = periodLabel(results.dates, rg.from, rg.to);
  const where = region === null ? `mean of ${results.shape.regions} regions` : regionLabel(results, region);
  return asSpec({
    ...frame({
      id: 'scaled-inputs',
      title: `Scaled inputs the model saw, ${period}`,
      subtitle: `${where} · media in blue (0 = none), controls purple–orange around 0` + (bin > 1 ? ` · each cell averages ${bin} weeks` : ''),
      description:
        `Heatmap of ${C} scaled media inputs and ${K} scaled controls (rows) by week (columns), ${period}, ${where}. ` +
        `Darker blue means more media activity relative to that channel's scale; controls are centred on 0.`,
      datasets: { main: rows },
      height: Math.max(100, Math.min(22, Math.max(10, 600 / Math.max(1, inputs.length))) * inputs.length),
    }),
    data: { name: 'main' },
    layer: layers,
  });
}
