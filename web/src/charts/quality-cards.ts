// View 1 as HTML: model quality cards. `qualityCards` is DOM-free (testable); `renderQualityCards`
// draws it with plain DOM (no innerHTML). The same numbers are drawn as a Vega-Lite table by
// quality.ts, for PNG/SVG export.
import type { Metrics, ModelResults } from '../engine/results';
import { formatNumber, formatPct } from './theme';

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
  /** How to read the number. */
  hint: string;
  /** Judgement of the holdout value, for colouring. */
  tone: Tone;
}

export interface QualityCardsModel {
  title: string;
  cards: QualityCard[];
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

const r2fmt = (v: number | null) => (v === null ? '–' : v.toFixed(3).replace('-', '−'));

/** Thousands separators, decimals chosen from the pair's magnitude (4 significant digits). */
function fixedFor(v: number | null, scale: number): string {
  if (v === null) return '–';
  const d = scale > 0 ? Math.max(0, Math.min(6, 3 - Math.floor(Math.log10(scale)))) : 0;
  return v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }).replace('-', '−');
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
  const { train, holdout } = results.metrics;
  const hasHoldout = holdout.n > 0;
  const cards: QualityCard[] = qualityRows(kpi).map((row) => {
    const tv = finite(row.get(train));
    const hv = hasHoldout ? finite(row.get(holdout)) : null;
    const scale = Math.max(Math.abs(tv ?? 0), Math.abs(hv ?? 0));
    return { id: row.id, label: row.label, train: row.fmt(tv, scale), holdout: row.fmt(hv, scale), trainValue: tv, holdoutValue: hv, hint: row.hint, tone: row.tone ? row.tone(hv, tv) : 'neutral' };
  });
  const gap = hasHoldout ? finite(train.r2 - holdout.r2) : null;
  cards.splice(3, 0, {
    id: 'gap',
    label: 'R² gap (train − holdout)',
    train: '',
    holdout: r2fmt(gap),
    trainValue: null,
    holdoutValue: gap,
    hint: 'How much fit is lost on unseen weeks. A large gap means overfitting.',
    tone: gap === null ? 'neutral' : gap <= 0.05 ? 'good' : gap <= 0.15 ? 'warn' : 'bad',
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
    footer,
    engine: { variant: e.variant, threads: e.threads },
    fitSeconds: results.fitSeconds,
    epochs: results.epochs,
    trainWeeks: results.trainEnd,
    holdoutWeeks: results.shape.weeks - results.trainEnd,
  };
}

/** Styles for the cards (uses the app's CSS variables when present). Injected once by
 * renderQualityCards unless told not to; the app may instead copy it into its stylesheet. */
export const QUALITY_CARDS_CSS = `
.mmm-q-title { margin: 0 0 10px; font-size: 15px; }
.mmm-q-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; }
.mmm-q-card { border: 1px solid var(--mmm-line, #dde2e8); border-left-width: 4px; border-radius: var(--mmm-radius, 8px); padding: 10px 12px; background: var(--mmm-panel, #fff); }
.mmm-q-good { border-left-color: var(--mmm-ok, #1c7c45); }
.mmm-q-warn { border-left-color: var(--mmm-warn, #9a6200); }
.mmm-q-bad { border-left-color: var(--mmm-error, #b3261e); }
.mmm-q-label { font-size: 13px; color: var(--mmm-muted, #5b6673); margin-bottom: 4px; }
.mmm-q-values { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0; align-items: baseline; }
.mmm-q-k { font-size: 12px; color: var(--mmm-muted, #5b6673); }
.mmm-q-v { margin: 0; font-size: 16px; font-variant-numeric: tabular-nums; }
.mmm-q-holdout { font-size: 20px; font-weight: 600; }
.mmm-q-hint { margin: 6px 0 0; font-size: 12px; line-height: 1.35; color: var(--mmm-muted, #5b6673); }
.mmm-q-footer { margin: 10px 0 0; font-size: 12px; color: var(--mmm-muted, #5b6673); }
`;

/** Draws the cards into `container` (replacing its content). Class names are prefixed mmm-q-. */
export function renderQualityCards(container: HTMLElement, model: QualityCardsModel, options: { injectStyles?: boolean } = {}): void {
  const doc = container.ownerDocument;
  if (options.injectStyles !== false && !doc.getElementById('mmm-q-style')) {
    const style = doc.createElement('style');
    style.id = 'mmm-q-style';
    style.textContent = QUALITY_CARDS_CSS;
    doc.head.append(style);
  }
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] => {
    const n = doc.createElement(tag);
    n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  };
  container.replaceChildren();
  const heading = el('h3', 'mmm-q-title', model.title);
  const grid = el('div', 'mmm-q-grid');
  grid.setAttribute('role', 'list');
  for (const c of model.cards) {
    const card = el('div', `mmm-q-card mmm-q-${c.tone}`);
    card.setAttribute('role', 'listitem');
    card.dataset.metric = c.id;
    card.title = c.hint;
    card.append(el('div', 'mmm-q-label', c.label));
    const values = el('dl', 'mmm-q-values');
    if (c.train) values.append(el('dt', 'mmm-q-k', 'Train'), el('dd', 'mmm-q-v', c.train));
    values.append(el('dt', 'mmm-q-k', 'Holdout'), el('dd', 'mmm-q-v mmm-q-holdout', c.holdout));
    card.append(values, el('p', 'mmm-q-hint', c.hint));
    grid.append(card);
  }
  container.append(heading, grid, el('p', 'mmm-q-footer', model.footer));
}
