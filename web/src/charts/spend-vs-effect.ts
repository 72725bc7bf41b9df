// Extra view: share of spend vs share of media contribution per channel — which channels punch
// above their weight.
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { formatFixed } from '../format/number';
import { asSpec, frame } from './spec';
import { channelScale, kpiLabel, num } from './theme';
import type { ViewOptions } from './types';

export function spendVsEffectAvailable(results: ModelResults): boolean {
  return results.economics.filter((e) => e.spend !== null && Number.isFinite(e.spend) && (e.spend as number) > 0).length >= 1;
}

export function spendVsEffectSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const kpi = kpiLabel(options);
  const withSpend = results.economics.filter((e) => e.spend !== null && Number.isFinite(e.spend));
  const spendTotal = withSpend.reduce((s, e) => s + (e.spend as number), 0);
  const effTotal = withSpend.reduce((s, e) => s + e.contribution, 0);
  const rows: Record<string, unknown>[] = [];
  for (const e of withSpend) {
    const ss = spendTotal ? (e.spend as number) / spendTotal : NaN;
    const es = effTotal ? e.contribution / effTotal : NaN;
    rows.push({ channel: e.channel, measure: 'Share of spend', share: num(ss), ratio: num(es / ss) });
    rows.push({ channel: e.channel, measure: `Share of ${kpi} from media`, share: num(es), ratio: num(es / ss) });
  }
  const order = [...withSpend].sort((a, b) => b.contribution / (b.spend as number) - a.contribution / (a.spend as number)).map((e) => e.channel);
  const measures = ['Share of spend', `Share of ${kpi} from media`];
  const ranked = order.slice(0, 2).map((c) => {
    const r = rows.find((x) => x.channel === c) as Record<string, number>;
    return `${c} ${formatFixed(r.ratio, 2)}×`;
  });
  return asSpec({
    ...frame({
      id: 'spend-vs-effect',
      title: `Share of spend vs share of media ${kpi}`,
      subtitle: 'Faded: share of spend · solid: share of media contribution · channels ordered by effect per unit of spend',
      description:
        `Grouped bar chart comparing each of ${withSpend.length} channels' share of total spend with its share of the media contribution to ${kpi}. ` +
        `Best effect-to-spend ratios: ${ranked.join(', ')}.`,
      datasets: { main: rows },
      height: Math.max(120, 34 * withSpend.length),
    }),
    data: { name: 'main' },
    mark: { type: 'bar', cornerRadiusEnd: 2 },
    encoding: {
      y: { field: 'channel', type: 'nominal', sort: order, title: null },
      yOffset: { field: 'measure', type: 'nominal', sort: measures },
      x: { field: 'share', type: 'quantitative', title: 'Share of total', axis: { format: '.0%' } },
      color: { field: 'channel', type: 'nominal', scale: channelScale(results), legend: null },
      opacity: { field: 'measure', type: 'nominal', title: null, sort: measures, scale: { domain: measures, range: [0.4, 1] }, legend: { orient: 'top', direction: 'horizontal' } },
      tooltip: [
        { field: 'channel', type: 'nominal', title: 'Channel' },
        { field: 'measure', type: 'nominal', title: 'Measure' },
        { field: 'share', type: 'quantitative', format: '.2%', title: 'Share' },
        { field: 'ratio', type: 'quantitative', format: '.2f', title: 'Effect share ÷ spend share' },
      ],
    },
  });
}

