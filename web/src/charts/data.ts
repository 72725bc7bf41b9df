// Aggregation helpers over the results' typed arrays. Arrays are region-major: [r*T + t] and
// [(r*T + t)*W + j]. Everything here is pure and allocation-light, so charts stay fast for
// 200 regions × 260 weeks × 50 channels: aggregate in TypeScript, hand Vega compact rows.
import type { ModelResults } from '../engine/results';
import { isoDates, num } from './theme';
import type { WeekRange } from './types';

type Arr = ArrayLike<number>;

// ---------------------------------------------------------------------------------------------
// Ranges and the time axis

/** Clamps a range to the results' weeks; the default is all weeks. */
export function resolveRange(results: ModelResults, range?: WeekRange | null): WeekRange {
  const T = results.shape.weeks;
  if (!range) return { from: 0, to: T };
  const from = Math.max(0, Math.min(T, Math.floor(range.from)));
  const to = Math.max(from, Math.min(T, Math.ceil(range.to)));
  return to > from ? { from, to } : { from: 0, to: T };
}

/** Range of weeks whose dates fall in [start, end] (inclusive, compared as text: ISO dates). */
export function rangeFromDates(results: ModelResults, start?: string | null, end?: string | null): WeekRange {
  const d = results.dates;
  let from = 0;
  let to = d.length;
  if (start) while (from < d.length && d[from] < start) from++;
  if (end) while (to > from && d[to - 1] > end) to--;
  return { from, to };
}

/** Weeks in the range that are held out (≥ trainEnd). */
export function holdoutIn(results: ModelResults, range: WeekRange): WeekRange | null {
  const from = Math.max(range.from, results.trainEnd);
  return from < range.to ? { from, to: range.to } : null;
}

/** Validation slice: the last validationWeeks of the training weeks. */
export function validationIn(results: ModelResults, range: WeekRange): WeekRange | null {
  if (results.validationWeeks <= 0) return null;
  const from = Math.max(range.from, results.trainEnd - results.validationWeeks);
  const to = Math.min(range.to, results.trainEnd);
  return from < to ? { from, to } : null;
}

export function burnInIn(results: ModelResults, range: WeekRange): WeekRange | null {
  const to = Math.min(range.to, results.burnIn);
  return range.from < to ? { from: range.from, to } : null;
}

/** How weeks are placed on an x axis: temporal (ISO dates) or by week number. */
export interface TimeAxis {
  temporal: boolean;
  /** Value for the `date` field of week t (ISO date text or week number 1..T). */
  key(t: number): string | number;
  /** Value where week t ends (start of the next week), for shaded spans. */
  end(t: number): string | number;
  /** Value where week t starts. */
  start(t: number): string | number;
  /** Label for tooltips. */
  label(t: number): string;
}

const DAY = 86_400_000;

function isoShift(date: string, days: number): string {
  const ms = Date.parse(date.slice(0, 10)) + days * DAY;
  return new Date(ms).toISOString().slice(0, 10);
}

export function timeAxis(results: ModelResults): TimeAxis {
  const d = results.dates;
  const T = results.shape.weeks;
  if (isoDates(d) && d.length >= T) {
    const step = (t: number): number => {
      if (T < 2) return 7;
      const a = t + 1 < T ? t : t - 1;
      return Math.round((Date.parse(d[a + 1].slice(0, 10)) - Date.parse(d[a].slice(0, 10))) / DAY) || 7;
    };
    return {
      temporal: true,
      key: (t) => d[t].slice(0, 10),
      start: (t) => isoShift(d[Math.min(t, T - 1)], t >= T ? step(T - 1) * (t - T + 1) : 0),
      end: (t) => (t + 1 < T ? d[t + 1].slice(0, 10) : isoShift(d[t], step(t))),
      label: (t) => d[t].slice(0, 10),
    };
  }
  return {
    temporal: false,
    key: (t) => t + 1,
    start: (t) => t + 0.5,
    end: (t) => t + 1.5,
    label: (t) => (d[t] ? `${d[t]} (week ${t + 1})` : `week ${t + 1}`),
  };
}

// ---------------------------------------------------------------------------------------------
// Sums over regions

/** [T] series: region r's values, or the sum over regions when r is null/undefined. NaN skipped. */
export function series(results: ModelResults, arr: Arr, region?: number | null): Float64Array {
  const { regions: R, weeks: T } = results.shape;
  const out = new Float64Array(T);
  const r0 = region === null || region === undefined ? 0 : region;
  const r1 = region === null || region === undefined ? R : region + 1;
  for (let r = r0; r < r1; r++) {
    const o = r * T;
    for (let t = 0; t < T; t++) {
      const v = arr[o + t];
      if (Number.isFinite(v)) out[t] += v;
    }
  }
  return out;
}

/** [T*W] matrix: region r's rows of a [R*T*W] array, or the sum (or mean) over regions. */
export function matrix(results: ModelResults, arr: Arr, W: number, region?: number | null, mean = false): Float64Array {
  const { regions: R, weeks: T } = results.shape;
  const out = new Float64Array(T * W);
  if (W === 0) return out;
  const all = region === null || region === undefined;
  const r0 = all ? 0 : region;
  const r1 = all ? R : region + 1;
  for (let r = r0; r < r1; r++) {
    const o = r * T * W;
    for (let i = 0; i < T * W; i++) {
      const v = arr[o + i];
      if (Number.isFinite(v)) out[i] += v;
    }
  }
  if (mean && r1 - r0 > 1) for (let i = 0; i < out.length; i++) out[i] /= r1 - r0;
  return out;
}

/** Sum of a [T] series over the range. */
export function sumRange(s: Arr, range: WeekRange): number {
  let a = 0;
  for (let t = range.from; t < range.to; t++) a += s[t];
  return a;
}

/** Per-column sums of a [T*W] matrix over the range. */
export function columnSums(m: Arr, W: number, range: WeekRange): Float64Array {
  const out = new Float64Array(W);
  for (let t = range.from; t < range.to; t++) for (let j = 0; j < W; j++) out[j] += m[t * W + j];
  return out;
}

export interface ComponentTotals {
  baseline: number;
  seasonal: number;
  /** Per control. */
  controls: Float64Array;
  controlsTotal: number;
  /** Per channel. */
  media: Float64Array;
  mediaTotal: number;
  prediction: number;
  actual: number;
}

/** Totals of every additive component over the range (all regions, or one). */
export function componentTotals(results: ModelResults, range: WeekRange, region?: number | null): ComponentTotals {
  const { channels: C, controls: K } = results.shape;
  const media = columnSums(matrix(results, results.media, C, region), C, range);
  const controls = columnSums(matrix(results, results.controls, K, region), K, range);
  const total = (a: Float64Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return s;
  };
  return {
    baseline: sumRange(series(results, results.baseline, region), range),
    seasonal: sumRange(series(results, results.seasonal, region), range),
    controls,
    controlsTotal: total(controls),
    media,
    mediaTotal: total(media),
    prediction: sumRange(series(results, results.prediction, region), range),
    actual: sumRange(series(results, results.actual, region), range),
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics

export interface FitStats {
  r2: number;
  wape: number;
  rmse: number;
  mae: number;
  n: number;
}

/** R², WAPE, RMSE, MAE of prediction vs actual over index pairs (non-finite pairs skipped). */
export function fitStats(actual: Arr, prediction: Arr, from = 0, to = actual.length): FitStats {
  let n = 0;
  let sy = 0;
  let syy = 0;
  let sse = 0;
  let sae = 0;
  let say = 0;
  for (let i = from; i < to; i++) {
    const y = actual[i];
    const p = prediction[i];
    if (!Number.isFinite(y) || !Number.isFinite(p)) continue;
    n++;
    sy += y;
    syy += y * y;
    sse += (p - y) * (p - y);
    sae += Math.abs(p - y);
    say += Math.abs(y);
  }
  const sst = syy - (sy * sy) / Math.max(1, n);
  return {
    r2: n > 1 && sst > 0 ? 1 - sse / sst : NaN,
    wape: say > 0 ? sae / say : NaN,
    rmse: n > 0 ? Math.sqrt(sse / n) : NaN,
    mae: n > 0 ? sae / n : NaN,
    n,
  };
}

export interface BoxStats {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  /** Whiskers: most extreme values within 1.5 IQR of the box. */
  lower: number;
  upper: number;
  mean: number;
  n: number;
}

/** Linear-interpolation quantile of ascending values (NaN when empty). */
export function quantileSorted(s: Float64Array, p: number): number {
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo] + (s[hi] - s[lo]) * (h - lo);
}

export function boxStats(values: Arr): BoxStats {
  const buf = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) buf[k++] = v;
  }
  const s = buf.subarray(0, k).sort();
  const q1 = quantileSorted(s, 0.25);
  const q3 = quantileSorted(s, 0.75);
  const iqr = q3 - q1;
  let lower = q1;
  let upper = q3;
  let sum = 0;
  for (const v of s) {
    sum += v;
    if (v >= q1 - 1.5 * iqr && v < lower) lower = v;
    if (v <= q3 + 1.5 * iqr && v > upper) upper = v;
  }
  return {
    min: s.length ? s[0] : NaN,
    q1,
    median: quantileSorted(s, 0.5),
    q3,
    max: s.length ? s[s.length - 1] : NaN,
    lower,
    upper,
    mean: s.length ? sum / s.length : NaN,
    n: s.length,
  };
}

export interface Bin {
  x0: number;
  x1: number;
  count: number;
}

/** Equal-width histogram with a "nice" bin count (Sturges, capped). */
export function histogram(values: Arr, maxBins = 40): Bin[] {
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    n++;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (n === 0) return [];
  if (hi === lo) return [{ x0: lo - 0.5, x1: hi + 0.5, count: n }];
  const k = Math.max(5, Math.min(maxBins, Math.ceil(Math.log2(n) + 1) * 2));
  const raw = (hi - lo) / k;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((w) => w >= raw) ?? raw;
  const start = Math.floor(lo / step) * step;
  const bins = Math.max(1, Math.ceil((hi - start) / step + 1e-9));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - start) / step))]++;
  }
  return counts.map((count, b) => ({ x0: num(start + b * step) ?? 0, x1: num(start + (b + 1) * step) ?? 0, count }));
}

/** Sample autocorrelation at lags 1..maxLag (NaN-free input expected). */
export function autocorrelation(s: Arr, maxLag: number): number[] {
  const n = s.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += s[i];
  mean /= Math.max(1, n);
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += (s[i] - mean) ** 2;
  const out: number[] = [];
  for (let k = 1; k <= Math.min(maxLag, n - 1); k++) {
    let c = 0;
    for (let i = k; i < n; i++) c += (s[i] - mean) * (s[i - k] - mean);
    out.push(c0 > 0 ? c / c0 : 0);
  }
  return out;
}

/** Deterministic sample of at most `max` indices out of n (evenly strided, both ends kept). */
export function sampleIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  const step = (n - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(Math.round(i * step));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Regions table

export interface RegionRow {
  region: string;
  index: number;
  actual: number;
  predicted: number;
  /** R² within the region over the range's scored weeks (after burn-in). */
  r2: number | null;
  wape: number | null;
  /** Holdout-only R² and WAPE (null when the range has no holdout weeks). */
  holdoutR2: number | null;
  holdoutWape: number | null;
  media: number;
  /** Media contribution / predicted total. */
  mediaShare: number | null;
}

/** Per-region fit and contribution over the range (all weeks by default). */
export function regionTable(results: ModelResults, range?: WeekRange | null): RegionRow[] {
  const { regions: R, weeks: T, channels: C } = results.shape;
  const rg = resolveRange(results, range);
  const scoredFrom = Math.max(rg.from, Math.min(results.burnIn, rg.to - 1));
  const hold = holdoutIn(results, rg);
  const rows: RegionRow[] = [];
  const nn = (v: number) => (Number.isFinite(v) ? num(v) : null);
  for (let r = 0; r < R; r++) {
    const o = r * T;
    let a = 0;
    let p = 0;
    let m = 0;
    for (let t = rg.from; t < rg.to; t++) {
      const y = results.actual[o + t];
      if (Number.isFinite(y)) a += y;
      p += results.prediction[o + t];
      for (let c = 0; c < C; c++) m += results.media[(o + t) * C + c];
    }
    const fit = fitStats(results.actual, results.prediction, o + scoredFrom, o + rg.to);
    const hfit = hold ? fitStats(results.actual, results.prediction, o + hold.from, o + hold.to) : null;
    rows.push({
      region: results.regionNames[r] ?? `Region ${r + 1}`,
      index: r,
      actual: num(a) ?? 0,
      predicted: num(p) ?? 0,
      r2: nn(fit.r2),
      wape: nn(fit.wape),
      holdoutR2: hfit ? nn(hfit.r2) : null,
      holdoutWape: hfit ? nn(hfit.wape) : null,
      media: num(m) ?? 0,
      mediaShare: p !== 0 ? num(m / p) : null,
    });
  }
  return rows;
}

/**
 * Channel indices ordered by total media contribution over the range (largest first), cut to
 * `max`. Views with one series per channel draw at most this many (50 overlaid lines are
 * unreadable and slow); the rest are grouped or reachable through the channel detail view.
 */
export function topChannels(results: ModelResults, range: WeekRange, max: number, region?: number | null): number[] {
  const C = results.shape.channels;
  const totals = columnSums(matrix(results, results.media, C, region), C, range);
  const idx = Array.from({ length: C }, (_, c) => c).sort((a, b) => totals[b] - totals[a] || a - b);
  return idx.slice(0, Math.max(1, max));
}

/** Typical (mean over non-zero region-weeks in training) scaled input per channel. */
export function typicalScaledInput(results: ModelResults): number[] {
  const { regions: R, weeks: T, channels: C } = results.shape;
  const sum = new Float64Array(C);
  const cnt = new Float64Array(C);
  const tEnd = Math.max(1, Math.min(T, results.trainEnd));
  for (let r = 0; r < R; r++)
    for (let t = 0; t < tEnd; t++)
      for (let c = 0; c < C; c++) {
        const v = results.scaledMedia[(r * T + t) * C + c];
        if (Number.isFinite(v) && v > 0) {
          sum[c] += v;
          cnt[c]++;
        }
      }
  return Array.from(sum, (s, c) => (cnt[c] > 0 ? s / cnt[c] : 1));
}
