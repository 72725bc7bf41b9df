// View 18: fit and media contribution per region — R² (or WAPE) and media share bars for the
// largest regions. The app draws the full sortable table from regionTable() (data.ts).
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { formatFixed } from '../format/number';
import { regionTable, resolveRange } from './data';
import { asSpec, frame, panelWidth } from './spec';
import { ACCENT, COMPONENT_COLORS, formatPct, kpiLabel, numberFormat, periodLabel } from './theme';
import type { ViewOptions } from './types';

export const DEFAULT_TOP_REGIONS = 40;

export function regionsSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const kpi = kpiLabel(options);
  const rg = resolveRange(results, options?.range);
  const metric = options?.metric ?? 'r2';
  const all = regionTable(results, rg);
  const top = Math.max(1, Math.min(all.length, options?.top ?? DEFAULT_TOP_REGIONS));
  const rows = [...all].sort((a, b) => b.actual - a.actual).slice(0, top);
  const order = rows.map((r) => r.region);
  const w = panelWidth(options, 2, 30, 40);
  const fmt = numberFormat(rows.map((r) => r.actual));
  const tooltip = [
    { field: 'region', type: 'nominal', title: 'Region' },
    { field: 'actual', type: 'quantitative', format: fmt, title: `Actual ${kpi}` },
    { field: 'predicted', type: 'quantitative', format: fmt, title: `Predicted ${kpi}` },
    { field: 'r2', type: 'quantitative', format: '.3f', title: 'R² (after burn-in)' },
    { field: 'wape', type: 'quantitative', format: '.1%', title: 'WAPE' },
    { field: 'holdoutR2', type: 'quantitative', format: '.3f', title: 'Holdout R²' },
    { field: 'holdoutWape', type: 'quantitative', format: '.1%', title: 'Holdout WAPE' },
    { field: 'media', type: 'quantitative', format: fmt, title: `Media contribution (${kpi})` },
    { field: 'mediaShare', type: 'quantitative', format: '.1%', title: 'Media share' },
  ];
  const y = { field: 'region', type: 'nominal', sort: order, title: null };
  const h = Math.max(100, Math.min(22, 900 / top) * top);
  const fitTitle = metric === 'wape' ? 'WAPE (lower is better)' : 'R² within region (after burn-in)';
  const period = periodLabel(results.dates, rg.from, rg.to);
  const ok = all.filter((r) => r.r2 !== null).map((r) => r.r2 as number).sort((a, b) => a - b);
  const median = ok.length ? ok[Math.floor(ok.length / 2)] : NaN;
  const shares = all.filter((r) => r.mediaShare !== null).map((r) => r.mediaShare as number);
  return asSpec({
    ...frame({
      id: 'regions',
      title: `Fit and media share by region, ${period}`,
      subtitle:
        (top < all.length ? `Largest ${top} of ${all.length} regions by actual ${kpi}` : `All ${all.length} regions, largest first`) +
        ` · median region R² ${formatFixed(median, 3)}`,
      description:
        `Two bar charts for the ${top} largest of ${all.length} regions by actual ${kpi}, ${period}: ${metric === 'wape' ? 'WAPE' : 'R²'} of the model in each region, ` +
        `and the share of the region's predicted ${kpi} due to media (from ${formatPct(Math.min(...shares))} to ${formatPct(Math.max(...shares))}). ` +
        `Median region R² ${formatFixed(median, 3)}.`,
      datasets: { main: all as unknown as Record<string, unknown>[] },
      compound: true,
    }),
    data: { name: 'main' },
    transform: [{ filter: { field: 'region', oneOf: order } }],
    hconcat: [
      {
        width: w,
        height: h,
        mark: { type: 'bar', color: ACCENT, cornerRadiusEnd: 2 },
        encoding: {
          y,
          x: metric === 'wape' ? { field: 'wape', type: 'quantitative', title: fitTitle, axis: { format: '.0%' } } : { field: 'r2', type: 'quantitative', title: fitTitle, scale: { domainMax: 1 } },
          tooltip,
        },
      },
      {
        width: w,
        height: h,
        mark: { type: 'bar', color: COMPONENT_COLORS.Controls, cornerRadiusEnd: 2 },
        encoding: {
          y: { ...y, axis: null },
          x: { field: 'mediaShare', type: 'quantitative', title: `Media share of predicted ${kpi}`, axis: { format: '.0%' } },
          tooltip,
        },
      },
    ],
  });
}
