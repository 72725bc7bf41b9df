// View 17: budget optimizer result — current vs optimal spend per channel (grouped bars) and the
// predicted KPI of each, with the predicted uplift in the title. Interactive editing of the
// budget, bounds and locks is the app's; this draws a BudgetPlan.
import type { TopLevelSpec } from 'vega-lite';
import type { BudgetPlan, ModelResults } from '../engine/results';
import { formatSignedPct } from '../format/number';
import { asSpec, frame, panelWidth } from './spec';
import { AXIS_NUM, channelScale, formatCompact, formatNumber, kpiLabel, num, numberFormat, spendLabel } from './theme';
import type { ViewOptions } from './types';

const MODE_TEXT: Record<BudgetPlan['mode'], string> = {
  fixed: 'fixed budget',
  'target-roi': 'target ROI',
  'target-mroi': 'target marginal ROI',
};

export function budgetSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const plan = results.budget;
  if (!plan) throw new Error('budgetSpec: results.budget is null (check available() first)');
  const kpi = kpiLabel(options);
  const money = spendLabel(options);
  const label = (ch: string, locked: boolean) => (locked ? `${ch} (locked)` : ch);
  const sorted = [...plan.rows].sort((a, b) => b.optimalSpend - a.optimalSpend);
  const rows: Record<string, unknown>[] = [];
  for (const r of sorted)
    for (const which of ['Current', 'Optimal'] as const)
      rows.push({
        channel: r.channel,
        label: label(r.channel, r.locked),
        plan: which,
        spend: num(which === 'Current' ? r.currentSpend : r.optimalSpend),
        kpi: num(which === 'Current' ? r.currentKpi : r.predictedKpi),
        change: num(r.change),
        changePct: num(r.changePct / 100),
        lower: num(r.lower),
        upper: num(r.upper),
        locked: r.locked,
        roi: num(r.roi),
        marginalRoi: num(r.marginalRoi),
        saturation: num(r.saturationPct / 100),
      });
  const order = sorted.map((r) => label(r.channel, r.locked));
  const w = panelWidth(options, 2, 30, 60);
  const fmtS = numberFormat(plan.rows.map((r) => Math.max(r.currentSpend, r.optimalSpend)));
  const fmtK = numberFormat(plan.rows.map((r) => Math.max(r.currentKpi, r.predictedKpi)));
  const tooltip = [
    { field: 'channel', type: 'nominal', title: 'Channel' },
    { field: 'plan', type: 'nominal', title: 'Plan' },
    { field: 'spend', type: 'quantitative', format: fmtS, title: `Spend (${money})` },
    { field: 'kpi', type: 'quantitative', format: fmtK, title: `Predicted ${kpi}` },
    { field: 'change', type: 'quantitative', format: fmtS, title: `Change (${money})` },
    { field: 'changePct', type: 'quantitative', format: '+.1%', title: 'Change' },
    { field: 'lower', type: 'quantitative', format: fmtS, title: 'Lower bound' },
    { field: 'upper', type: 'quantitative', format: fmtS, title: 'Upper bound' },
    { field: 'roi', type: 'quantitative', format: '.3~f', title: 'ROI at optimum' },
    { field: 'marginalRoi', type: 'quantitative', format: '.3~f', title: 'Marginal ROI at optimum' },
    { field: 'saturation', type: 'quantitative', format: '.0%', title: 'Saturation at optimum' },
  ];
  const y = { field: 'label', type: 'nominal', sort: order, title: null };
  const bars = (field: string, title: string, showAxis: boolean) => ({
    width: w,
    height: Math.max(120, 34 * sorted.length),
    mark: { type: 'bar', cornerRadiusEnd: 2 },
    encoding: {
      y: showAxis ? y : { ...y, axis: null },
      yOffset: { field: 'plan', type: 'nominal', sort: ['Current', 'Optimal'] },
      x: { field, type: 'quantitative', title, axis: AXIS_NUM },
      color: { field: 'channel', type: 'nominal', scale: channelScale(results), legend: null },
      opacity: { field: 'plan', type: 'nominal', title: null, sort: ['Current', 'Optimal'], scale: { domain: ['Current', 'Optimal'], range: [0.4, 1] }, legend: { orient: 'top', direction: 'horizontal' } },
      tooltip,
    },
  });
  const up = plan.upliftPct;
  const sim = plan.simulatedUpliftPct;
  const weeks = `${plan.weeks} week${plan.weeks === 1 ? '' : 's'}`;
  const fmtPctSigned = (v: number) => formatSignedPct(v / 100); // v in percent
  const moved = [...plan.rows].sort((a, b) => Math.abs(b.change) - Math.abs(a.change)).slice(0, 3);
  // The ensemble's range of the uplift (engine/ensemble.ts), only for the plan it was computed for.
  const iv = results.intervals;
  const forPlan = iv?.budget?.forPlan;
  const range = iv?.budget?.upliftPct && forPlan && forPlan.mode === plan.mode && forPlan.budget === plan.budget && forPlan.weeks === plan.weeks ? iv.budget.upliftPct : null;
  const rangeText = range && iv ? ` (${Math.round(100 * iv.level)} % interval ${fmtPctSigned(range.lo)} to ${fmtPctSigned(range.hi)}, ${iv.k} fits)` : '';
  return asSpec({
    ...frame({
      id: 'budget',
      title: `Optimal budget: ${fmtPctSigned(up)} predicted ${kpi} over ${weeks}${rangeText}`,
      subtitle: [
        `${MODE_TEXT[plan.mode]} ${formatCompact(plan.budget)} ${money} · ${formatCompact(plan.currentKpi)} → ${formatCompact(plan.optimalKpi)} ${kpi} on the fitted curves`,
        `Full-model simulation: ${formatCompact(plan.simulatedCurrentKpi)} → ${formatCompact(plan.simulatedOptimalKpi)} (${fmtPctSigned(sim)}) · faded = current, solid = optimal`,
      ],
      description:
        `Grouped bar charts of current and optimal spend (${money}) and predicted ${kpi} for ${plan.rows.length} channels over ${weeks}, ${MODE_TEXT[plan.mode]} of ${formatNumber(plan.budget)}. ` +
        `Predicted uplift ${fmtPctSigned(up)}${rangeText} on the fitted curves, ${fmtPctSigned(sim)} in full-model simulation. ` +
        `Largest moves: ${moved.map((r) => `${r.channel} ${r.change >= 0 ? '+' : '−'}${formatCompact(Math.abs(r.change))}`).join(', ')}.`,
      datasets: { main: rows },
      compound: true,
    }),
    data: { name: 'main' },
    hconcat: [bars('spend', `Spend over ${weeks} (${money})`, true), bars('kpi', `Predicted ${kpi} over ${weeks}`, false)],
    resolve: { scale: { x: 'independent' } },
  });
}
