// View 2: actual vs predicted KPI over time (all regions summed, or one region), with the holdout,
// validation slice and burn-in shaded. When the model showed no skill over the recent-mean naive
// forecast on the validation weeks, the naive forecast it falls back to is drawn over the holdout,
// labelled, with both forecasts' holdout figures (engine/verdict.ts).
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { forecastVerdict } from '../engine/verdict';
import { burnInIn, fitStats, holdoutIn, resolveRange, series, timeAxis, validationIn } from './data';
import { asSpec, frame, hoverLayer, span, spanLayer, type Span, timeX, weekFields, weekTooltip } from './spec';
import { formatFixed } from '../format/number';
import { ACCENT, AXIS_NUM, INK, formatPct, kpiLabel, num, numberFormat, periodLabel, regionLabel } from './theme';
import type { ViewOptions } from './types';

/** The naive fallback forecast's line (amber: a caution, distinct from the model's blue). */
const NAIVE_COLOR = '#9a6200';

export function actualVsPredictedSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const kpi = kpiLabel(options);
  const rg = resolveRange(results, options?.range);
  const region = options?.region ?? null;
  const axis = timeAxis(results);
  const a = series(results, results.actual, region);
  const p = series(results, results.prediction, region);
  const hold = holdoutIn(results, rg);
  const val = validationIn(results, rg);
  const burn = burnInIn(results, rg);
  const fallback = forecastVerdict(results).fallbackForecast;
  const naive = fallback ? series(results, fallback.forecast, region) : null;
  // The ensemble's forecast interval (engine/ensemble.ts): per region-week, and for all regions the
  // interval of the national total (not a sum of regional bounds).
  const iv = results.intervals;
  // A model opened from a bundle keeps only the national band (ensemble.ts, StoredIntervals).
  const regional = iv && iv.forecast.lo.length === results.shape.regions * results.shape.weeks;
  const bandLo = iv ? (region === null ? iv.forecast.nationalLo : regional ? series(results, iv.forecast.lo, region) : null) : null;
  const bandHi = iv ? (region === null ? iv.forecast.nationalHi : regional ? series(results, iv.forecast.hi, region) : null) : null;
  const level = bandLo && bandHi && iv ? `${Math.round(100 * iv.level)} % interval` : '';
  const NAIVE = 'Naive forecast';
  const lines = naive ? ['Actual', 'Predicted', NAIVE] : ['Actual', 'Predicted'];
  const period = (t: number) => (t >= results.trainEnd ? 'Holdout' : t >= results.trainEnd - results.validationWeeks ? 'Validation' : t < results.burnIn ? 'Burn-in' : 'Training');
  const rows: Record<string, unknown>[] = [];
  for (let t = rg.from; t < rg.to; t++)
    rows.push({
      ...weekFields(axis, t),
      Actual: num(a[t]),
      Predicted: num(p[t]),
      ...(naive ? { [NAIVE]: t >= results.trainEnd ? num(naive[t]) : null } : {}),
      error: num(p[t] - a[t]),
      period: period(t),
      ...(bandLo && bandHi ? { lo: num(bandLo[t]), hi: num(bandHi[t]) } : {}),
    });
  const spans: Span[] = [];
  if (burn) spans.push(span(axis, burn, 'Burn-in'));
  if (val) spans.push(span(axis, val, 'Validation'));
  if (hold) spans.push(span(axis, hold, 'Holdout'));
  const fmt = numberFormat(p);
  const where = regionLabel(results, region);
  const hfit = hold ? fitStats(a, p, hold.from, hold.to) : null;
  const subtitle = [
    hold ? 'Holdout weeks shaded orange, validation slice blue, burn-in grey.' : 'No holdout weeks in this window.',
    level ? `Band: the prediction's ${level} from ${iv!.k} fits.` : '',
    hfit ? `Holdout (${where}): R² ${formatFixed(hfit.r2, 3)}, WAPE ${formatPct(hfit.wape)}.` : '',
    // Pooled over region-weeks, the core's definition for the model and the same arithmetic for the naive forecast.
    fallback?.holdout
      ? `${fallback.label}. Holdout, all region-weeks: naive R² ${formatFixed(fallback.holdout.r2, 3)}, WAPE ${formatPct(fallback.holdout.wape)}; ` +
        `model R² ${formatFixed(results.metrics.holdout.r2, 3)}, WAPE ${formatPct(results.metrics.holdout.wape)}.`
      : '',
  ].filter(Boolean);
  const description =
    `Line chart of actual and predicted weekly ${kpi} for ${where}, ${periodLabel(results.dates, rg.from, rg.to)}, ${rows.length} weeks. ` +
    (hold ? `The last ${hold.to - hold.from} weeks are held out.` : '') +
    (hfit && Number.isFinite(hfit.r2) ? ` Holdout R² of the summed series ${formatFixed(hfit.r2, 3)}.` : '') +
    (fallback ? ` ${fallback.label}: it is drawn over the holdout weeks as the forecast shown.` : '');
  const layers: Record<string, unknown>[] = [];
  if (spans.length) layers.push(spanLayer(axis, spans));
  if (level)
    layers.push({
      name: 'forecast-interval',
      data: { name: 'main' },
      transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
      mark: { type: 'area', color: ACCENT, opacity: 0.18, interpolate: 'monotone' },
      encoding: { x: timeX(axis), y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
    });
  layers.push({
    data: { name: 'main' },
    transform: [{ fold: lines, as: ['series', 'value'] }],
    mark: { type: 'line', interpolate: 'monotone' },
    encoding: {
      x: timeX(axis),
      y: { field: 'value', type: 'quantitative', title: `${kpi} per week`, axis: AXIS_NUM, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: lines, range: [INK, ACCENT, NAIVE_COLOR] }, legend: { orient: 'top', direction: 'horizontal' } },
      strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: lines, range: [[1, 0], [5, 2], [2, 2]] }, legend: { orient: 'top', direction: 'horizontal' } },
    },
  });
  layers.push(
    hoverLayer(axis, [
      weekTooltip(axis),
      { field: 'Actual', type: 'quantitative', format: fmt, title: `Actual ${kpi}` },
      { field: 'Predicted', type: 'quantitative', format: fmt, title: `Predicted ${kpi}` },
      ...(naive ? [{ field: NAIVE, type: 'quantitative', format: fmt, title: `Naive forecast of ${kpi} (shown for the holdout)` }] : []),
      { field: 'error', type: 'quantitative', format: fmt, title: 'Error (predicted − actual)' },
      ...(level ? [{ field: 'lo', type: 'quantitative', format: fmt, title: `Predicted, ${level}: from` }, { field: 'hi', type: 'quantitative', format: fmt, title: 'to' }] : []),
      { field: 'period', type: 'nominal', title: 'Period' },
    ]),
  );
  return asSpec({
    ...frame({
      id: 'actual-vs-predicted',
      title: `Actual vs predicted ${kpi}, ${where}, ${periodLabel(results.dates, rg.from, rg.to)}`,
      subtitle,
      description,
      datasets: { main: rows, spans: spans as unknown as Record<string, unknown>[] },
      height: 340,
    }),
    layer: layers,
  });
}
