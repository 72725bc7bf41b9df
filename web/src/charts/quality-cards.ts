// View 1's figures: model quality cards, DOM-free (testable). quality.ts draws them as a Vega-Lite
// table (exportable as PNG/SVG).
import type { Metrics, ModelResults } from '../engine/results';
import { forecastVerdict, type ForecastVerdict } from '../engine/verdict';
import { formatFixed, formatNumber, formatPct } from '../format/number';

const pct = (v: number | null) => formatPct(v);
import type { ViewOptions } from './types';

export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

export interface QualityCard {
  id: string;
  label: string;
  /** Formatted train / holdout values ('–' when not available). */
  train: string;
  holdout: string;
  trainValue: number | null;
  holdoutValue: number | null;
  /** The same metric on each backtest origin's validation slice (one entry per validationColumns). */
  validation: { text: string; value: number | null }[];
  /** How to read the number. */
  hint: string;
  /** Judgement of the holdout value, for colouring. */
  tone: Tone;
}

export interface QualityCardsModel {
  title: string;
  cards: QualityCard[];
  /** Column labels of the backtest origins' validation slices, oldest first. */
  validationColumns: string[];
  /** The verdict on the forecasts (engine/verdict.ts): text, validation backtest, media share. */
  verdict: ForecastVerdict;
  /** "Engine core-mt (4 threads) · 12.3 s · 300 epochs · seed 7". */
  footer: string;
  engine: { variant: string; threads: number };
  fitSeconds: number;
  epochs: number;
  trainWeeks: number;
  holdoutWeeks: number;
}

function finite(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

interface Row {
  id: string;
  label: string;
  get: (m: Metrics) => number | null;
  /** Formats a value; `scale` is the larger magnitude of the pair, so train and holdout get the same decimals. */
  fmt: (v: number | null, scale: number) => string;
  hint: string;
  tone?: (holdout: number | null, train: number | null) => Tone;
}

const r2fmt = (v: number | null) => formatFixed(v, 3);

/** Thousands separators, decimals chosen from the pair's magnitude (4 significant digits). */
function fixedFor(v: number | null, scale: number): string {
  const d = scale > 0 ? Math.max(0, Math.min(6, 3 - Math.floor(Math.log10(scale)))) : 0;
  return formatFixed(v, d);
}

function skillTone(v: number | null): Tone {
  if (v === null) return 'neutral';
  return v > 0.05 ? 'good' : v > 0 ? 'warn' : 'bad';
}

export function qualityRows(kpi: string): Row[] {
  return [
    { id: 'r2', label: 'R² (pooled)', get: (m) => m.r2, fmt: r2fmt, hint: 'Share of the variance across all region-weeks explained. Inflated when regions differ in size.' },
    {
      id: 'r2_within',
      label: 'R² within regions',
      get: (m) => m.r2_within,
      fmt: r2fmt,
      hint: 'Variance explained after removing each region’s mean: how well week-to-week movement is tracked.',
      tone: (h) => (h === null ? 'neutral' : h >= 0.5 ? 'good' : h >= 0.2 ? 'warn' : 'bad'),
    },
    { id: 'r2_region_median', label: 'Median region R²', get: (m) => m.r2_region_median, fmt: r2fmt, hint: 'The typical region’s own R².' },
    { id: 'rmse', label: `RMSE (${kpi})`, get: (m) => m.rmse, fmt: fixedFor, hint: 'Root mean squared error per region-week.' },
    { id: 'mae', label: `MAE (${kpi})`, get: (m) => m.mae, fmt: fixedFor, hint: 'Mean absolute error per region-week.' },
    {
      id: 'wape',
      label: 'WAPE',
      get: (m) => m.wape,
      fmt: pct,
      hint: 'Sum of absolute errors over the sum of actuals.',
      tone: (h) => (h === null ? 'neutral' : h <= 0.1 ? 'good' : h <= 0.25 ? 'warn' : 'bad'),
    },
    { id: 'rel_error', label: 'Relative error', get: (m) => m.rel_error, fmt: pct, hint: 'Error of the total relative to the actual total.' },
    {
      id: 'skill_recent',
      label: 'Skill vs recent mean',
      get: (m) => m.skill.recent_mean,
      fmt: pct,
      hint: 'Error removed compared with forecasting each region’s recent mean. Above 0 beats the naive forecast.',
      tone: (h) => skillTone(h),
    },
    {
      id: 'skill_seasonal',
      label: 'Skill vs same week last year',
      get: (m) => m.skill.seasonal_naive,
      fmt: pct,
      hint: 'Error removed compared with the seasonal naive forecast (needs more than a year of data).',
      tone: (h) => skillTone(h),
    },
    { id: 'n', label: 'Region-weeks scored', get: (m) => m.n, fmt: (v) => (v === null ? '–' : formatNumber(v)), hint: 'Observations the metrics are computed on (burn-in weeks excluded).' },
  ];
}

export function qualityCards(results: ModelResults, options?: ViewOptions): QualityCardsModel {
  const kpi = options?.kpiLabel?.trim() || 'KPI';
  const { train, holdout, validation } = results.metrics;
  const hasHoldout = holdout.n > 0;
  const verdict = forecastVerdict(results);
  // Today one backtest origin, the validation slice; its full metrics are results.metrics.validation.
  const origins = verdict.validation.length && validation ? [validation] : [];
  const validationColumns = verdict.validation.map((w) => `Validation from ${w.firstDate}`);
  const cards: QualityCard[] = qualityRows(kpi).map((row) => {
    const tv = finite(row.get(train));
    const hv = hasHoldout ? finite(row.get(holdout)) : null;
    const vv = origins.map((m) => finite(row.get(m)));
    const scale = Math.max(Math.abs(tv ?? 0), Math.abs(hv ?? 0), ...vv.map((v) => Math.abs(v ?? 0)));
    const val = vv.map((v) => ({ text: row.fmt(v, scale), value: v }));
    return { id: row.id, label: row.label, train: row.fmt(tv, scale), holdout: row.fmt(hv, scale), trainValue: tv, holdoutValue: hv, validation: val, hint: row.hint, tone: row.tone ? row.tone(hv, tv) : 'neutral' };
  });
  const gap = hasHoldout ? finite(train.r2 - holdout.r2) : null;
  // A small gap is only good news when the holdout itself is good: when both fits are poor, or the
  // holdout loses to the naive forecast, the gap says nothing reassuring (issue 12).
  const holdoutBad = hasHoldout && ((finite(holdout.skill.recent_mean) ?? 0) < 0 || (finite(holdout.r2) ?? 0) < 0);
  cards.splice(3, 0, {
    id: 'gap',
    label: 'R² gap (train − holdout)',
    train: '',
    holdout: r2fmt(gap),
    trainValue: null,
    holdoutValue: gap,
    validation: origins.map(() => ({ text: '', value: null })),
    hint: holdoutBad
      ? 'How much fit is lost on unseen weeks. Not good news here: the holdout itself is poor (negative R² or no skill over the naive forecast).'
      : 'How much fit is lost on unseen weeks. A large gap means overfitting.',
    tone: gap === null ? 'neutral' : holdoutBad ? 'bad' : gap <= 0.05 ? 'good' : gap <= 0.15 ? 'warn' : 'bad',
  });
  const e = results.engine;
  const footer = [
    `Engine ${e.variant} (${e.threads} thread${e.threads === 1 ? '' : 's'})`,
    `fit in ${formatNumber(results.fitSeconds)} s`,
    `${results.epochs} epochs`,
    `seed ${results.seed}`,
  ].join(' · ');
  return {
    title: 'Model quality: training vs holdout',
    cards,
    validationColumns,
    verdict,
    footer,
    engine: { variant: e.variant, threads: e.threads },
    fitSeconds: results.fitSeconds,
    epochs: results.epochs,
    trainWeeks: results.trainEnd,
    holdoutWeeks: results.shape.weeks - results.trainEnd,
  };
}
