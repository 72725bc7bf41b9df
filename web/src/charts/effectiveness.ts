// View 9: channel effectiveness — the distribution of each channel's coefficient across regions and
// weeks (after burn-in), as box plots computed in TypeScript.
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { boxStats, resolveRange } from './data';
import { asSpec, frame } from './spec';
import { channelScale, formatNumber, num, numberFormat, periodLabel } from './theme';
import type { ViewOptions } from './types';

export function coefficientBoxes(results: ModelResults, options?: ViewOptions) {
  const rg = resolveRange(results, options?.range);
  const { regions: R, weeks: T, channels: C } = results.shape;
  const from = Math.min(Math.max(rg.from, results.burnIn), rg.to - 1);
  const n = R * (rg.to - from);
  const v = new Float64Array(n);
  return results.channelNames.map((channel, c) => {
    let k = 0;
    for (let r = 0; r < R; r++) for (let t = from; t < rg.to; t++) v[k++] = results.coefficients[(r * T + t) * C + c];
    return { channel, ...boxStats(v) };
  });
}

export function effectivenessSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const rg = resolveRange(results, options?.range);
  const boxes = coefficientBoxes(results, options);
  const rows = boxes.map((b) => ({
    channel: b.channel,
    min: num(b.min),
    lower: num(b.lower),
    q1: num(b.q1),
    median: num(b.median),
    q3: num(b.q3),
    upper: num(b.upper),
    max: num(b.max),
    mean: num(b.mean),
    n: b.n,
  }));
  const order = [...rows].sort((a, b) => (b.median ?? 0) - (a.median ?? 0)).map((r) => r.channel);
  const fmt = numberFormat(rows.map((r) => r.max ?? 0));
  const tooltip = [
    { field: 'channel', type: 'nominal', title: 'Channel' },
    { field: 'median', type: 'quantitative', format: fmt, title: 'Median' },
    { field: 'q1', type: 'quantitative', format: fmt, title: '25th percentile' },
    { field: 'q3', type: 'quantitative', format: fmt, title: '75th percentile' },
    { field: 'lower', type: 'quantitative', format: fmt, title: 'Lower whisker' },
    { field: 'upper', type: 'quantitative', format: fmt, title: 'Upper whisker' },
    { field: 'mean', type: 'quantitative', format: fmt, title: 'Mean' },
    { field: 'n', type: 'quantitative', format: ',d', title: 'Region-weeks' },
  ];
  const y = { field: 'channel', type: 'nominal', sort: order, title: null };
  const xTitle = 'Coefficient (scaled units)';
  const period = periodLabel(results.dates, Math.max(rg.from, results.burnIn), rg.to);
  const top = rows.find((r) => r.channel === order[0]);
  return asSpec({
    ...frame({
      id: 'effectiveness',
      title: `Channel effectiveness: coefficient spread across regions and weeks, ${period}`,
      subtitle: `Box = middle 50 %, line = median, whiskers = 1.5 × IQR; ${results.shape.regions} regions × ${rows[0]?.n ? rows[0].n / results.shape.regions : 0} weeks after burn-in`,
      description:
        `Box plots of each channel's media coefficient over all region-weeks after burn-in, ${period}, ordered by median. ` +
        `Highest median: ${order[0] ?? '–'} (${formatNumber(top?.median)}, middle half ${formatNumber(top?.q1)} to ${formatNumber(top?.q3)}).`,
      datasets: { main: rows },
      height: Math.max(120, 28 * rows.length),
    }),
    data: { name: 'main' },
    encoding: { y },
    layer: [
      {
        mark: { type: 'rule', color: '#6e7782' },
        encoding: { x: { field: 'lower', type: 'quantitative', title: xTitle, scale: { zero: false } }, x2: { field: 'upper' }, tooltip },
      },
      {
        mark: { type: 'bar', size: 14, cornerRadius: 2 },
        encoding: {
          x: { field: 'q1', type: 'quantitative' },
          x2: { field: 'q3' },
          color: { field: 'channel', type: 'nominal', scale: channelScale(results), legend: null },
          tooltip,
        },
      },
      {
        mark: { type: 'tick', color: '#ffffff', thickness: 2, size: 14 },
        encoding: { x: { field: 'median', type: 'quantitative' }, tooltip },
      },
    ],
  });
}
