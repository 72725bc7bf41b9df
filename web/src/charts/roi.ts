// View 15: ROI and marginal ROI by channel where spend is known; effect per 1,000 activity units
// for channels known only by activity.
import type { TopLevelSpec } from 'vega-lite';
import type { ChannelEconomics, ModelResults } from '../engine/results';
import { asSpec, frame, panelWidth } from './spec';
import { AXIS_NUM, INK, channelScale, formatNumber, kpiLabel, num, numberFormat, spendLabel } from './theme';
import type { ViewOptions } from './types';

export function roiChannels(results: ModelResults): { spend: ChannelEconomics[]; activity: ChannelEconomics[] } {
  const spend = results.economics.filter((e) => e.roi !== null && Number.isFinite(e.roi));
  const activity = results.economics.filter((e) => !spend.includes(e) && e.effectPer1000 !== null && Number.isFinite(e.effectPer1000));
  return { spend, activity };
}

export function roiAvailable(results: ModelResults): boolean {
  const { spend, activity } = roiChannels(results);
  return spend.length + activity.length > 0;
}

export function roiSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const kpi = kpiLabel(options);
  const money = spendLabel(options);
  const { spend, activity } = roiChannels(results);
  const byRoi = [...spend].sort((a, b) => (b.roi ?? 0) - (a.roi ?? 0));
  const roiRows: Record<string, unknown>[] = [];
  // The ensemble's intervals (engine/ensemble.ts), drawn as error bars when the model has them.
  const bounds = new Map(results.intervals?.channels.map((b) => [b.channel, b]));
  const range = (iv: { lo: number; hi: number } | null | undefined) => (iv ? { lo: num(iv.lo), hi: num(iv.hi) } : { lo: null, hi: null });
  for (const e of byRoi) {
    const common = { channel: e.channel, spend: num(e.spend ?? NaN), contribution: num(e.contribution), roiTotal: num(e.roiTotal ?? NaN), revenueRoi: num(e.revenueRoi ?? NaN), costPerKpi: num(e.costPerKpi ?? NaN) };
    roiRows.push({ ...common, metric: 'ROI', value: num(e.roi ?? NaN), ...range(bounds.get(e.channel)?.roi) });
    if (e.marginalRoi !== null && Number.isFinite(e.marginalRoi)) roiRows.push({ ...common, metric: 'Marginal ROI', value: num(e.marginalRoi), ...range(bounds.get(e.channel)?.marginalRoi) });
  }
  const level = results.intervals ? `${Math.round(100 * results.intervals.level)} % interval` : '';
  const effRows = [...activity]
    .sort((a, b) => (b.effectPer1000 ?? 0) - (a.effectPer1000 ?? 0))
    .map((e) => ({ channel: e.channel, metric: `${kpi} per 1,000 units`, value: num(e.effectPer1000 ?? NaN), activity: num(e.activity ?? NaN), contribution: num(e.contribution) }));
  const cs = channelScale(results);
  const fmtRoi = numberFormat(roiRows.map((r) => (r.value as number) ?? 0));
  const roiY = {
    y: { field: 'channel', type: 'nominal', sort: byRoi.map((e) => e.channel), title: null },
    yOffset: { field: 'metric', type: 'nominal', sort: ['ROI', 'Marginal ROI'] },
  };
  const roiBars = {
    mark: { type: 'bar', cornerRadiusEnd: 2 },
    encoding: {
      ...roiY,
      x: { field: 'value', type: 'quantitative', title: `${kpi} per ${money}`, axis: AXIS_NUM },
      color: { field: 'channel', type: 'nominal', scale: cs, legend: null },
      opacity: { field: 'metric', type: 'nominal', title: null, sort: ['ROI', 'Marginal ROI'], scale: { domain: ['ROI', 'Marginal ROI'], range: [1, 0.45] }, legend: { orient: 'top', direction: 'horizontal' } },
      tooltip: [
        { field: 'channel', type: 'nominal', title: 'Channel' },
        { field: 'metric', type: 'nominal', title: 'Measure' },
        { field: 'value', type: 'quantitative', format: fmtRoi, title: `${kpi} per ${money}` },
        { field: 'spend', type: 'quantitative', format: ',.0f', title: `Spend (${money})` },
        { field: 'contribution', type: 'quantitative', format: numberFormat(spend.map((e) => e.contribution)), title: `Contribution (${kpi})` },
        { field: 'roiTotal', type: 'quantitative', format: fmtRoi, title: 'ROI incl. effects via DAG' },
        { field: 'costPerKpi', type: 'quantitative', format: numberFormat(spend.map((e) => e.costPerKpi ?? 0)), title: `Cost per ${kpi} (${money})` },
        ...(level ? [{ field: 'lo', type: 'quantitative', format: fmtRoi, title: `${level}: from` }, { field: 'hi', type: 'quantitative', format: fmtRoi, title: 'to' }] : []),
      ],
    },
  };
  const errorBars = {
    name: 'roi-interval',
    transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
    mark: { type: 'rule', color: INK, strokeWidth: 1.5 },
    encoding: { ...roiY, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
  };
  const roiLayer = (width?: number) => ({
    ...(width ? { width, height: Math.max(120, 34 * byRoi.length) } : {}),
    data: { name: 'main' },
    ...(level ? { layer: [roiBars, errorBars] } : roiBars),
  });
  const effLayer = (width?: number) => ({
    ...(width ? { width, height: Math.max(100, 26 * effRows.length) } : {}),
    data: { name: 'activity' },
    mark: { type: 'bar', cornerRadiusEnd: 2 },
    encoding: {
      y: { field: 'channel', type: 'nominal', sort: effRows.map((r) => r.channel), title: null },
      x: { field: 'value', type: 'quantitative', title: `${kpi} per 1,000 activity units`, axis: AXIS_NUM },
      color: { field: 'channel', type: 'nominal', scale: cs, legend: null },
      tooltip: [
        { field: 'channel', type: 'nominal', title: 'Channel' },
        { field: 'value', type: 'quantitative', format: numberFormat(effRows.map((r) => r.value ?? 0)), title: `${kpi} per 1,000 units` },
        { field: 'activity', type: 'quantitative', format: ',.0f', title: 'Activity (units)' },
        { field: 'contribution', type: 'quantitative', format: numberFormat(activity.map((e) => e.contribution)), title: `Contribution (${kpi})` },
      ],
    },
  });
  const best = byRoi[0];
  const bestEff = effRows[0];
  const description =
    (spend.length
      ? `Grouped bar chart of return on investment (${kpi} per ${money}) and marginal ROI for ${spend.length} channels with spend, highest ROI first` +
        (best ? `: ${best.channel} ROI ${formatNumber(best.roi)}, marginal ${formatNumber(best.marginalRoi)}. ` : '. ')
      : '') +
    (effRows.length ? `Effect per 1,000 activity units for ${effRows.length} channels without spend` + (bestEff ? `; highest ${bestEff.channel} ${formatNumber(bestEff.value)}.` : '.') : '');
  const title = spend.length ? `Return on investment by channel (${kpi} per ${money})` : `Effect per 1,000 activity units by channel (${kpi})`;
  const subtitle = spend.length
    ? 'Solid: average ROI = contribution / spend · faded: marginal ROI = extra return of the next unit of spend' + (level ? ` · lines: ${level} from ${results.intervals!.k} fits` : '')
    : 'No spend is known for these channels; the effect is shown per 1,000 units of activity';
  const datasets = { main: spend.length ? roiRows : effRows, activity: effRows };
  if (spend.length && effRows.length) {
    const w = panelWidth(options);
    return asSpec({
      ...frame({ id: 'roi', title, subtitle, description, datasets, compound: true }),
      vconcat: [roiLayer(w), { ...effLayer(w), title: { text: 'Channels without spend: effect per 1,000 activity units', fontSize: 13 } }],
      resolve: { scale: { x: 'independent' } },
    });
  }
  if (spend.length) return asSpec({ ...frame({ id: 'roi', title, subtitle, description, datasets: { main: roiRows }, height: Math.max(120, 34 * byRoi.length) }), ...roiLayer() });
  return asSpec({ ...frame({ id: 'roi', title, subtitle, description, datasets: { main: effRows }, height: Math.max(100, 26 * effRows.length) }), ...effLayer(), data: { name: 'main' } });
}
