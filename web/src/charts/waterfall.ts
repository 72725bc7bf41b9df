// View 6: waterfall from the baseline through seasonality, controls and each media channel to the
// predicted total.
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { componentTotals, resolveRange } from './data';
import { asSpec, frame } from './spec';
import { AXIS_NUM, COMPONENT_COLORS, INK, channelColors, formatCompact, kpiLabel, num, numberFormat, periodLabel, regionLabel } from './theme';
import type { ViewOptions } from './types';

/** Controls are drawn one by one up to this many, else as one step. */
const MAX_CONTROL_STEPS = 8;

export interface WaterfallStep {
  step: string;
  order: number;
  kind: 'baseline' | 'seasonality' | 'control' | 'media' | 'total';
  colorKey: string;
  value: number;
  start: number;
  end: number;
}

export function waterfallSteps(results: ModelResults, options?: ViewOptions): WaterfallStep[] {
  const rg = resolveRange(results, options?.range);
  const t = componentTotals(results, rg, options?.region ?? null);
  const items: Omit<WaterfallStep, 'order' | 'start' | 'end'>[] = [
    { step: 'Baseline', kind: 'baseline', colorKey: 'Baseline', value: t.baseline },
    { step: 'Seasonality', kind: 'seasonality', colorKey: 'Seasonality', value: t.seasonal },
  ];
  const K = results.shape.controls;
  if (K > 0 && K <= MAX_CONTROL_STEPS)
    results.controlNames.forEach((n, k) => items.push({ step: n, kind: 'control', colorKey: 'Controls', value: t.controls[k] }));
  else if (K > 0) items.push({ step: `Controls (${K})`, kind: 'control', colorKey: 'Controls', value: t.controlsTotal });
  const channels = results.channelNames.map((n, c) => ({ step: n, kind: 'media' as const, colorKey: n, value: t.media[c] }));
  channels.sort((a, b) => b.value - a.value);
  items.push(...channels);
  let level = 0;
  const steps: WaterfallStep[] = items.map((it, order) => {
    const start = level;
    level += it.value;
    return { ...it, order, start, end: level };
  });
  steps.push({ step: 'Predicted total', order: steps.length, kind: 'total', colorKey: 'Predicted total', value: level, start: 0, end: level });
  // Names must be unique along the x axis (a control could share a channel's name).
  const seen = new Set<string>();
  for (const s of steps) {
    while (seen.has(s.step)) s.step += ' ';
    seen.add(s.step);
  }
  return steps;
}

export function waterfallSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const kpi = kpiLabel(options);
  const rg = resolveRange(results, options?.range);
  const steps = waterfallSteps(results, options);
  const rows = steps.map((s) => ({
    step: s.step,
    order: s.order,
    kind: s.kind,
    colorKey: s.colorKey,
    value: num(s.value),
    start: num(s.start),
    end: num(s.end),
    top: num(Math.max(s.start, s.end)),
    label: (s.kind === 'total' || s.kind === 'baseline' ? '' : s.value >= 0 ? '+' : '') + formatCompact(s.value),
  }));
  const total = steps[steps.length - 1].value;
  const fmt = numberFormat(total);
  const period = periodLabel(results.dates, rg.from, rg.to);
  const where = regionLabel(results, options?.region ?? null);
  const colorDomain = ['Baseline', 'Seasonality', 'Controls', ...results.channelNames, 'Predicted total'];
  const colorRange = [COMPONENT_COLORS.Baseline, COMPONENT_COLORS.Seasonality, COMPONENT_COLORS.Controls, ...channelColors(results), INK];
  const media = steps.filter((s) => s.kind === 'media');
  const description =
    `Waterfall chart of predicted ${kpi}, ${period}, ${where}: baseline ${formatCompact(steps[0].value)}, ` +
    `seasonality ${formatCompact(steps[1].value)}, ` +
    `then ${media.length} media channels adding ${formatCompact(media.reduce((a, s) => a + s.value, 0))} in total ` +
    `(largest ${media[0]?.step ?? '–'} ${formatCompact(media[0]?.value)}), ending at ${formatCompact(total)}.`;
  const tooltip = [
    { field: 'step', type: 'nominal', title: 'Step' },
    { field: 'value', type: 'quantitative', format: fmt, title: `Contribution (${kpi})` },
    { field: 'end', type: 'quantitative', format: fmt, title: `Running total (${kpi})` },
  ];
  const x = {
    field: 'step',
    type: 'nominal',
    sort: rows.map((r) => r.step),
    title: null,
    axis: { labelAngle: rows.length > 8 ? -40 : 0, labelAlign: rows.length > 8 ? 'right' : 'center', labelLimit: 120 },
  };
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'bar', width: { band: 0.75 } },
      encoding: {
        x,
        y: { field: 'start', type: 'quantitative', title: `${kpi} (cumulative)`, axis: AXIS_NUM },
        y2: { field: 'end' },
        color: { field: 'colorKey', type: 'nominal', scale: { domain: colorDomain, range: colorRange }, legend: null },
        tooltip,
      },
    },
  ];
  if (rows.length <= 24)
    layers.push({
      mark: { type: 'text', dy: -6, fontSize: 10, color: '#3b4450' },
      encoding: {
        x,
        y: { field: 'top', type: 'quantitative' },
        text: { field: 'label', type: 'nominal' },
      },
    });
  return asSpec({
    ...frame({
      id: 'waterfall',
      title: `From baseline to predicted ${kpi}, ${period}`,
      subtitle: `${where} · each bar adds one component; the last bar is the predicted total (${formatCompact(total)} ${kpi})`,
      description,
      datasets: { main: rows },
      height: 360,
    }),
    data: { name: 'main' },
    layer: layers,
  });
}
