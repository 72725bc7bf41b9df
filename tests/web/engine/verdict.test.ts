// forecastVerdict: every branch of the verdict, the media-share threshold and the naive fallback,
// on fabricated results whose skills and media share are set exactly.
import { beforeAll, describe, expect, it } from 'vitest';
import { setNumberLocale } from '../../../web/src/format/number';
import type { Metrics, ModelResults } from '../../../web/src/engine/results';
import { FALLBACK_LABEL, MEDIA_SHARE_WARNING, forecastVerdict, trainingMediaShare } from '../../../web/src/engine/verdict';
import { makeResults } from '../charts/fixture';

type Skills = { recent: number | null; seasonal?: number | null; n?: number };

function metrics(s: Skills, base: Metrics): Metrics {
  return { ...base, r2: 0.9, wape: 0.08, skill: { recent_mean: s.recent as number, seasonal_naive: s.seasonal ?? null }, n: s.n ?? base.n };
}

/** Results with the given validation/holdout skills (validation null: saved before it existed) and
 * media worth `share` of the prediction in every cell. */
function results(validation: Skills | null, holdout: Skills, share = 0.3): ModelResults {
  const r = makeResults({ regions: 3, weeks: 70, channels: 2, holdoutWeeks: 13 });
  const { regions: R, weeks: T, channels: C } = r.shape;
  r.prediction = new Float32Array(R * T).fill(1000);
  r.media = new Float32Array(R * T * C).fill((share * 1000) / C);
  r.metrics = {
    train: r.metrics.train,
    holdout: metrics(holdout, r.metrics.holdout),
    ...(validation ? { validation: metrics(validation, { ...r.metrics.holdout, n: R * r.validationWeeks }) } : {}),
  };
  return r;
}

beforeAll(() => void setNumberLocale('en-US'));

describe('forecastVerdict', () => {
  it('beats both naive forecasts: the holdout skills in plain words, no fallback', () => {
    const v = forecastVerdict(results({ recent: 0.3, seasonal: 0.1 }, { recent: 0.22, seasonal: 0.05 }));
    expect(v.text).toBe('The model forecasts 22% better than each region’s recent average (and 5% better than the same week last year) on the held-out weeks.');
    expect(v.beatsNaive).toBe(true);
    expect(v.fallback).toBe('none');
    expect(v.fallbackForecast).toBeNull();
  });

  it('lists the validation backtest per origin and the holdout window with their weeks and dates', () => {
    const r = results({ recent: 0.3, seasonal: 0.1 }, { recent: 0.22, seasonal: 0.05 });
    const v = forecastVerdict(r);
    expect(v.validation).toHaveLength(1);
    const first = r.trainEnd - r.validationWeeks;
    expect(v.validation[0]).toMatchObject({ firstWeek: first, firstDate: r.dates[first], weeks: r.validationWeeks, skillRecent: 0.3, skillSeasonal: 0.1, r2: 0.9, wape: 0.08 });
    expect(v.holdout).toMatchObject({ firstWeek: r.trainEnd, firstDate: r.dates[r.trainEnd], weeks: 13, skillRecent: 0.22 });
  });

  it('leaves out the same-week-last-year clause when that forecast is unavailable', () => {
    const v = forecastVerdict(results({ recent: 0.3 }, { recent: 0.4 }));
    expect(v.text).toBe('The model forecasts 40% better than each region’s recent average on the held-out weeks.');
    expect(v.beatsNaive).toBe(true);
  });

  it('beats the recent mean but not last year: caution, beatsNaive false', () => {
    const v = forecastVerdict(results({ recent: 0.3, seasonal: -0.2 }, { recent: 0.22, seasonal: 0.05 }));
    expect(v.text).toMatch(/^The model forecasts 22% better than each region’s recent average on the held-out weeks, but not better than the same week last year \(skill -20%\): treat its attributions with caution\.$/);
    expect(v.beatsNaive).toBe(false);
    expect(v.fallback).toBe('none');
  });

  it('no skill on the validation weeks: does not beat a naive forecast, and the naive forecast is shown, scored on the holdout', () => {
    const r = results({ recent: -3.28, seasonal: -1.67 }, { recent: 0.1, seasonal: 0.2 });
    const v = forecastVerdict(r);
    expect(v.text).toMatch(/^The model does not beat a naive forecast on these weeks: treat its attributions with caution\./);
    expect(v.text).toContain('-328% on the validation weeks from');
    expect(v.text).toContain('10% on the held-out weeks');
    expect(v.text).toContain('The forecast shown for the held-out weeks is the naive one');
    expect(v.beatsNaive).toBe(false);
    expect(v.fallback).toBe('recent_mean');
    const f = v.fallbackForecast!;
    expect(f.label).toBe(FALLBACK_LABEL);
    const { regions: R, weeks: T } = r.shape;
    // Each region's mean of its last 13 training weeks, from trainEnd on; NaN before.
    for (let reg = 0; reg < R; reg++) {
      let s = 0;
      for (let t = r.trainEnd - 13; t < r.trainEnd; t++) s += r.actual[reg * T + t];
      expect(f.forecast[reg * T + r.trainEnd]).toBeCloseTo(s / 13, 2);
      expect(f.forecast[reg * T + T - 1]).toBe(f.forecast[reg * T + r.trainEnd]);
      expect(Number.isNaN(f.forecast[reg * T + r.trainEnd - 1])).toBe(true);
    }
    expect(f.holdout!.n).toBe(R * 13);
    // 0 up to the float32 rounding of the stored forecast.
    expect(f.holdout!.skillRecent).toBeCloseTo(0, 5);
    expect(f.holdout!.wape).toBeGreaterThan(0);
  });

  it('skill exactly 0 on validation is not a reason to fall back (no skill means < 0)', () => {
    expect(forecastVerdict(results({ recent: 0 }, { recent: 0.1 })).fallback).toBe('none');
    expect(forecastVerdict(results({ recent: -0.001 }, { recent: 0.1 })).fallback).toBe('recent_mean');
  });

  it('beats on validation but not on the holdout: does not beat, yet no fallback (the holdout never chooses the forecast)', () => {
    const v = forecastVerdict(results({ recent: 0.2 }, { recent: -0.5 }));
    expect(v.text).toMatch(/^The model does not beat a naive forecast on these weeks/);
    expect(v.beatsNaive).toBe(false);
    expect(v.fallback).toBe('none');
  });

  it('results without validation figures (older saves): judged on the holdout alone', () => {
    const v = forecastVerdict(results(null, { recent: 0.22, seasonal: 0.05 }));
    expect(v.validation).toEqual([]);
    expect(v.beatsNaive).toBe(true);
    expect(v.fallback).toBe('none');
  });

  it('no holdout: judged on the validation weeks and says so', () => {
    const v = forecastVerdict(results({ recent: 0.25, seasonal: 0.1 }, { recent: null, n: 0 }));
    expect(v.holdout).toBeNull();
    expect(v.text).toBe('The model forecasts 25% better than each region’s recent average (and 10% better than the same week last year) on the validation weeks.');
  });

  it('nothing scored: cannot be judged', () => {
    const v = forecastVerdict(results({ recent: null, n: 0 }, { recent: null, n: 0 }));
    expect(v.validation).toEqual([]);
    expect(v.holdout).toBeNull();
    expect(v.beatsNaive).toBe(false);
    expect(v.fallback).toBe('none');
    expect(v.text).toMatch(/^The forecasts cannot be judged/);
  });
});

describe('media share', () => {
  it(`warns above ${MEDIA_SHARE_WARNING} of the prediction, not at it`, () => {
    expect(MEDIA_SHARE_WARNING).toBe(0.8);
    const high = forecastVerdict(results({ recent: 0.3 }, { recent: 0.2 }, 0.87));
    expect(high.mediaShare).toBeCloseTo(0.87, 5);
    expect(high.mediaShareWarning).toBe('The model credits 87% of the KPI to media — implausible for most businesses; consider a media-share or ROI prior.');
    const at = forecastVerdict(results({ recent: 0.3 }, { recent: 0.2 }, 0.8));
    expect(at.mediaShare).toBeCloseTo(0.8, 5);
    expect(at.mediaShareWarning).toBeNull();
  });

  it('counts the training weeks after burn-in only, as the core does', () => {
    const r = results({ recent: 0.3 }, { recent: 0.2 }, 0.5);
    const { regions: R, weeks: T, channels: C } = r.shape;
    // Media in burn-in and holdout weeks must not count.
    for (let reg = 0; reg < R; reg++)
      for (let t = 0; t < T; t++) if (t < r.burnIn || t >= r.trainEnd) for (let c = 0; c < C; c++) r.media[(reg * T + t) * C + c] = 1000;
    expect(r.burnIn).toBeGreaterThan(0);
    expect(trainingMediaShare(r)).toBeCloseTo(0.5, 6);
  });

  it('is null when the prediction sums to zero or there are no training weeks', () => {
    const r = results({ recent: 0.3 }, { recent: 0.2 });
    r.prediction.fill(0);
    expect(trainingMediaShare(r)).toBeNull();
    expect(forecastVerdict(r).mediaShareWarning).toBeNull();
    expect(trainingMediaShare({ ...results({ recent: 0.3 }, { recent: 0.2 }), trainEnd: 0, validationWeeks: 0 })).toBeNull();
  });
});
