// Aggregation helpers: checked against direct loops over the results' own arrays, and on small
// hand-made inputs with known answers.
import { describe, expect, it } from 'vitest';
import {
  autocorrelation,
  boxStats,
  columnSums,
  componentTotals,
  fitStats,
  histogram,
  matrix,
  rangeFromDates,
  regionTable,
  resolveRange,
  sampleIndices,
  series,
  sumRange,
  timeAxis,
} from '../../../web/src/charts/data';
import { makeResults } from './fixture';

const results = makeResults();
const { regions: R, weeks: T, channels: C } = results.shape;
const close = (a: number, b: number, rel = 1e-6) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(a), Math.abs(b)));

describe('sums over regions', () => {
  it('series() sums all regions or returns one region', () => {
    const all = series(results, results.prediction);
    const t = Math.floor(T / 2);
    let direct = 0;
    for (let r = 0; r < R; r++) direct += results.prediction[r * T + t];
    close(all[t], direct);
    const one = series(results, results.prediction, R - 1);
    close(one[t], results.prediction[(R - 1) * T + t]);
  });

  it('matrix() sums or averages a [R*T*W] array', () => {
    const m = matrix(results, results.media, C);
    const avg = matrix(results, results.coefficients, C, null, true);
    const t = 3;
    const c = C - 1;
    let s = 0;
    let b = 0;
    for (let r = 0; r < R; r++) {
      s += results.media[(r * T + t) * C + c];
      b += results.coefficients[(r * T + t) * C + c];
    }
    close(m[t * C + c], s);
    close(avg[t * C + c], b / R);
  });

  it('the additive components add up to the prediction (the results contract)', () => {
    const rg = resolveRange(results);
    const tot = componentTotals(results, rg);
    close(tot.baseline + tot.seasonal + tot.controlsTotal + tot.mediaTotal, tot.prediction, 1e-4);
    const media = columnSums(matrix(results, results.media, C), C, rg);
    close(media.reduce((a, v) => a + v, 0), tot.mediaTotal);
    close(sumRange(series(results, results.actual), rg), tot.actual);
  });

  it('skips non-finite values (missing KPI)', () => {
    const r = makeResults({ regions: 2, weeks: 10 });
    r.actual[3] = NaN;
    const s = series(r, r.actual);
    expect(Number.isFinite(s[3])).toBe(true);
    close(s[3], r.actual[10 + 3]);
  });
});

describe('ranges and time axis', () => {
  it('clamps ranges and finds weeks by date', () => {
    expect(resolveRange(results)).toEqual({ from: 0, to: T });
    expect(resolveRange(results, { from: -5, to: T + 10 })).toEqual({ from: 0, to: T });
    expect(resolveRange(results, { from: 5, to: 5 })).toEqual({ from: 0, to: T });
    const rg = rangeFromDates(results, results.dates[3], results.dates[9]);
    expect(rg).toEqual({ from: 3, to: 10 });
  });

  it('uses a temporal axis for ISO dates and week numbers otherwise', () => {
    const iso = timeAxis(results);
    expect(iso.temporal).toBe(true);
    expect(iso.key(0)).toBe(results.dates[0].slice(0, 10));
    expect(iso.end(0)).toBe(results.dates[1].slice(0, 10));
    expect(Date.parse(String(iso.end(T - 1)))).toBeGreaterThan(Date.parse(results.dates[T - 1]));
    const ids = timeAxis(makeResults({ dates: 'ids' }));
    expect(ids.temporal).toBe(false);
    expect(ids.key(0)).toBe(1);
    expect(ids.label(0)).toContain('W01');
  });
});

describe('statistics', () => {
  it('fitStats: perfect fit, constant prediction', () => {
    const y = [1, 2, 3, 4];
    expect(fitStats(y, y)).toMatchObject({ r2: 1, wape: 0, rmse: 0, mae: 0, n: 4 });
    const m = fitStats(y, [2.5, 2.5, 2.5, 2.5]);
    close(m.r2, 0);
    close(m.mae, 1);
    close(m.wape, 0.4);
  });

  it('boxStats: quartiles and whiskers', () => {
    const b = boxStats([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]);
    expect(b.median).toBe(5.5);
    expect(b.q1).toBe(3.25);
    expect(b.q3).toBe(7.75);
    expect(b.upper).toBe(9); // 100 is an outlier
    expect(b.lower).toBe(1);
    expect(b.max).toBe(100);
    expect(b.n).toBe(10);
  });

  it('histogram counts every finite value once', () => {
    const v = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 50);
    v.push(NaN);
    const bins = histogram(v);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(1000);
    for (let i = 1; i < bins.length; i++) close(bins[i].x0, bins[i - 1].x1);
    expect(histogram([])).toEqual([]);
    expect(histogram([2, 2, 2])[0].count).toBe(3);
  });

  it('autocorrelation of an alternating series is −1 at odd lags', () => {
    const acf = autocorrelation(Array.from({ length: 200 }, (_, i) => (i % 2 ? 1 : -1)), 4);
    expect(acf).toHaveLength(4);
    expect(acf[0]).toBeLessThan(-0.98);
    expect(acf[1]).toBeGreaterThan(0.97);
  });

  it('sampleIndices is deterministic, capped and keeps both ends', () => {
    expect(sampleIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
    const s = sampleIndices(100_000, 5000);
    expect(s).toHaveLength(5000);
    expect(s[0]).toBe(0);
    expect(s[4999]).toBe(99_999);
    expect(new Set(s).size).toBe(5000);
    expect(sampleIndices(100_000, 5000)).toEqual(s);
  });
});

describe('regionTable', () => {
  it('has one row per region whose totals add up to the national totals', () => {
    const rows = regionTable(results);
    expect(rows).toHaveLength(R);
    const tot = componentTotals(results, resolveRange(results));
    close(rows.reduce((a, r) => a + r.actual, 0), tot.actual, 1e-5);
    close(rows.reduce((a, r) => a + r.media, 0), tot.mediaTotal, 1e-5);
    for (const r of rows) {
      expect(r.region).toBe(results.regionNames[r.index]);
      if (r.mediaShare !== null) close(r.mediaShare, r.media / r.predicted, 1e-5);
      expect(r.r2 === null || r.r2 <= 1).toBe(true);
    }
  });

  it('restricts to a range and reports holdout fit only when the range has holdout weeks', () => {
    const early = regionTable(results, { from: 0, to: Math.max(2, results.trainEnd - 1) });
    expect(early.every((r) => r.holdoutR2 === null)).toBe(true);
    const late = regionTable(results);
    expect(late.some((r) => r.holdoutWape !== null)).toBe(results.trainEnd < T);
  });
});
