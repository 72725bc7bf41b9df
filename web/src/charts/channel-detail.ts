// View 12: one channel in detail — its spend (or activity), its contribution and its coefficient
// over time, stacked panels on a shared time axis.
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { holdoutIn, matrix, resolveRange, timeAxis } from './data';
import { asSpec, frame, panelWidth, timeX, weekFields, weekTooltip } from './spec';
import { AXIS_NUM, channelColor, formatCompact, kpiLabel, num, numberFormat, periodLabel, regionLabel, spendLabel } from './theme';
import type { ViewOptions } from './types';

export function channelDetailSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const { channels: C } = results.shape;
  const c = Math.min(C - 1, Math.max(0, options?.channel ?? 0));
  const name = results.channelNames[c];
  const kpi = kpiLabel(options);
  const rg = resolveRange(results, options?.range);
  const region = options?.region ?? null;
  const axis = timeAxis(results);
  const unit = results.mediaUnit[c] ?? 'spend';
  const inputTitle = unit === 'spend' ? `Spend (${spendLabel(options)})` : 'Activity (units)';
  const input = matrix(results, results.mediaInput, C, region);
  const contrib = matrix(results, results.media, C, region);
  const beta = matrix(results, results.coefficients, C, region, true);
  const rows: Record<string, unknown>[] = [];
  let sIn = 0;
  let sOut = 0;
  for (let t = rg.from; t < rg.to; t++) {
    const i = t * C + c;
    sIn += input[i];
    sOut += contrib[i];
    rows.push({ ...weekFields(axis, t), input: num(input[i]), contribution: num(contrib[i]), coefficient: num(beta[i]), holdout: t >= results.trainEnd });
  }
  const color = channelColor(c);
  const w = panelWidth(options);
  const tooltip = [
    weekTooltip(axis),
    { field: 'input', type: 'quantitative', format: numberFormat(input), title: inputTitle },
    { field: 'contribution', type: 'quantitative', format: numberFormat(contrib), title: `Contribution (${kpi})` },
    { field: 'coefficient', type: 'quantitative', format: numberFormat(beta), title: 'Coefficient' },
  ];
  const hold = holdoutIn(results, rg);
  const holdRows = hold ? [{ start: axis.start(hold.from), end: axis.end(hold.to - 1), label: 'Holdout' }] : [];
  const x = { ...timeX(axis), axis: { labelOverlap: true, title: null } };
  const holdLayer = {
    data: { name: 'spans' },
    mark: { type: 'rect', color: '#fbe9d4' },
    encoding: { x: { ...timeX(axis, 'start'), title: null }, x2: { field: 'end' }, tooltip: [{ field: 'label', type: 'nominal', title: 'Period' }] },
  };
  const panel = (field: string, title: string, mark: Record<string, unknown>, height: number) => ({
    width: w,
    height,
    layer: [
      ...(holdRows.length ? [holdLayer] : []),
      {
        data: { name: 'main' },
        mark: { ...mark, color },
        encoding: { x, y: { field, type: 'quantitative', title, axis: AXIS_NUM }, tooltip },
      },
    ],
  });
  const period = periodLabel(results.dates, rg.from, rg.to);
  const where = regionLabel(results, region);
  const eff = sIn > 0 ? sOut / sIn : NaN;
  return asSpec({
    ...frame({
      id: 'channel-detail',
      title: `${name}: ${unit} in, contribution out, ${period}`,
      subtitle: `${where} · ${formatCompact(sIn)} ${unit === 'spend' ? spendLabel(options) : 'units'} → ${formatCompact(sOut)} ${kpi}` + (hold ? ' · holdout shaded' : ''),
      description:
        `Three stacked time series for channel ${name}, ${where}, ${period}: weekly ${unit} (total ${formatCompact(sIn)}), ` +
        `weekly contribution to ${kpi} (total ${formatCompact(sOut)}; ${formatCompact(eff)} ${kpi} per unit of ${unit}), and the model's time-varying coefficient.`,
      datasets: { main: rows, spans: holdRows },
      compound: true,
    }),
    vconcat: [
      panel('input', inputTitle, { type: 'bar', opacity: 0.85 }, 120),
      panel('contribution', `Contribution (${kpi}/week)`, { type: 'area', opacity: 0.75, line: true, interpolate: 'monotone' }, 140),
      panel(
        'coefficient',
        results.shape.regions > 1 && region === null ? 'Coefficient (mean of regions)' : 'Coefficient',
        { type: 'line', interpolate: 'monotone' },
        110,
      ),
    ],
    resolve: { scale: { x: 'shared' } },
  });
}
