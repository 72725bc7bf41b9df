// CSV exports of a fitted model's results (app downloads and CLI --out), all written by the one
// CSV writer (./csv): BOM, CRLF, formula-escaped text. `options` is for text sent to stdout.
import type { EnsembleIntervals } from '../engine/ensemble';
import type { BudgetPlan, ModelResults } from '../engine/results';
import { regionTable } from '../charts/data';
import { toCsv, writeCsv, type CsvOptions } from './csv';

/** Long format: region, week, component, value (KPI units). Components: actual, prediction,
 * baseline, seasonality, each control and each media channel. */
export function contributionsCsv(r: ModelResults, options?: CsvOptions): string {
  const { regions: R, weeks: T, channels: C, controls: K } = r.shape;
  // Streamed row by row: a big panel has millions of rows here.
  function* rows(): Generator<unknown[]> {
    for (let reg = 0; reg < R; reg++) {
      for (let t = 0; t < T; t++) {
        const i = reg * T + t;
        const region = r.regionNames[reg] ?? String(reg);
        const week = r.dates[t] ?? String(t);
        yield [region, week, 'actual', r.actual[i]];
        yield [region, week, 'prediction', r.prediction[i]];
        yield [region, week, 'baseline', r.baseline[i]];
        yield [region, week, 'seasonality', r.seasonal[i]];
        for (let k = 0; k < K; k++) yield [region, week, `control:${r.controlNames[k]}`, r.controls[i * K + k]];
        for (let c = 0; c < C; c++) yield [region, week, `media:${r.channelNames[c]}`, r.media[i * C + c]];
      }
    }
  }
  return writeCsv(['region', 'week', 'component', 'value'], rows(), options);
}

/** Per-region fit and contribution: region, actual and predicted totals, R², WAPE (all weeks and
 * holdout), media contribution and share. */
export function regionsCsv(r: ModelResults, options?: CsvOptions): string {
  return toCsv(regionTable(r) as unknown as Record<string, unknown>[], undefined, options);
}

/** One row per channel: spend/activity, contribution (direct incremental KPI over the analysis
 * window), share, indirect (DAG) effect, interaction (coefficient network), incremental (all
 * three), the additive decomposition's view, ROI, cost per KPI, marginal ROI, effect per 1,000
 * activity units. Empty cells where a figure does not apply. */
export function channelsCsv(r: ModelResults, options?: CsvOptions): string {
  const { regions: R, weeks: T, channels: C } = r.shape;
  const decomposed = new Float64Array(C);
  for (let i = 0; i < R * T; i++) for (let c = 0; c < C; c++) decomposed[c] += r.media[i * C + c];
  const decomposedTotal = decomposed.reduce((a, b) => a + b, 0);
  const unit = new Map(r.channelNames.map((n, c) => [n, r.mediaUnit[c]]));
  const idx = new Map(r.channelNames.map((n, c) => [n, c]));
  const bounds = new Map(r.intervals?.channels.map((b) => [b.channel, b]));
  const rows = r.economics.map((e) => {
    const c = idx.get(e.channel) ?? -1;
    const b = bounds.get(e.channel);
    return {
      ...(b && {
        contribution_lo: b.contribution.lo, contribution_hi: b.contribution.hi, share_lo: b.share.lo, share_hi: b.share.hi,
        roi_lo: b.roi?.lo ?? null, roi_hi: b.roi?.hi ?? null, marginal_roi_lo: b.marginalRoi?.lo ?? null, marginal_roi_hi: b.marginalRoi?.hi ?? null,
      }),
      channel: e.channel,
      unit: unit.get(e.channel) ?? '',
      spend: e.spend,
      activity: e.activity,
      contribution: e.contribution,
      share: e.share,
      indirect: e.indirect,
      interaction: e.interaction ?? null,
      incremental: e.incremental ?? null,
      decomposed_contribution: c >= 0 ? decomposed[c] : null,
      decomposed_share: c >= 0 && decomposedTotal !== 0 ? decomposed[c] / decomposedTotal : null,
      roi: e.roi,
      roi_total: e.roiTotal,
      revenue_roi: e.revenueRoi,
      cost_per_kpi: e.costPerKpi,
      marginal_roi: e.marginalRoi,
      marginal_roi_total: e.marginalRoiTotal ?? null,
      effect_per_1000: e.effectPer1000,
    };
  });
  const cols = ['channel', 'unit', 'spend', 'activity', 'contribution', 'share', 'indirect', 'interaction', 'incremental', 'decomposed_contribution', 'decomposed_share', 'roi', 'roi_total', 'revenue_roi', 'cost_per_kpi', 'marginal_roi', 'marginal_roi_total', 'effect_per_1000'];
  return toCsv(rows, r.intervals ? withBounds(cols, ['contribution', 'share', 'roi', 'marginal_roi']) : cols, options);
}

/** The columns with `<name>_lo` and `<name>_hi` (the ensemble's interval) after each named one. */
function withBounds(cols: string[], bounded: string[]): string[] {
  return cols.flatMap((c) => (bounded.includes(c) ? [c, `${c}_lo`, `${c}_hi`] : [c]));
}

/** Long format: one row per channel and spend multiplier — weekly national spend (or activity),
 * the model's incremental KPI over the analysis window, and the fitted Hill curve at that point
 * with its parameters. */
export function responseCurvesCsv(r: ModelResults, options?: CsvOptions): string {
  const rows: Record<string, unknown>[] = [];
  const bounds = new Map(r.intervals?.responseCurves.map((b) => [b.channel, b]));
  for (const c of r.responseCurves) {
    const { bottom, top, halfSaturation: K, slope: s, r2 } = c.hill;
    const hill = (x: number) => (x > 0 ? bottom + ((top - bottom) * x ** s) / (K ** s + x ** s) : bottom);
    const b = bounds.get(c.channel);
    c.factors.forEach((f, i) => {
      rows.push({ channel: c.channel, unit: c.unit, factor: f, weekly: c.x[i], incremental_kpi: c.y[i], ...(b && { incremental_kpi_lo: b.lo[i], incremental_kpi_hi: b.hi[i] }),
        hill_fit: hill(c.x[i]), half_saturation: K, slope: s, top, r2, current_weekly: c.current, saturation_pct: c.saturationPct });
    });
  }
  const cols = ['channel', 'unit', 'factor', 'weekly', 'incremental_kpi', 'hill_fit', 'half_saturation', 'slope', 'top', 'r2', 'current_weekly', 'saturation_pct'];
  return toCsv(rows, r.intervals ? withBounds(cols, ['incremental_kpi']) : cols, options);
}

/** The budget plan: one row per planned channel (spend over the horizon, current and optimal,
 * bounds, predicted incremental KPI on the fitted curves, ROI and marginal ROI at the optimum,
 * saturation), then a total row with the full-model check in its last columns. */
export function budgetCsv(plan: BudgetPlan, options?: CsvOptions, intervals?: EnsembleIntervals['budget']): string {
  const cols = ['channel', 'locked', 'lower', 'upper', 'current_spend', 'optimal_spend', 'change', 'change_pct', 'current_kpi', 'predicted_kpi', 'roi', 'marginal_roi', 'saturation_pct', 'simulated_current_kpi', 'simulated_optimal_kpi',
    ...(intervals ? ['uplift_pct', 'uplift_pct_lo', 'uplift_pct_hi'] : [])];
  const rows: Record<string, unknown>[] = plan.rows.map((b) => ({
    channel: b.channel,
    locked: b.locked,
    lower: b.lower,
    upper: b.upper,
    current_spend: b.currentSpend,
    optimal_spend: b.optimalSpend,
    change: b.change,
    change_pct: b.changePct,
    current_kpi: b.currentKpi,
    predicted_kpi: b.predictedKpi,
    roi: b.roi,
    marginal_roi: b.marginalRoi,
    saturation_pct: b.saturationPct,
  }));
  const cur = plan.rows.reduce((a, b) => a + b.currentSpend, 0);
  const opt = plan.rows.reduce((a, b) => a + b.optimalSpend, 0);
  rows.push({
    channel: 'TOTAL',
    lower: plan.rows.reduce((a, b) => a + b.lower, 0),
    upper: plan.rows.reduce((a, b) => a + b.upper, 0),
    current_spend: cur,
    optimal_spend: opt,
    change: opt - cur,
    change_pct: cur > 0 ? (100 * (opt - cur)) / cur : null,
    current_kpi: plan.currentKpi,
    predicted_kpi: plan.optimalKpi,
    roi: opt > 0 ? plan.optimalKpi / opt : null,
    simulated_current_kpi: plan.simulatedCurrentKpi,
    simulated_optimal_kpi: plan.simulatedOptimalKpi,
    // The ensemble's interval of the predicted uplift (each member plans its own optimum).
    ...(intervals && { uplift_pct: plan.upliftPct, uplift_pct_lo: intervals.upliftPct?.lo ?? null, uplift_pct_hi: intervals.upliftPct?.hi ?? null }),
  });
  return toCsv(rows, cols, options);
}
