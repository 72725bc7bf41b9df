// What the options mean: region, range and channel select the data the chart draws; titles say
// what is shown; unavailable data switches views to their fallback.
import { describe, expect, it } from 'vitest';
import { getView } from '../../../web/src/charts/index';
import { mainRows } from '../../../web/src/charts/render';
import { qualityCards } from '../../../web/src/charts/quality-cards';
import { MAX_SCATTER_POINTS } from '../../../web/src/charts/holdout-scatter';
import { waterfallSteps } from '../../../web/src/charts/waterfall';
import { componentRows } from '../../../web/src/charts/contribution-share';
import { periodLabel } from '../../../web/src/charts/theme';
import { makeResults } from './fixture';

const results = makeResults();
const { regions: R, weeks: T, channels: C } = results.shape;
const title = (s: unknown) => (s as { title: { text: string } }).title.text;

describe('region and range', () => {
  it('actual vs predicted: one region, or the sum of all', () => {
    const v = getView('actual-vs-predicted');
    const all = mainRows(v.build(results));
    const one = mainRows(v.build(results, { region: 1 }));
    expect(all).toHaveLength(T);
    expect(one[5].Actual).toBeCloseTo(results.actual[1 * T + 5], 2);
    let s = 0;
    for (let r = 0; r < R; r++) s += results.actual[r * T + 5];
    expect(all[5].Actual as number).toBeCloseTo(s, 1);
    expect(title(v.build(results, { region: 1 }))).toContain(results.regionNames[1]);
    expect(title(v.build(results))).toContain(periodLabel(results.dates, 0, T));
  });

  it('range restricts weeks and names the period in the title', () => {
    const from = 3;
    const to = Math.min(T, 20);
    for (const id of ['actual-vs-predicted', 'contributions-over-time', 'coefficients', 'residuals', 'scaled-inputs'] as const) {
      const spec = getView(id).build(results, { range: { from, to } });
      const rows = mainRows(spec);
      const weeks = new Set(rows.map((r) => r.date));
      expect(weeks.size, id).toBe(to - from);
      expect(title(spec), id).toContain(periodLabel(results.dates, from, to));
    }
    const short = mainRows(getView('contribution-by-channel').build(results, { range: { from, to } }));
    const full = mainRows(getView('contribution-by-channel').build(results));
    const sum = (rows: Record<string, unknown>[]) => rows.reduce((a, r) => a + (r.contribution as number), 0);
    expect(sum(short)).toBeLessThan(sum(full));
  });

  it('channel detail follows the channel option', () => {
    const v = getView('channel-detail');
    for (const c of [0, C - 1]) {
      const spec = v.build(results, { channel: c });
      expect(title(spec)).toContain(results.channelNames[c]);
      const rows = mainRows(spec);
      expect(rows[4].contribution as number).toBeCloseTo(
        Array.from({ length: R }, (_, r) => results.media[(r * T + 4) * C + c]).reduce((a, b) => a + b, 0),
        1,
      );
    }
    // Out-of-range indices are clamped, not crashes.
    expect(title(v.build(results, { channel: 99 }))).toContain(results.channelNames[C - 1]);
  });

  it('kpi and spend labels reach titles and axes', () => {
    const spec = JSON.stringify(getView('roi').build(results, { kpiLabel: 'orders', spendLabel: 'USD' }));
    expect(spec).toContain('orders per USD');
  });
});

describe('components', () => {
  it('waterfall ends at the sum of its steps, which is the predicted total', () => {
    const steps = waterfallSteps(results);
    const total = steps[steps.length - 1];
    expect(total.kind).toBe('total');
    const sum = steps.slice(0, -1).reduce((a, s) => a + s.value, 0);
    expect(total.end).toBeCloseTo(sum, 3);
    const pred = Array.from(results.prediction).reduce((a, b) => a + b, 0);
    expect(Math.abs(total.end - pred) / pred).toBeLessThan(1e-3);
    expect(new Set(steps.map((s) => s.step)).size).toBe(steps.length);
  });

  it('donut has baseline, seasonality, controls and every channel', () => {
    const names = componentRows(results).map((r) => r.component);
    expect(names.slice(0, 2)).toEqual(['Baseline', 'Seasonality']);
    for (const c of results.channelNames) expect(names).toContain(c);
    expect(names.includes('Controls')).toBe(results.shape.controls > 0);
  });

  it('media-only stacked area has only channels', () => {
    const rows = mainRows(getView('contributions-over-time').build(results, { components: 'media' }));
    expect(new Set(rows.map((r) => r.component))).toEqual(new Set(results.channelNames));
  });
});

describe('fallbacks', () => {
  it('ROI shows effect per 1,000 units when no spend is known', () => {
    const r = makeResults({ spend: false });
    const spec = getView('roi').build(r);
    expect(title(spec)).toMatch(/per 1,000/);
    expect(mainRows(spec).every((row) => String(row.metric).includes('per 1,000'))).toBe(true);
  });

  it('ROI with some channels on spend and some on activity shows both, stacked', () => {
    const r = makeResults();
    const e = r.economics[0];
    r.economics[0] = { ...e, spend: null, roi: null, marginalRoi: null, activity: 1e6, effectPer1000: 12 };
    const spec = getView('roi').build(r) as unknown as { vconcat?: unknown[] };
    expect(spec.vconcat).toHaveLength(2);
  });

  it('holdout scatter samples deterministically above the cap', () => {
    const big = makeResults({ regions: 120, weeks: 120, channels: 2, controls: 0, holdoutWeeks: 60, history: 1 });
    const a = mainRows(getView('holdout-scatter').build(big));
    const b = mainRows(getView('holdout-scatter').build(big));
    expect(a.length).toBeLessThanOrEqual(MAX_SCATTER_POINTS);
    expect(a.length).toBeGreaterThan(MAX_SCATTER_POINTS * 0.9);
    expect(a).toEqual(b);
  });
});

describe('quality cards (HTML model)', () => {
  it('has train and holdout for each metric, the gap and the engine footer', () => {
    const m = qualityCards(results, { kpiLabel: 'sales' });
    const ids = m.cards.map((c) => c.id);
    for (const id of ['r2', 'r2_within', 'rmse', 'mae', 'wape', 'rel_error', 'gap', 'skill_recent', 'skill_seasonal']) expect(ids).toContain(id);
    const r2 = m.cards.find((c) => c.id === 'r2')!;
    expect(r2.trainValue).toBe(results.metrics.train.r2);
    expect(r2.holdout).toBe(results.metrics.holdout.r2.toFixed(3).replace('-', '−'));
    expect(m.cards.find((c) => c.id === 'rmse')!.label).toContain('sales');
    expect(m.footer).toContain(results.engine.variant);
    expect(m.footer).toContain(`${results.epochs} epochs`);
    for (const c of m.cards) expect(['good', 'warn', 'bad', 'neutral']).toContain(c.tone);
  });

  it('shows dashes for holdout values when nothing was held out', () => {
    const r = makeResults({ holdoutWeeks: 0 });
    r.metrics.holdout = { ...r.metrics.holdout, n: 0 };
    const m = qualityCards(r);
    expect(m.cards.every((c) => c.holdout === '–')).toBe(true);
  });
});
