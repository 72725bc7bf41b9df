// View 3: holdout scatter — actual vs predicted KPI for each region-week in the holdout, with the
// 45° line. Deterministically sampled above MAX_POINTS.
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { formatFixed } from '../format/number';
import { fitStats, sampleIndices, timeAxis } from './data';
import { asSpec, frame } from './spec';
import { ACCENT, AXIS_NUM, INK, formatNumber, formatPct, kpiLabel, num, numberFormat, regionLabel } from './theme';
import type { ViewOptions } from './types';

export const MAX_SCATTER_POINTS = 5000;

export function holdoutScatterSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const kpi = kpiLabel(options);
  const { regions: R, weeks: T } = results.shape;
  const region = options?.region ?? null;
  const axis = timeAxis(results);
  const from = results.trainEnd;
  const r0 = region ?? 0;
  const r1 = region === null ? R : region + 1;
  const nWeeks = Math.max(0, T - from);
  const n = (r1 - r0) * nWeeks;
  const picks = sampleIndices(n, MAX_SCATTER_POINTS);
  const rows: Record<string, unknown>[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const k of picks) {
    const r = r0 + Math.floor(k / nWeeks);
    const t = from + (k % nWeeks);
    const y = results.actual[r * T + t];
    const p = results.prediction[r * T + t];
    if (!Number.isFinite(y) || !Number.isFinite(p)) continue;
    lo = Math.min(lo, y, p);
    hi = Math.max(hi, y, p);
    rows.push({ region: results.regionNames[r] ?? `Region ${r + 1}`, week: axis.label(t), actual: num(y), predicted: num(p), error: num(p - y) });
  }
  // Fit over all holdout region-weeks (not the sample).
  const a: number[] = [];
  const p: number[] = [];
  for (let r = r0; r < r1; r++)
    for (let t = from; t < T; t++) {
      a.push(results.actual[r * T + t]);
      p.push(results.prediction[r * T + t]);
    }
  const fit = fitStats(a, p);
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  const fmt = numberFormat(hi);
  const where = regionLabel(results, region);
  const sampled = picks.length < n;
  const scale = { zero: false, domain: [num(lo), num(hi)], nice: true };
  return asSpec({
    ...frame({
      id: 'holdout-scatter',
      title: `Holdout: actual vs predicted ${kpi} per region-week`,
      subtitle:
        `${where} · ${nWeeks} holdout weeks · R² ${formatFixed(fit.r2, 3)}, WAPE ${formatPct(fit.wape)}` +
        (sampled ? ` · ${formatNumber(rows.length)} of ${formatNumber(n)} points shown (evenly sampled)` : '') +
        ' · dashed: perfect prediction',
      description:
        `Scatter plot of ${rows.length} holdout region-weeks (${where}), actual ${kpi} on the x axis and predicted on the y axis, with the 45-degree line of perfect prediction. ` +
        `R² ${formatFixed(fit.r2, 3)}, WAPE ${formatPct(fit.wape)}, mean absolute error ${formatNumber(fit.mae)} ${kpi}.`,
      datasets: { main: rows, diagonal: [{ v: num(lo) }, { v: num(hi) }] },
      height: 380,
    }),
    layer: [
      {
        data: { name: 'diagonal' },
        mark: { type: 'line', color: INK, strokeDash: [5, 4], strokeWidth: 1.2 },
        encoding: { x: { field: 'v', type: 'quantitative', scale }, y: { field: 'v', type: 'quantitative', scale } },
      },
      {
        data: { name: 'main' },
        mark: { type: 'point', filled: true, color: ACCENT, opacity: rows.length > 1000 ? 0.35 : 0.65, size: rows.length > 1000 ? 14 : 32 },
        encoding: {
          x: { field: 'actual', type: 'quantitative', title: `Actual ${kpi} per week`, scale, axis: AXIS_NUM },
          y: { field: 'predicted', type: 'quantitative', title: `Predicted ${kpi} per week`, scale, axis: AXIS_NUM },
          tooltip: [
            { field: 'region', type: 'nominal', title: 'Region' },
            { field: 'week', type: 'nominal', title: 'Week' },
            { field: 'actual', type: 'quantitative', format: fmt, title: `Actual ${kpi}` },
            { field: 'predicted', type: 'quantitative', format: fmt, title: `Predicted ${kpi}` },
            { field: 'error', type: 'quantitative', format: fmt, title: 'Error (predicted − actual)' },
          ],
        },
      },
    ],
  });
}
