// The verdict in the Model quality view, the Actual vs predicted view and the HTML report, drawn
// from a real fitted model (core-st); and the regression test for the R² gap coloured as good
// while the holdout was bad.
import { beforeAll, describe, expect, it } from 'vitest';
import { actualVsPredictedSpec } from '../../../web/src/charts/actual-vs-predicted';
import { qualitySpec } from '../../../web/src/charts/quality';
import { qualityCards } from '../../../web/src/charts/quality-cards';
import { specToSvg } from '../../../web/src/charts/static-svg';
import type { ParsedExperiment } from '../../../web/src/calibration/experiments-file';
import { calibrationReport } from '../../../web/src/calibration/report';
import { channelRoi, type ModelResults } from '../../../web/src/engine/results';
import { FALLBACK_LABEL, forecastVerdict } from '../../../web/src/engine/verdict';
import { buildReportHtml } from '../../../web/src/export/report';
import { formatFixed, formatPct, setNumberLocale } from '../../../web/src/format/number';
import { makeResults } from './fixture';
import { compileSpec } from './helpers';
import { fitDemoModel } from './real-model';

const real = await fitDemoModel();

/** The real model with its validation skill set below 0: the branch where the app shows the naive forecast. */
function withoutValidationSkill(r: ModelResults): ModelResults {
  const v = r.metrics.validation!;
  return { ...r, metrics: { ...r.metrics, validation: { ...v, skill: { ...v.skill, recent_mean: -0.4 } } } };
}

const mainRows = (spec: unknown) => (spec as { datasets: { main: Record<string, unknown>[] } }).datasets.main;
const unescape = (s: string) => s.replace(/&#39;|&#x27;/g, "'").replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

beforeAll(() => void setNumberLocale('en-US'));

describe('Model quality view: verdict, validation backtest, media share (real model)', () => {
  it('the real fit carries the validation slice, so the verdict has one backtest origin', () => {
    expect(real.metrics.validation?.n).toBe(real.shape.regions * real.validationWeeks);
    const v = forecastVerdict(real);
    expect(v.validation).toHaveLength(1);
    expect(v.mediaShare).toBeGreaterThan(0);
  });

  it('draws a Validation column beside Train and Holdout, with the verdict and media share in the title', async () => {
    const spec = qualitySpec(real);
    const v = forecastVerdict(real);
    const col = `Validation from ${v.validation[0].firstDate}`;
    const rows = mainRows(spec);
    const skill = rows.find((r) => r.column === col && r.metric === 'Skill vs recent mean');
    expect(skill?.value).toBeCloseTo(real.metrics.validation!.skill.recent_mean, 12);
    expect(rows.some((r) => r.column === 'Holdout' && r.metric === 'Skill vs recent mean')).toBe(true);
    expect(compileSpec(spec).warnings).toEqual([]);
    const svg = unescape(await specToSvg(spec));
    expect(svg).toContain(col);
    expect(svg).toContain('Media share of the prediction (training weeks)');
    // The verdict is long: wrapped over subtitle lines, its opening words are on the first.
    expect(svg).toContain(v.text.slice(0, 40));
    expect((spec as { description: string }).description).toContain(v.text);
  });

  it('Actual vs predicted draws no naive line when the model has skill on the validation weeks', () => {
    const r = { ...real, metrics: { ...real.metrics, validation: { ...real.metrics.validation!, skill: { ...real.metrics.validation!.skill, recent_mean: 0.3 } } } };
    const rows = mainRows(actualVsPredictedSpec(r));
    expect(rows.some((x) => 'Naive forecast' in x)).toBe(false);
  });

  it('Actual vs predicted draws the labelled naive forecast over the holdout when the model falls back', async () => {
    const r = withoutValidationSkill(real);
    const v = forecastVerdict(r);
    expect(v.fallback).toBe('recent_mean');
    const spec = actualVsPredictedSpec(r);
    const rows = mainRows(spec);
    const T = r.shape.weeks;
    expect(rows).toHaveLength(T);
    // Summed over regions: Σ_r each region's recent mean, constant over the holdout, absent before.
    const expected = Array.from({ length: r.shape.regions }, (_, reg) => v.fallbackForecast!.forecast[reg * T + r.trainEnd]).reduce((a, b) => a + b, 0);
    for (const row of rows.slice(r.trainEnd)) expect(row['Naive forecast'] as number).toBeCloseTo(expected, 0);
    for (const row of rows.slice(0, r.trainEnd)) expect(row['Naive forecast']).toBeNull();
    expect(compileSpec(spec).warnings).toEqual([]);
    const svg = unescape(await specToSvg(spec));
    expect(svg).toContain('Naive forecast');
    expect(svg).toContain(FALLBACK_LABEL.slice(0, 30));
    expect((spec as { description: string }).description).toContain(FALLBACK_LABEL);
  });
});

describe('HTML report: verdict, validation figures, media share (real model)', () => {
  it('has the verdict, a validation column and the media share; the naive forecast when it is shown', async () => {
    const v = forecastVerdict(real);
    const html = unescape(await buildReportHtml({ results: real, dataName: 'demo', appVersion: '0.1.0' }));
    expect(html).toContain(`<strong>Verdict:</strong> ${v.text}`);
    expect(html).toContain(`Validation (${v.validation[0].weeks} weeks from ${v.validation[0].firstDate})`);
    expect(html).toContain(formatFixed(real.metrics.validation!.r2, 3));
    expect(html).toContain(`Media share of the prediction (training weeks)<b>${formatPct(v.mediaShare)}</b>`);
    expect(html).not.toContain('id="report-fallback"');

    const fallback = withoutValidationSkill(real);
    const fv = forecastVerdict(fallback);
    const fhtml = unescape(await buildReportHtml({ results: fallback, dataName: 'demo', appVersion: '0.1.0' }));
    expect(fhtml).toContain(`${FALLBACK_LABEL}: on the holdout weeks it scores R² ${formatFixed(fv.fallbackForecast!.holdout!.r2, 3)}`);
  }, 120_000);

  it('warns in the report when the calibrated model disagrees with an experiment, and not when it agrees', async () => {
    // This model was fitted without the analysis (no economics, so no ROI): the lift gap alone decides.
    const channel = real.channelNames[0];
    expect(channelRoi(real, channel)).toBeNull();
    const spend = 1e4;
    const measured = 2e4;
    const se = 0.05 * measured;
    const test: ParsedExperiment = { row: 2, channel, start: real.dates[10], end: real.dates[17], regions: [], kind: 'lift', value: measured, se, experiment: { channel: 0, startWeek: 10, endWeek: 17, lift: measured, liftSe: se } };
    const withGap = (gap: number): ModelResults => ({ ...real, calibration: calibrationReport([test], [], [{ measured, measuredSe: se, model: measured + gap * se, spend, z: gap }], null) });
    const off = withGap(-4);
    const html = unescape(await buildReportHtml({ results: off, dataName: 'demo', appVersion: '0.1.0' }));
    expect(html).toContain(`<p id="report-calibration-warning" class="warn"><strong>Warning:</strong> ${forecastVerdict(off).calibrationWarning}</p>`);
    expect(html).toContain('the model’s lift is 4.0 standard errors below the measured one');
    const agreeing = unescape(await buildReportHtml({ results: withGap(1), dataName: 'demo', appVersion: '0.1.0' }));
    expect(agreeing).not.toContain('report-calibration-warning');
  }, 120_000);

  it('warns in the report when calibration moved a channel no test measured', async () => {
    // The real model's economics are not analysed here: give it two channels' ROIs, the second untested.
    const [tested, other] = real.channelNames;
    const economics = real.channelNames.map((channel, c) => ({ channel, roi: c === 0 ? 2 : 3 }) as ModelResults['economics'][number]);
    const se = 100;
    const test: ParsedExperiment = { row: 2, channel: tested, start: real.dates[10], end: real.dates[17], regions: [], kind: 'lift', value: 1000, se, experiment: { channel: 0, startWeek: 10, endWeek: 17, lift: 1000, liftSe: se } };
    const roiBefore = real.channelNames.map((channel, c) => ({ channel, roi: c === 1 ? 2 : c === 0 ? 2.5 : 3 }));
    const r: ModelResults = { ...real, economics, calibration: calibrationReport([test], [], [{ measured: 1000, measuredSe: se, model: 1000, spend: 500, z: 0 }], null, roiBefore) };
    const notice = forecastVerdict(r).calibrationShiftNotice!;
    expect(notice).toContain(`${other} 2 → 3 (+50%)`);
    const html = unescape(await buildReportHtml({ results: r, dataName: 'demo', appVersion: '0.1.0' }));
    expect(html).toContain(`<p id="report-calibration-shift" class="warn"><strong>Warning:</strong> ${notice}</p>`);
    expect(unescape(await buildReportHtml({ results: real, dataName: 'demo', appVersion: '0.1.0' }))).not.toContain('report-calibration-shift');
  }, 120_000);

  it('warns in the report when media is credited with more than 80 % of the prediction', async () => {
    const r = { ...real, media: Float32Array.from(real.media, (x) => x * 20) };
    const html = unescape(await buildReportHtml({ results: r, dataName: 'demo', appVersion: '0.1.0' }));
    expect(html).toMatch(/<strong>Warning:<\/strong> The model credits \d+% of the KPI to media — implausible for most businesses/);
  }, 120_000);
});

describe('regression: R² gap coloured as good while the holdout was bad', () => {
  // Issue 12: train R² 0.957 and holdout R² 0.94 give a 0.017 gap, painted green, while the
  // holdout lost to the naive forecast (skill −3.28).
  function gapTone(holdout: { r2: number; recent: number }, trainR2 = 0.957): string {
    const r = makeResults({ regions: 3, weeks: 70, holdoutWeeks: 13 });
    r.metrics.train = { ...r.metrics.train, r2: trainR2 };
    r.metrics.holdout = { ...r.metrics.holdout, r2: holdout.r2, skill: { recent_mean: holdout.recent, seasonal_naive: null } };
    return qualityCards(r).cards.find((c) => c.id === 'gap')!.tone;
  }

  it('is not good when the holdout has no skill over the recent mean', () => {
    expect(gapTone({ r2: 0.94, recent: -3.28 })).toBe('bad');
  });

  it('is not good when the holdout R² is negative (gap small because train is poor too)', () => {
    expect(gapTone({ r2: -0.05, recent: 0.1 }, -0.02)).toBe('bad');
  });

  it('stays good for a small gap on a good holdout', () => {
    expect(gapTone({ r2: 0.94, recent: 0.2 })).toBe('good');
  });
});
