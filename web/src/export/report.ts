// The self-contained HTML report: key figures, the data's summary, the channel table and every
// available dashboard view as inline SVG. No scripts, no external files: it opens offline from
// file:// in any browser and prints (or saves as PDF) one view per page section.
import { availableViews, type ViewOptions } from '../charts';
import { componentTotals } from '../charts/data';
import { specToSvg } from '../charts/static-svg';
import type { Metrics, ModelResults } from '../engine/results';
import { MISSING, formatFixed, formatInteger, formatPct } from '../format/number';
import { forecastVerdict } from '../engine/verdict';

export interface ReportInput {
  results: ModelResults;
  dataName: string;
  appVersion: string;
  generatedAt?: Date;
  options?: ViewOptions;
  /** Called after each view is drawn (for a progress indicator). */
  onView?: (done: number, total: number) => void;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
// Numbers in the user's locale, through the app's formatter; 'n/a' where a figure is missing.
const na = (s: string) => (s === MISSING ? 'n/a' : s);
const f2 = (x: number | null | undefined) => na(formatFixed(x, 2));
const f3 = (x: number | null | undefined) => na(formatFixed(x, 3));
const pct = (x: number | null | undefined) => na(formatPct(x));
const big = (x: number) => na(formatInteger(x));

/** One row per metric, one cell per column (training, each validation origin, holdout). */
function metricRows(columns: Metrics[]): string {
  const rows: [string, (m: Metrics) => string][] = [
    ['R² (pooled)', (m) => f3(m.r2)],
    ['R² within regions', (m) => f3(m.r2_within)],
    ['WAPE', (m) => pct(m.wape)],
    ['RMSE', (m) => big(m.rmse)],
    ['MAE', (m) => big(m.mae)],
    ['Skill vs each region’s recent mean', (m) => f3(m.skill.recent_mean)],
    ['Skill vs the same week last year', (m) => f3(m.skill.seasonal_naive)],
  ];
  return rows.map(([label, get]) => `<tr><th scope="row">${label}</th>${columns.map((m) => `<td>${get(m)}</td>`).join('')}</tr>`).join('');
}

export async function buildReportHtml(input: ReportInput): Promise<string> {
  const r = input.results;
  const when = input.generatedAt ?? new Date();
  const views = availableViews(r);
  const sections: string[] = [];
  let done = 0;
  for (const v of views) {
    const spec = v.build(r, { ...input.options, width: 860 });
    const svg = await specToSvg(spec);
    const alt = (spec as { description?: string }).description ?? v.description;
    sections.push(`<section class="view" id="view-${v.id}"><h2>${esc(v.title)}</h2><p class="desc">${esc(v.description)}</p>`
      + `<figure role="img" aria-label="${esc(alt)}">${svg}</figure></section>`);
    input.onView?.(++done, views.length);
  }
  const totals = componentTotals(r, { from: 0, to: r.shape.weeks });
  const econ = new Map(r.economics.map((e) => [e.channel, e]));
  // The ensemble's intervals (engine/ensemble.ts) as extra columns when the model has them.
  const iv = r.intervals;
  const bounds = new Map(iv?.channels.map((b) => [b.channel, b]));
  const range = (b: { lo: number; hi: number } | null | undefined) => (b ? `${f2(b.lo)} – ${f2(b.hi)}` : 'n/a');
  const channelRows = r.channelNames.map((name, c) => {
    const e = econ.get(name);
    const share = totals.mediaTotal ? totals.media[c] / totals.mediaTotal : NaN;
    const b = bounds.get(name);
    const extra = iv ? `<td>${range(b?.roi)}</td><td>${range(b?.marginalRoi)}</td>` : '';
    return `<tr><th scope="row">${esc(name)}</th><td>${big(totals.media[c])}</td><td>${pct(share)}</td><td>${f2(e?.roi)}</td><td>${f2(e?.marginalRoi)}</td>${extra}</tr>`;
  }).join('');
  const level = iv ? `${Math.round(100 * iv.level)} % interval` : '';
  const intervalHead = iv ? `<th scope="col">ROI, ${level}</th><th scope="col">Marginal ROI, ${level}</th>` : '';
  const intervalNote = iv
    ? `<p id="report-intervals" class="muted">Intervals from ${iv.k} fits (other seeds, block-bootstrapped weeks), widened ×${iv.widen} as calibrated on data with known truth. They show how much the figures move when the model is refitted; they cannot show a model that is wrong the same way in every fit.</p>`
    : '';
  const { regions, weeks, channels, controls } = r.shape;
  const verdict = forecastVerdict(r);
  // Today one backtest origin (the validation slice), whose full metrics are metrics.validation.
  const origins = verdict.validation.length && r.metrics.validation ? [{ w: verdict.validation[0], m: r.metrics.validation }] : [];
  const naive = verdict.fallbackForecast?.holdout;
  const first = r.dates[0] ?? '';
  const last = r.dates[weeks - 1] ?? '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>MMM Studio report — ${esc(input.dataName)}</title>
<style>
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1d232b;margin:24px auto;max-width:940px;padding:0 16px;line-height:1.45}
h1{font-size:24px;margin-bottom:4px}h2{font-size:18px;margin:28px 0 4px}.muted,.desc{color:#5b6673}
table{border-collapse:collapse;margin:8px 0 16px}th,td{padding:4px 14px 4px 0;text-align:left;border-bottom:1px solid #dde2e8}td{font-variant-numeric:tabular-nums}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:10px;margin:12px 0}.card{border:1px solid #dde2e8;border-radius:8px;padding:10px 12px}.card b{display:block;font-size:22px}
figure{margin:8px 0}.warn{color:#8a4b00}svg{max-width:100%;height:auto}
@media print{.view{break-inside:avoid;page-break-inside:avoid}body{margin:0}}
</style></head><body>
<header><h1>Marketing-mix model report</h1>
<p class="muted">Data: ${esc(input.dataName)} · ${regions} region${regions === 1 ? '' : 's'} × ${weeks} weeks (${esc(first)} – ${esc(last)}) × ${channels} channels × ${controls} controls · generated ${esc(when.toISOString().slice(0, 16).replace('T', ' '))} UTC by MMM Studio ${esc(input.appVersion)} (engine ${esc(r.engine.variant)}, ${r.epochs} epochs in ${na(formatFixed(r.fitSeconds, 1))} s, seed ${r.seed}).</p></header>
<div class="cards">
<div class="card">Holdout R²<b>${f3(r.metrics.holdout.r2)}</b></div>
<div class="card">Holdout R² within regions<b>${f3(r.metrics.holdout.r2_within)}</b></div>
<div class="card">Holdout WAPE<b>${pct(r.metrics.holdout.wape)}</b></div>
<div class="card">Media share of the prediction (training weeks)<b>${pct(verdict.mediaShare)}</b></div>
</div>
<p id="report-verdict"><strong>Verdict:</strong> ${esc(verdict.text)}</p>
${verdict.mediaShareWarning ? `<p id="report-media-warning" class="warn"><strong>Warning:</strong> ${esc(verdict.mediaShareWarning)}</p>` : ''}
${verdict.calibrationWarning ? `<p id="report-calibration-warning" class="warn"><strong>Warning:</strong> ${esc(verdict.calibrationWarning)}</p>` : ''}
${verdict.calibrationShiftNotice ? `<p id="report-calibration-shift" class="warn"><strong>Warning:</strong> ${esc(verdict.calibrationShiftNotice)}</p>` : ''}
<h2>Accuracy</h2>
<table id="report-accuracy"><thead><tr><th></th><th scope="col">Training weeks</th>${origins.map(({ w }) => `<th scope="col">Validation (${w.weeks} weeks from ${esc(w.firstDate)})</th>`).join('')}<th scope="col">Holdout weeks (${weeks - r.trainEnd})</th></tr></thead><tbody>${metricRows([r.metrics.train, ...origins.map((o) => o.m), r.metrics.holdout])}</tbody></table>
${naive ? `<p id="report-fallback">${esc(verdict.fallbackForecast!.label)}: on the holdout weeks it scores R² ${f3(naive.r2)}, WAPE ${pct(naive.wape)} (the model: R² ${f3(r.metrics.holdout.r2)}, WAPE ${pct(r.metrics.holdout.wape)}).</p>` : ''}
<h2>Channels</h2>
<table><thead><tr><th scope="col">Channel</th><th scope="col">Contribution</th><th scope="col">Share of media</th><th scope="col">ROI</th><th scope="col">Marginal ROI</th>${intervalHead}</tr></thead><tbody>${channelRows}</tbody></table>
${intervalNote}
${sections.join('\n')}
<footer class="muted"><p>Everything in this report was computed in the browser; no data was sent anywhere.</p></footer>
</body></html>
`;
}
