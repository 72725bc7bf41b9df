// View 7: stacked area of the contributions over time (baseline, seasonality, controls, channels),
// with the actual KPI as a line; or the media channels only.
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { matrix, resolveRange, series, timeAxis, topChannels } from './data';
import { asSpec, frame, hoverLayer, type HoverColumn, timeX, weekFields, wideHover } from './spec';
import { AXIS_NUM, INK, MAX_SERIES, OTHER_MEDIA, channelScale, componentScale, kpiLabel, num, numberFormat, periodLabel, regionLabel } from './theme';
import type { ViewOptions } from './types';

export function contributionsOverTimeSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const kpi = kpiLabel(options);
  const rg = resolveRange(results, options?.range);
  const region = options?.region ?? null;
  const mediaOnly = options?.components === 'media';
  const axis = timeAxis(results);
  const { channels: C, controls: K, weeks: T } = results.shape;
  const m = matrix(results, results.media, C, region);
  const comps: { name: string; values: Float64Array }[] = [];
  if (!mediaOnly) {
    comps.push({ name: 'Baseline', values: series(results, results.baseline, region) });
    comps.push({ name: 'Seasonality', values: series(results, results.seasonal, region) });
    if (K > 0) {
      const k = matrix(results, results.controls, K, region);
      const s = new Float64Array(T);
      for (let t = 0; t < T; t++) for (let j = 0; j < K; j++) s[t] += k[t * K + j];
      comps.push({ name: 'Controls', values: s });
    }
  }
  // The largest channels as their own series (in model order, so stacking matches the legend),
  // the rest grouped.
  const top = new Set(topChannels(results, rg, options?.maxSeries ?? MAX_SERIES, region));
  const rest = results.channelNames.length - top.size;
  const other = new Float64Array(T);
  results.channelNames.forEach((name, c) => {
    if (!top.has(c)) {
      for (let t = 0; t < T; t++) other[t] += m[t * C + c];
      return;
    }
    const s = new Float64Array(T);
    for (let t = 0; t < T; t++) s[t] = m[t * C + c];
    comps.push({ name, values: s });
  });
  const otherName = `Other media (${rest} channels)`;
  if (rest > 0) comps.push({ name: otherName, values: other });
  const baseScale = mediaOnly ? channelScale(results) : componentScale(results);
  const colorScale = rest > 0 ? { domain: [...baseScale.domain, otherName], range: [...baseScale.range, OTHER_MEDIA] } : baseScale;
  const rows: Record<string, unknown>[] = [];
  comps.forEach((comp, order) => {
    for (let t = rg.from; t < rg.to; t++) rows.push({ ...weekFields(axis, t), component: comp.name, order, contribution: num(comp.values[t]) });
  });
  const actual = series(results, results.actual, region);
  const pred = series(results, results.prediction, region);
  const mediaSum = new Float64Array(T);
  for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) mediaSum[t] += m[t * C + c];
  const fmt = numberFormat(mediaOnly ? mediaSum : pred);
  const cols: HoverColumn[] = [];
  if (!mediaOnly) cols.push({ title: `Actual ${kpi}`, values: actual, format: fmt }, { title: `Predicted ${kpi}`, values: pred, format: fmt });
  else cols.push({ title: `All media (${kpi})`, values: mediaSum, format: fmt });
  for (const c of [...comps].reverse()) cols.push({ title: c.name, values: c.values, format: fmt });
  const hover = wideHover(axis, rg, cols, num);
  const period = periodLabel(results.dates, rg.from, rg.to);
  const where = regionLabel(results, region);
  const layers: Record<string, unknown>[] = [
    {
      data: { name: 'main' },
      mark: { type: 'area', interpolate: 'monotone', opacity: 0.9 },
      encoding: {
        x: timeX(axis),
        y: { field: 'contribution', type: 'quantitative', stack: 'zero', title: `${kpi} per week`, axis: AXIS_NUM },
        color: {
          field: 'component',
          type: 'nominal',
          title: 'Component',
          scale: colorScale,
          sort: comps.map((c) => c.name),
          legend: { orient: 'right', values: comps.map((c) => c.name) },
        },
        order: { field: 'order', type: 'quantitative', sort: 'ascending' },
      },
    },
  ];
  if (!mediaOnly) {
    layers.push({
      data: { name: 'hover' },
      mark: { type: 'line', color: INK, strokeWidth: 1.5, interpolate: 'monotone' },
      encoding: { x: timeX(axis), y: { field: 'v0', type: 'quantitative' } },
    });
  }
  layers.push(hoverLayer(axis, hover.tooltip, 'hover'));
  const description =
    `Stacked area chart of weekly ${mediaOnly ? 'media contributions by channel' : 'contributions: baseline, seasonality, controls and media channels'} ` +
    `to ${kpi}, ${period}, ${where}, ${rg.to - rg.from} weeks.` +
    (mediaOnly ? '' : ` The black line is the actual ${kpi}. Negative components (e.g. seasonality in low weeks) stack below zero.`);
  return asSpec({
    ...frame({
      id: 'contributions-over-time',
      title: mediaOnly ? `Weekly media contribution by channel, ${period} (${kpi})` : `Weekly ${kpi} by component, ${period}`,
      subtitle: (mediaOnly ? where : `${where} · black line: actual ${kpi}`) + (rest > 0 ? ` · ${top.size} largest channels shown, ${rest} grouped` : ''),
      description,
      datasets: { main: rows, hover: hover.rows },
      height: 360,
    }),
    layer: layers,
  });
}
