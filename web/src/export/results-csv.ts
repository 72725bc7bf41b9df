// CSV exports of a fitted model's results (app downloads and CLI --out).
import type { ModelResults } from '../engine/results';
import { regionTable } from '../charts/data';
import { csvLine, toCsvText } from './csv';

/** Long format: region, week, component, value (KPI units). Components: actual, prediction,
 * baseline, seasonality, each control and each media channel. */
export function contributionsCsv(r: ModelResults): string {
  const { regions: R, weeks: T, channels: C, controls: K } = r.shape;
  const lines = [csvLine(['region', 'week', 'component', 'value'])];
  for (let reg = 0; reg < R; reg++) {
    for (let t = 0; t < T; t++) {
      const i = reg * T + t;
      const region = r.regionNames[reg] ?? String(reg);
      const week = r.dates[t] ?? String(t);
      const push = (component: string, value: number) => lines.push(csvLine([region, week, component, value]));
      push('actual', r.actual[i]);
      push('prediction', r.prediction[i]);
      push('baseline', r.baseline[i]);
      push('seasonality', r.seasonal[i]);
      for (let k = 0; k < K; k++) push(`control:${r.controlNames[k]}`, r.controls[i * K + k]);
      for (let c = 0; c < C; c++) push(`media:${r.channelNames[c]}`, r.media[i * C + c]);
    }
  }
  return lines.join('\n') + '\n';
}

/** Per-region fit and contribution: region, actual and predicted totals, R², WAPE (all weeks and
 * holdout), media contribution and share. */
export function regionsCsv(r: ModelResults): string {
  return toCsvText(regionTable(r) as unknown as Record<string, unknown>[]);
}
