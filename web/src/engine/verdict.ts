// The verdict on a fitted model's forecasts, one place for the app, the CLI and the report: the
// backtest per forecast origin (today one: the validation slice), the holdout figures, media's
// share of the prediction, a plain-language verdict against two naive forecasts, whether a calibrated
// model still disagrees with its experiments or moved a channel no test measured, and the fallback
// to the naive forecast when the model shows no skill on the validation weeks. Pure: no DOM, no
// engine; reads ModelResults only.
import { calibrationWarning, testAgreements } from '../calibration/agreement';
import { calibrationShiftNotice, roiShifts } from '../calibration/shift';
import { formatPct } from '../format/number';
import { RECENT_WEEKS, recentMeanForecast, scoreForecast, type ForecastScore } from './forecast-score';
import type { Metrics, ModelResults } from './results';

/** Above this share of the prediction credited to media the verdict warns: few businesses sell
 * 80 % of their volume because of paid media (issue 12: over-crediting on real panels). */
export const MEDIA_SHARE_WARNING = 0.8;

/** How the naive forecast is labelled wherever it replaces the model's. */
export const FALLBACK_LABEL = 'Naive forecast — the model did not beat it on the validation weeks';

/** One scored forecast window: the validation slice of a backtest origin, or the holdout. */
export interface ScoredWindow {
  /** First scored week (panel index) and its date; `weeks` weeks from there. */
  firstWeek: number;
  firstDate: string;
  weeks: number;
  r2: number | null;
  wape: number | null;
  /** Skill vs each region's recent (last 13 training weeks) mean; null when unavailable. */
  skillRecent: number | null;
  /** Skill vs the same week last year; null when unavailable (less than a year of history). */
  skillSeasonal: number | null;
  /** Region-weeks scored. */
  n: number;
}

export type Fallback = 'none' | 'recent_mean';

export interface FallbackForecast {
  label: string;
  /** Region-major grid [r*weeks + t]: the naive forecast from trainEnd on, NaN before. */
  forecast: Float32Array;
  /** The naive forecast scored on the holdout weeks (null without holdout weeks). */
  holdout: ForecastScore | null;
}

export interface ForecastVerdict {
  /** Backtest origins, oldest first (today one: the validation slice). */
  validation: ScoredWindow[];
  holdout: ScoredWindow | null;
  /** Σ media / Σ prediction over the scored training weeks; null when undefined. */
  mediaShare: number | null;
  mediaShareWarning: string | null;
  /** Set when the calibrated model is still more than two standard errors from an experiment it
   * was calibrated to (calibration/agreement.ts); null without experiments or when all agree. */
  calibrationWarning: string | null;
  /** Set when calibration moved the ROI of a channel no experiment or prior measured by more than a
   * fifth (calibration/shift.ts); null without the model before calibration or when none did. */
  calibrationShiftNotice: string | null;
  /** Beats the recent-mean naive forecast on every scored window, and the seasonal one wherever
   * it is available. */
  beatsNaive: boolean;
  fallback: Fallback;
  fallbackForecast: FallbackForecast | null;
  text: string;
}

const finite = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
const pct = (v: number) => formatPct(v, 0);

function windowOf(m: Metrics | undefined, firstWeek: number, weeks: number, dates: string[]): ScoredWindow | null {
  if (!m || !(m.n > 0) || weeks <= 0) return null;
  return {
    firstWeek,
    firstDate: dates[firstWeek] ?? String(firstWeek),
    weeks,
    r2: finite(m.r2),
    wape: finite(m.wape),
    skillRecent: finite(m.skill?.recent_mean),
    skillSeasonal: finite(m.skill?.seasonal_naive),
    n: m.n,
  };
}

/** Σ media / Σ prediction over the training weeks after burn-in, as the core computes
 * FitResult::media_share (core/src/trainer.cpp); null when there are no such weeks or Σ is 0. */
export function trainingMediaShare(r: Pick<ModelResults, 'shape' | 'prediction' | 'media' | 'trainEnd' | 'validationWeeks' | 'burnIn'>): number | null {
  const { regions: R, weeks: T, channels: C } = r.shape;
  const begin = Math.max(0, Math.min(r.burnIn, r.trainEnd - r.validationWeeks - 1));
  let media = 0;
  let total = 0;
  for (let reg = 0; reg < R; reg++)
    for (let t = begin; t < r.trainEnd; t++) {
      const i = reg * T + t;
      total += r.prediction[i];
      for (let c = 0; c < C; c++) media += r.media[i * C + c];
    }
  return total !== 0 && Number.isFinite(media / total) ? media / total : null;
}

/** Mean of the available values, null when there is none. */
function meanOf(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

function verdictText(validation: ScoredWindow[], holdout: ScoredWindow | null): { text: string; beatsNaive: boolean } {
  const windows = [...validation, ...(holdout ? [holdout] : [])];
  const recent = windows.map((w) => w.skillRecent).filter((x): x is number => x !== null);
  const seasonal = windows.map((w) => w.skillSeasonal).filter((x): x is number => x !== null);
  if (!recent.length)
    return { text: 'The forecasts cannot be judged: there are no validation or holdout weeks to compare them with a naive forecast. Treat the attributions with caution.', beatsNaive: false };
  const beatsRecent = recent.every((s) => s > 0);
  const beatsSeasonal = seasonal.length ? seasonal.every((s) => s > 0) : null;
  if (!beatsRecent) {
    const where = [
      ...validation.filter((w) => w.skillRecent !== null).map((w) => `${pct(w.skillRecent!)} on the validation weeks from ${w.firstDate}`),
      ...(holdout?.skillRecent != null ? [`${pct(holdout.skillRecent)} on the held-out weeks`] : []),
    ];
    return {
      text: `The model does not beat a naive forecast on these weeks: treat its attributions with caution. Skill vs each region’s recent average: ${where.join(', ')} (above ${pct(0)} beats it).`,
      beatsNaive: false,
    };
  }
  // The headline figures: the holdout's when there is one, else the mean over the origins.
  const on = holdout?.skillRecent != null ? 'on the held-out weeks' : 'on the validation weeks';
  const headRecent = holdout?.skillRecent ?? meanOf(validation.map((w) => w.skillRecent))!;
  const headSeasonal = holdout ? holdout.skillSeasonal : meanOf(validation.map((w) => w.skillSeasonal));
  const better = `${pct(headRecent)} better than each region’s recent average`;
  if (beatsSeasonal === false) {
    const worst = Math.min(...seasonal);
    return { text: `The model forecasts ${better} ${on}, but not better than the same week last year (skill ${pct(worst)}): treat its attributions with caution.`, beatsNaive: false };
  }
  const lastYear = headSeasonal !== null ? ` (and ${pct(headSeasonal)} better than the same week last year)` : '';
  return { text: `The model forecasts ${better}${lastYear} ${on}.`, beatsNaive: true };
}

/** The verdict on `results` (see ForecastVerdict). */
export function forecastVerdict(results: ModelResults): ForecastVerdict {
  const { weeks } = results.shape;
  const validationStart = results.trainEnd - results.validationWeeks;
  const origin = windowOf(results.metrics.validation, validationStart, results.validationWeeks, results.dates);
  const validation = origin ? [origin] : [];
  const holdout = windowOf(results.metrics.holdout, results.trainEnd, weeks - results.trainEnd, results.dates);
  const { text, beatsNaive } = verdictText(validation, holdout);

  const mediaShare = trainingMediaShare(results);
  const mediaShareWarning =
    mediaShare !== null && mediaShare > MEDIA_SHARE_WARNING
      ? `The model credits ${pct(mediaShare)} of the KPI to media — implausible for most businesses; consider a media-share or ROI prior.`
      : null;

  // Decided on the validation weeks only, never on the holdout (that would grade the model on the
  // weeks used to choose it): no skill there over the recent-mean forecast → show the naive one.
  const validationSkill = meanOf(validation.map((w) => w.skillRecent));
  const fallback: Fallback = validationSkill !== null && validationSkill < 0 ? 'recent_mean' : 'none';
  let fallbackForecast: FallbackForecast | null = null;
  let fullText = text;
  if (fallback === 'recent_mean') {
    const forecast = recentMeanForecast(results.actual, results.shape, results.trainEnd);
    const scored = holdout ? scoreForecast(results.actual, forecast, results.shape, results.trainEnd, weeks, results.trainEnd) : null;
    fallbackForecast = { label: FALLBACK_LABEL, forecast, holdout: scored };
    fullText += ` The forecast shown for the held-out weeks is the naive one (each region’s mean of its last ${RECENT_WEEKS} training weeks).`;
  }
  const calibration = calibrationWarning(testAgreements(results.calibration, results));
  const shiftNotice = calibrationShiftNotice(roiShifts(results.calibration, results));
  return { validation, holdout, mediaShare, mediaShareWarning, calibrationWarning: calibration, calibrationShiftNotice: shiftNotice, beatsNaive, fallback, fallbackForecast, text: fullText };
}
