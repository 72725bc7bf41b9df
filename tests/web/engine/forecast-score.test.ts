// scoreForecast / recentMeanForecast: the TS twin of the core's score() for forecasts the core never
// saw, checked here on grids worked by hand (tests/wasm/verdict-core.test.ts checks it against the
// core's own figures on a real fit).
import { describe, expect, it } from 'vitest';
import { RECENT_WEEKS, recentMeanForecast, recentMeans, scoreForecast } from '../../../web/src/engine/forecast-score';

describe('scoreForecast', () => {
  // 2 regions × 4 weeks, training weeks 0..1, scored weeks 2..3.
  const shape = { regions: 2, weeks: 4 };
  const actual = Float32Array.from([10, 12, 14, 16, 100, 100, 90, 110]);
  const forecast = Float32Array.from([0, 0, 13, 15, 0, 0, 100, 100]);

  it('computes pooled R², WAPE and skill vs the recent mean by hand', () => {
    const s = scoreForecast(actual, forecast, shape, 2, 4, 2);
    // errors 1, 1, −10, 10 → SSE 202, Σ|e| 22, Σ|y| 230; SST from the pooled mean of the four scored actuals.
    const ys = [14, 16, 90, 110];
    const mean = ys.reduce((a, b) => a + b) / 4;
    const sst = ys.reduce((a, y) => a + (y - mean) ** 2, 0);
    expect(s.n).toBe(4);
    expect(s.r2).toBeCloseTo(1 - 202 / sst, 12);
    expect(s.wape).toBeCloseTo(22 / 230, 12);
    // Recent means (weeks 0..1): 11 and 100 → naive SSE 9 + 25 + 100 + 100 = 234.
    expect(s.skillRecent).toBeCloseTo(1 - 202 / 234, 12);
    // Fewer than 52 weeks of history: no seasonal naive forecast.
    expect(s.skillSeasonal).toBeNull();
  });

  it('gives the recent-mean naive forecast a skill of exactly 0 against itself', () => {
    const naive = recentMeanForecast(actual, shape, 2);
    expect(Array.from(naive.slice(0, 2)).every(Number.isNaN)).toBe(true);
    expect(Array.from(naive.slice(2, 4))).toEqual([11, 11]);
    expect(Array.from(naive.slice(6, 8))).toEqual([100, 100]);
    expect(scoreForecast(actual, naive, shape, 2, 4, 2).skillRecent).toBe(0);
  });

  it('uses the last 13 training weeks for the recent mean', () => {
    const weeks = 20;
    const y = Float32Array.from({ length: weeks }, (_, t) => t);
    // trainEnd 18 → weeks 5..17, mean 11.
    expect(RECENT_WEEKS).toBe(13);
    expect(recentMeans(y, { regions: 1, weeks }, 18)[0]).toBe(11);
    expect(Number.isNaN(recentMeans(y, { regions: 1, weeks }, 0)[0])).toBe(true);
  });

  it('scores the seasonal naive forecast from a year earlier, reaching back into training weeks', () => {
    const weeks = 60;
    const y = Float32Array.from({ length: weeks }, (_, t) => 100 + (t % 52) + (t >= 52 ? 5 : 0));
    const f = Float32Array.from(y, (v) => v + 1);
    // Forecast weeks 55..59 with trainEnd 55: same week last year is t − 52, off by 5 everywhere.
    const s = scoreForecast(y, f, { regions: 1, weeks }, 55, 60, 55);
    expect(s.skillSeasonal).toBeCloseTo(1 - 5 / (5 * 25), 12);
    // Less than a year before the first scored week: unavailable.
    expect(scoreForecast(y, f, { regions: 1, weeks }, 50, 60, 50).skillSeasonal).toBeNull();
  });

  it('follows the core on degenerate input: empty range, constant KPI, no training weeks', () => {
    const empty = scoreForecast(actual, forecast, shape, 2, 2, 2);
    expect(empty.n).toBe(0);
    expect(Number.isNaN(empty.r2) && Number.isNaN(empty.wape)).toBe(true);
    const flat = Float32Array.from([5, 5, 5, 5, 5, 5, 5, 5]);
    expect(scoreForecast(flat, flat, shape, 2, 4, 2)).toMatchObject({ r2: 1, wape: 0, skillRecent: 0 });
    expect(scoreForecast(flat, Float32Array.from(flat, (v) => v + 1), shape, 2, 4, 2).r2).toBe(0);
    expect(Number.isNaN(scoreForecast(flat, Float32Array.from(flat, (v) => v + 1), shape, 2, 4, 2).skillRecent!)).toBe(true);
    expect(scoreForecast(actual, forecast, shape, 0, 4, 0).skillRecent).toBeNull();
  });

  it('rejects wrong sizes, ranges and non-finite values with the place named', () => {
    expect(() => scoreForecast(actual, forecast.slice(1), shape, 2, 4, 2)).toThrow(/forecast has 7 values; a grid of 2 regions × 4 weeks needs 8/);
    expect(() => scoreForecast(actual, forecast, shape, 3, 5, 2)).toThrow(/scored weeks \[3, 5\) must lie within 0..4/);
    const bad = forecast.slice();
    bad[7] = Number.NaN;
    expect(() => scoreForecast(actual, bad, shape, 2, 4, 2)).toThrow(/forecast at region 1, week 3 is NaN/);
  });
});
