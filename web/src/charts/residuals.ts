// View 19: residual diagnostics — residuals (actual − predicted) over time, their distribution
// over region-weeks, and the autocorrelation of the weekly residual series at lags 1..26.
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { autocorrelation, histogram, holdoutIn, resolveRange, series, timeAxis } from './data';
import { asSpec, frame, panelWidth, timeX, weekFields, weekTooltip } from './spec';
import { ACCENT, AXIS_NUM, INK, formatNumber, kpiLabel, num, numberFormat, periodLabel, regionLabel } from './theme';
import type { ViewOptions } from './types';

export const ACF_LAGS = 26;

export function residualsSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const kpi = kpiLabel(options);
  const rg = resolveRange(results, options?.range);
  const region = options?.region ?? null;
  const axis = timeAxis(results);
  const { regions: R, weeks: T } = results.shape;
  const a = series(results, results.actual, region);
  const p = series(results, results.prediction, region);
  const from = Math.min(Math.max(rg.from, results.burnIn), rg.to - 1);
  const rows: Record<string, unknown>[] = [];
  const weekly: number[] = [];
  for (let t = rg.from; t < rg.to; t++) {
    const e = a[t] - p[t];
    rows.push({ ...weekFields(axis, t), residual: num(e), period: t >= results.trainEnd ? 'Holdout' : t < results.burnIn ? 'Burn-in' : 'Training' });
    if (t >= from && Number.isFinite(e)) weekly.push(e);
  }
  // Region-week residuals (of the chosen region, or all) after burn-in.
  const r0 = region ?? 0;
  const r1 = region === null ? R : region + 1;
  const cell: number[] = [];
  for (let r = r0; r < r1; r++)
    for (let t = from; t < rg.to; t++) {
      const e = results.actual[r * T + t] - results.prediction[r * T + t];
      if (Number.isFinite(e)) cell.push(e);
    }
  const bins = histogram(cell).map((b) => ({ ...b, mid: num((b.x0 + b.x1) / 2) }));
  const acf = autocorrelation(weekly, ACF_LAGS);
  const band = 1.96 / Math.sqrt(Math.max(1, weekly.length));
  const acfRows = acf.map((v, i) => ({ lag: i + 1, acf: num(v), outside: Math.abs(v) > band }));
  const hold = holdoutIn(results, rg);
  const w = panelWidth(options);
  const half = panelWidth(options, 2, 40);
  const fmt = numberFormat(weekly);
  const mean = cell.length ? cell.reduce((s, v) => s + v, 0) / cell.length : NaN;
  const sd = cell.length > 1 ? Math.sqrt(cell.reduce((s, v) => s + (v - mean) ** 2, 0) / (cell.length - 1)) : NaN;
  const significant = acfRows.filter((r) => r.outside).map((r) => r.lag);
  const where = regionLabel(results, region);
  const period = periodLabel(results.dates, rg.from, rg.to);
  return asSpec({
    ...frame({
      id: 'residuals',
      title: `Residual diagnostics (actual − predicted ${kpi}), ${period}`,
      subtitle: `${where} · a good model leaves residuals centred on 0, without trend or autocorrelation`,
      description:
        `Three charts of residuals, actual minus predicted ${kpi}, for ${where}, ${period}. Weekly residuals over time` +
        (hold ? ' with the holdout shaded' : '') +
        `; a histogram of ${cell.length} region-week residuals (mean ${formatNumber(mean)}, standard deviation ${formatNumber(sd)}); ` +
        `and the autocorrelation of the weekly residuals at lags 1–${acf.length}` +
        (significant.length ? `, outside the 95 % band at lag${significant.length > 1 ? 's' : ''} ${significant.slice(0, 6).join(', ')}.` : ', all within the 95 % band.'),
      datasets: {
        main: rows,
        bins: bins as unknown as Record<string, unknown>[],
        acf: acfRows,
        spans: hold ? [{ start: axis.start(hold.from), end: axis.end(hold.to - 1), label: 'Holdout' }] : [],
        band: [{ lo: num(-band), hi: num(band) }],
      },
      compound: true,
    }),
    vconcat: [
      {
        width: w,
        height: 180,
        title: { text: 'Weekly residual', fontSize: 13 },
        layer: [
          ...(hold
            ? [
                {
                  data: { name: 'spans' },
                  mark: { type: 'rect', color: '#fbe9d4' },
                  encoding: { x: { ...timeX(axis, 'start'), title: null }, x2: { field: 'end' }, tooltip: [{ field: 'label', type: 'nominal', title: 'Period' }] },
                },
              ]
            : []),
          {
            data: { name: 'main' },
            mark: { type: 'bar', color: ACCENT, opacity: 0.85 },
            encoding: {
              x: timeX(axis),
              y: { field: 'residual', type: 'quantitative', title: `Residual (${kpi})`, axis: AXIS_NUM },
              tooltip: [weekTooltip(axis), { field: 'residual', type: 'quantitative', format: fmt, title: `Residual (${kpi})` }, { field: 'period', type: 'nominal', title: 'Period' }],
            },
          },
          { mark: { type: 'rule', color: INK }, encoding: { y: { datum: 0, type: 'quantitative' } } },
        ],
      },
      {
        hconcat: [
          {
            width: half,
            height: 180,
            title: { text: region === null ? 'Distribution over region-weeks' : 'Distribution over weeks', fontSize: 13 },
            data: { name: 'bins' },
            mark: { type: 'bar', color: '#7d8fb3', binSpacing: 1 },
            encoding: {
              x: { field: 'x0', type: 'quantitative', bin: { binned: true }, title: `Residual (${kpi})`, axis: AXIS_NUM },
              x2: { field: 'x1' },
              y: { field: 'count', type: 'quantitative', title: 'Count' },
              tooltip: [
                { field: 'x0', type: 'quantitative', format: numberFormat(cell), title: 'From' },
                { field: 'x1', type: 'quantitative', format: numberFormat(cell), title: 'To' },
                { field: 'count', type: 'quantitative', format: ',d', title: 'Count' },
              ],
            },
          },
          {
            width: half,
            height: 180,
            title: { text: 'Autocorrelation of weekly residuals', fontSize: 13 },
            layer: [
              {
                data: { name: 'band' },
                mark: { type: 'rect', color: '#e6eefb' },
                encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
              },
              {
                data: { name: 'acf' },
                mark: { type: 'bar', width: { band: 0.6 } },
                encoding: {
                  x: { field: 'lag', type: 'ordinal', title: 'Lag (weeks)', axis: { labelAngle: 0, values: [1, 4, 8, 13, 17, 21, 26] } },
                  y: { field: 'acf', type: 'quantitative', title: 'Autocorrelation', scale: { domain: [-1, 1] } },
                  color: { field: 'outside', type: 'nominal', scale: { domain: [false, true], range: ['#7d8fb3', '#b3261e'] }, legend: null },
                  tooltip: [
                    { field: 'lag', type: 'ordinal', title: 'Lag (weeks)' },
                    { field: 'acf', type: 'quantitative', format: '.3f', title: 'Autocorrelation' },
                    { field: 'outside', type: 'nominal', title: 'Outside 95 % band' },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  });
}
