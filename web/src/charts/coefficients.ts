// View 8: time-varying media coefficients per channel (mean over regions, or one region), burn-in
// and holdout marked.
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { burnInIn, holdoutIn, matrix, resolveRange, timeAxis, topChannels } from './data';
import { asSpec, frame, hoverLayer, span, spanLayer, type Span, timeX, weekFields, wideHover } from './spec';
import { MAX_SERIES, channelScale, formatNumber, num, numberFormat, periodLabel, regionLabel } from './theme';
import type { ViewOptions } from './types';

export function coefficientsSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const rg = resolveRange(results, options?.range);
  const region = options?.region ?? null;
  const axis = timeAxis(results);
  const C = results.shape.channels;
  const beta = matrix(results, results.coefficients, C, region, true);
  const shown = topChannels(results, rg, options?.maxSeries ?? MAX_SERIES, region).sort((a, b) => a - b);
  const rows: Record<string, unknown>[] = [];
  for (const c of shown) {
    const channel = results.channelNames[c];
    for (let t = rg.from; t < rg.to; t++) rows.push({ ...weekFields(axis, t), channel, coefficient: num(beta[t * C + c]) });
  }
  const fmt = numberFormat(beta);
  const cols = shown.map((c) => ({ title: results.channelNames[c], values: Array.from({ length: results.shape.weeks }, (_, t) => beta[t * C + c]), format: fmt }));
  const hover = wideHover(axis, rg, cols, num);
  const spans: Span[] = [];
  const burn = burnInIn(results, rg);
  const hold = holdoutIn(results, rg);
  if (burn) spans.push(span(axis, burn, 'Burn-in'));
  if (hold) spans.push(span(axis, hold, 'Holdout'));
  const where = region === null ? `mean over ${results.shape.regions} regions` : regionLabel(results, region);
  const period = periodLabel(results.dates, rg.from, rg.to);
  // Channel means after burn-in, for the description.
  const means = shown.map((c) => {
    const channel = results.channelNames[c];
    let s = 0;
    let n = 0;
    for (let t = Math.max(rg.from, results.burnIn); t < rg.to; t++) {
      s += beta[t * C + c];
      n++;
    }
    return { channel, mean: n ? s / n : NaN };
  });
  means.sort((a, b) => b.mean - a.mean);
  const layers: Record<string, unknown>[] = [];
  if (spans.length) layers.push(spanLayer(axis, spans));
  layers.push({
    data: { name: 'main' },
    mark: { type: 'line', interpolate: 'monotone' },
    encoding: {
      x: timeX(axis),
      y: { field: 'coefficient', type: 'quantitative', title: 'Coefficient (KPI per unit of saturated input, scaled)', scale: { zero: false } },
      color: { field: 'channel', type: 'nominal', title: 'Channel', scale: channelScale(results), legend: { orient: 'right', values: shown.map((c) => results.channelNames[c]) } },
    },
  });
  layers.push(hoverLayer(axis, hover.tooltip, 'hover'));
  return asSpec({
    ...frame({
      id: 'coefficients',
      title: `Time-varying media coefficients, ${period}`,
      subtitle: [
        `${where} · during burn-in the coefficients are held near their stable values`,
        ...(shown.length < C ? [`The ${shown.length} channels with the largest contribution; see Channel detail for the other ${C - shown.length}`] : []),
      ],
      description:
        `Line chart of the weekly media coefficient of ${shown.length < C ? `the ${shown.length} largest of ${C}` : `each of ${C}`} channels, ${where}, ${period}. ` +
        `Highest average after burn-in: ${means.slice(0, 3).map((m) => `${m.channel} ${formatNumber(m.mean)}`).join(', ')}.`,
      datasets: { main: rows, hover: hover.rows, spans: spans as unknown as Record<string, unknown>[] },
      height: 340,
    }),
    layer: layers,
  });
}
