// View 5: share of the predicted KPI by component (donut): baseline, seasonality, controls and each
// media channel.
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { componentTotals, resolveRange } from './data';
import { asSpec, frame } from './spec';
import { INK, componentScale, formatCompact, formatPct, kpiLabel, num, numberFormat, periodLabel, regionLabel } from './theme';
import type { ViewOptions } from './types';

export interface ComponentRow {
  component: string;
  kind: 'baseline' | 'seasonality' | 'controls' | 'media';
  order: number;
  value: number;
}

/** Baseline, Seasonality, Controls and each channel with their totals over the range. */
export function componentRows(results: ModelResults, options?: ViewOptions): ComponentRow[] {
  const rg = resolveRange(results, options?.range);
  const t = componentTotals(results, rg, options?.region ?? null);
  const rows: ComponentRow[] = [
    { component: 'Baseline', kind: 'baseline', order: 0, value: t.baseline },
    { component: 'Seasonality', kind: 'seasonality', order: 1, value: t.seasonal },
  ];
  if (results.shape.controls > 0) rows.push({ component: 'Controls', kind: 'controls', order: 2, value: t.controlsTotal });
  results.channelNames.forEach((c, i) => rows.push({ component: c, kind: 'media', order: 3 + i, value: t.media[i] }));
  return rows;
}

export function contributionShareSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const kpi = kpiLabel(options);
  const rg = resolveRange(results, options?.range);
  const all = componentRows(results, options);
  const shown = all.filter((r) => r.value > 0);
  const hidden = all.filter((r) => !(r.value > 0) && r.value !== 0);
  const total = shown.reduce((a, r) => a + r.value, 0);
  const media = shown.filter((r) => r.kind === 'media').reduce((a, r) => a + r.value, 0);
  const rows = shown.map((r) => ({ component: r.component, kind: r.kind, order: r.order, value: num(r.value), share: total > 0 ? num(r.value / total) : null }));
  const fmt = numberFormat(total);
  const period = periodLabel(results.dates, rg.from, rg.to);
  const where = regionLabel(results, options?.region ?? null);
  const subtitle = [`${where} · media ${formatPct(total ? media / total : NaN)} of ${formatCompact(total)} ${kpi}`];
  if (hidden.length) subtitle.push(`Not shown (net negative): ${hidden.map((h) => `${h.component} ${formatCompact(h.value)}`).join(', ')}`);
  const ranked = [...rows].sort((a, b) => (b.value ?? 0) - (a.value ?? 0)).slice(0, 4);
  const description =
    `Donut chart of the share of predicted ${kpi} by component, ${period}, ${where}. ` +
    ranked.map((r) => `${r.component} ${formatPct(r.share)}`).join(', ') +
    `. All media channels together ${formatPct(total ? media / total : NaN)}.` +
    (hidden.length ? ` Net negative components not drawn: ${hidden.map((h) => h.component).join(', ')}.` : '');
  return asSpec({
    ...frame({
      id: 'contribution-share',
      title: `Share of predicted ${kpi} by component, ${period}`,
      subtitle,
      description,
      datasets: { main: rows, center: [{ text: formatPct(total ? media / total : NaN), sub: 'media' }] },
      height: 320,
    }),
    layer: [
      {
        data: { name: 'main' },
        mark: { type: 'arc', innerRadius: 78, outerRadius: 140, stroke: '#ffffff', strokeWidth: 1 },
        encoding: {
          theta: { field: 'value', type: 'quantitative', stack: true },
          order: { field: 'order', type: 'quantitative', sort: 'ascending' },
          color: {
            field: 'component',
            type: 'nominal',
            title: 'Component',
            scale: componentScale(results),
            sort: rows.map((r) => r.component),
            legend: { orient: 'right', columns: rows.length > 18 ? 2 : 1 },
          },
          tooltip: [
            { field: 'component', type: 'nominal', title: 'Component' },
            { field: 'value', type: 'quantitative', format: fmt, title: `Contribution (${kpi})` },
            { field: 'share', type: 'quantitative', format: '.1%', title: 'Share of drawn total' },
          ],
        },
      },
      {
        data: { name: 'center' },
        mark: { type: 'text', fontSize: 22, fontWeight: 600, color: INK, dy: -8 },
        encoding: { text: { field: 'text', type: 'nominal' } },
      },
      {
        data: { name: 'center' },
        mark: { type: 'text', fontSize: 12, color: '#5b6673', dy: 14 },
        encoding: { text: { field: 'sub', type: 'nominal' } },
      },
    ],
  });
}
