// View 16: the learned media transforms per channel — adstock decay (share of a week's input still
// acting 0..12 weeks later) and Hill saturation (0..3× the channel's typical scaled input).
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { typicalScaledInput } from './data';
import { asSpec, frame, panelWidth } from './spec';
import { channelScale, formatNumber, num } from './theme';
import type { ViewOptions } from './types';

export const ADSTOCK_LAGS = 12;
export const HILL_MAX_FACTOR = 3;

/** Half-life in weeks of the normalised geometric adstock a_t = α a_{t-1} + (1-α) x_t. */
export function halfLife(alpha: number): number {
  return alpha > 0 && alpha < 1 ? Math.log(0.5) / Math.log(alpha) : alpha >= 1 ? Infinity : 0;
}

export function transformsSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const names = results.channelNames;
  const typical = typicalScaledInput(results);
  const rows: Record<string, unknown>[] = [];
  names.forEach((channel, c) => {
    const a = results.adstock[c];
    for (let l = 0; l <= ADSTOCK_LAGS; l++) rows.push({ channel, kind: 'adstock', x: l, y: num((1 - a) * a ** l), alpha: num(a), halfLife: num(halfLife(a)) });
    const K = results.hillHalfSaturation[c];
    const s = results.hillSlope[c];
    const u = typical[c] || 1;
    for (let i = 0; i <= 30; i++) {
      const f = (HILL_MAX_FACTOR * i) / 30;
      const x = f * u;
      const h = x > 0 && K > 0 ? x ** s / (x ** s + K ** s) : x > 0 ? 1 : 0;
      rows.push({ channel, kind: 'hill', x: num(f), y: num(h), input: num(x), slope: num(s), half: num(K), halfFactor: num(K / u) });
    }
  });
  const w = panelWidth(options, 2, 40, 100);
  const color = { field: 'channel', type: 'nominal', title: 'Channel', scale: channelScale(results), legend: { orient: 'right', columns: names.length > 20 ? 2 : 1 } };
  const longest = names.map((n, c) => ({ n, h: halfLife(results.adstock[c]) })).sort((a, b) => b.h - a.h)[0];
  const steepest = names.map((n, c) => ({ n, k: results.hillHalfSaturation[c] / (typical[c] || 1) })).sort((a, b) => a.k - b.k)[0];
  return asSpec({
    ...frame({
      id: 'transforms',
      title: 'Learned carry-over (adstock) and saturation (Hill) per channel',
      subtitle: 'Left: share of one week’s input still acting after each lag · right: saturation vs input, as a multiple of the channel’s typical week',
      description:
        `Two line charts for ${names.length} channels. Adstock: the weight of a week's media 0 to ${ADSTOCK_LAGS} weeks later; ` +
        `longest carry-over ${longest?.n ?? '–'} (half-life ${formatNumber(longest?.h)} weeks). ` +
        `Hill saturation from 0 to ${HILL_MAX_FACTOR}× typical input; ${steepest?.n ?? '–'} saturates earliest (half-saturation at ${formatNumber(steepest?.k)}× typical).`,
      datasets: { main: rows },
      compound: true,
    }),
    data: { name: 'main' },
    hconcat: [
      {
        width: w,
        height: 260,
        transform: [{ filter: "datum.kind === 'adstock'" }],
        mark: { type: 'line', point: { size: 24 } },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: 'Weeks after the input (lag)', axis: { tickMinStep: 1, format: 'd' }, scale: { domain: [0, ADSTOCK_LAGS] } },
          y: { field: 'y', type: 'quantitative', title: 'Share of the input acting', axis: { format: '.0%' } },
          color,
          tooltip: [
            { field: 'channel', type: 'nominal', title: 'Channel' },
            { field: 'x', type: 'quantitative', title: 'Lag (weeks)' },
            { field: 'y', type: 'quantitative', format: '.2%', title: 'Weight' },
            { field: 'alpha', type: 'quantitative', format: '.3f', title: 'Decay α' },
            { field: 'halfLife', type: 'quantitative', format: '.1f', title: 'Half-life (weeks)' },
          ],
        },
      },
      {
        width: w,
        height: 260,
        transform: [{ filter: "datum.kind === 'hill'" }],
        mark: { type: 'line', interpolate: 'monotone' },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: 'Input (× typical week)', scale: { domain: [0, HILL_MAX_FACTOR] } },
          y: { field: 'y', type: 'quantitative', title: 'Saturation (0–100 %)', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
          color,
          tooltip: [
            { field: 'channel', type: 'nominal', title: 'Channel' },
            { field: 'x', type: 'quantitative', format: '.2f', title: '× typical input' },
            { field: 'y', type: 'quantitative', format: '.1%', title: 'Saturation' },
            { field: 'slope', type: 'quantitative', format: '.2f', title: 'Hill slope' },
            { field: 'halfFactor', type: 'quantitative', format: '.2f', title: 'Half-saturation (× typical)' },
          ],
        },
      },
    ],
    resolve: { scale: { color: 'shared' } },
  });
}
