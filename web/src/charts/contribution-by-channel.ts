// View 4: media contribution by channel in KPI units, sorted bars.
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { componentTotals, resolveRange } from './data';
import { asSpec, frame } from './spec';
import { AXIS_NUM, channelScale, formatCompact, formatPct, kpiLabel, num, numberFormat, periodLabel, regionLabel } from './theme';
import type { ViewOptions } from './types';

export function contributionByChannelSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const kpi = kpiLabel(options);
  const rg = resolveRange(results, options?.range);
  const region = options?.region ?? null;
  const tot = componentTotals(results, rg, region);
  const full = rg.from === 0 && rg.to === results.shape.weeks && region === null;
  const econ = new Map(results.economics.map((e) => [e.channel, e]));
  // The ensemble's share interval (engine/ensemble.ts) is of the whole panel's incremental share, so
  // it is offered (in the tooltip) only for the whole panel.
  const bounds = full ? new Map(results.intervals?.channels.map((b) => [b.channel, b.share])) : new Map<string, never>();
  const rows = results.channelNames.map((channel, c) => {
    const e = econ.get(channel);
    const b = bounds.get(channel);
    return {
      ...(b && { shareLo: num(b.lo), shareHi: num(b.hi) }),
      channel,
      contribution: num(tot.media[c]),
      share: tot.mediaTotal !== 0 ? num(tot.media[c] / tot.mediaTotal) : null,
      ofPrediction: tot.prediction !== 0 ? num(tot.media[c] / tot.prediction) : null,
      indirect: full && e ? num(e.indirect) : null,
      label: formatCompact(tot.media[c]),
    };
  });
  const sorted = [...rows].sort((a, b) => (b.contribution ?? 0) - (a.contribution ?? 0));
  const fmt = numberFormat(tot.media);
  const period = periodLabel(results.dates, rg.from, rg.to);
  const where = regionLabel(results, region);
  const top = sorted.slice(0, 3).map((r) => `${r.channel} ${formatCompact(r.contribution)} (${formatPct(r.share)})`);
  const description =
    `Horizontal bar chart of the ${kpi} each of ${rows.length} media channels contributed, ${period}, ${where}, largest first. ` +
    `Media total ${formatCompact(tot.mediaTotal)} ${kpi}, ${formatPct(tot.prediction ? tot.mediaTotal / tot.prediction : NaN)} of predicted ${kpi}. Top: ${top.join('; ')}.`;
  const tooltip: Record<string, unknown>[] = [
    { field: 'channel', type: 'nominal', title: 'Channel' },
    { field: 'contribution', type: 'quantitative', format: fmt, title: `Contribution (${kpi})` },
    { field: 'share', type: 'quantitative', format: '.1%', title: 'Share of media' },
    { field: 'ofPrediction', type: 'quantitative', format: '.1%', title: `Share of predicted ${kpi}` },
  ];
  if (full) tooltip.push({ field: 'indirect', type: 'quantitative', format: fmt, title: `Also caused via DAG children (${kpi})` });
  if (bounds.size && results.intervals)
    tooltip.push({ field: 'shareLo', type: 'quantitative', format: '.1%', title: `Share of media, ${Math.round(100 * results.intervals.level)} % interval: from` }, { field: 'shareHi', type: 'quantitative', format: '.1%', title: 'to' });
  const y = { field: 'channel', type: 'nominal', sort: sorted.map((r) => r.channel), title: null };
  return asSpec({
    ...frame({
      id: 'contribution-by-channel',
      title: `Media contribution by channel, ${period} (${kpi})`,
      subtitle: `${where} · media total ${formatCompact(tot.mediaTotal)} ${kpi} (${formatPct(tot.prediction ? tot.mediaTotal / tot.prediction : NaN)} of predicted)`,
      description,
      datasets: { main: rows },
      height: Math.max(120, 26 * rows.length),
    }),
    data: { name: 'main' },
    encoding: { y },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 2 },
        encoding: {
          x: { field: 'contribution', type: 'quantitative', title: `Contribution (${kpi})`, axis: AXIS_NUM },
          color: { field: 'channel', type: 'nominal', scale: channelScale(results), legend: null },
          tooltip,
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, color: '#3b4450' },
        encoding: { x: { field: 'contribution', type: 'quantitative' }, text: { field: 'label', type: 'nominal' }, tooltip },
      },
    ],
  });
}
