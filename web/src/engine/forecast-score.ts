// Forecast scoring in TypeScript, the same arithmetic as the core's score() (core/src/metrics.cpp):
// used for forecasts the core never saw (the naive fallback forecast the app shows instead of the
// model's). Grids are region-major like the panel, [r*weeks + t]; a score covers every region and
// the weeks [from, to). Sums are in double (JS numbers), as in the core.
//
//   r2      1 − SSE / Σ (y − pooled mean)²         (pooled over regions and weeks)
//   wape    Σ|e| / Σ|y|
//   skill   1 − SSE / SSE(naive): recentMean uses each region's mean of its last min(13, trainEnd)
//           training weeks; seasonalNaive uses y[r, t − 52k] (k = 1 before trainEnd, else the
//           smallest k ≥ 1 reaching back into the training weeks), null when some week has none.
// Degenerate cases follow the core: r2 with a constant KPI is 1 when SSE is 0 else 0; wape with
// Σ|y| = 0 is 0 when every error is 0 else NaN; a skill against a perfect naive forecast is 0 when
// the forecast is perfect too, else NaN; an empty range gives NaN everywhere and n = 0.

/** Weeks of training data behind the recent-mean naive forecast (the core's window). */
export const RECENT_WEEKS = 13;
/** Period of the seasonal naive forecast, weeks (kSeasonalPeriod in the core). */
export const SEASONAL_PERIOD = 52;

type Grid = ArrayLike<number>;

export interface ForecastScore {
  r2: number;
  wape: number;
  /** Skill vs each region's recent training mean; null when there are no training weeks. */
  skillRecent: number | null;
  /** Skill vs the same week one year earlier; null when some scored week has no such week. */
  skillSeasonal: number | null;
  /** Scored region-weeks. */
  n: number;
}

export interface GridShape {
  regions: number;
  weeks: number;
}

function checkShape(what: string, grid: Grid, { regions, weeks }: GridShape): void {
  if (grid.length !== regions * weeks)
    throw new RangeError(`${what} has ${grid.length} values; a grid of ${regions} regions × ${weeks} weeks needs ${regions * weeks}`);
}

/** Each region's mean of its last min(RECENT_WEEKS, trainEnd) training weeks (NaN when trainEnd is 0). */
export function recentMeans(actual: Grid, shape: GridShape, trainEnd: number): Float64Array {
  checkShape('actual', actual, shape);
  const { regions, weeks } = shape;
  const begin = Math.max(0, trainEnd - RECENT_WEEKS);
  const out = new Float64Array(regions);
  for (let r = 0; r < regions; r++) {
    let s = 0;
    for (let t = begin; t < trainEnd; t++) s += actual[r * weeks + t];
    out[r] = trainEnd > 0 ? s / (trainEnd - begin) : Number.NaN;
  }
  return out;
}

/** The recent-mean naive forecast as a grid: each region's recent training mean from trainEnd on,
 * NaN before (where it is not a forecast). */
export function recentMeanForecast(actual: Grid, shape: GridShape, trainEnd: number): Float32Array {
  const means = recentMeans(actual, shape, trainEnd);
  const { regions, weeks } = shape;
  const out = new Float32Array(regions * weeks).fill(Number.NaN);
  for (let r = 0; r < regions; r++) for (let t = trainEnd; t < weeks; t++) out[r * weeks + t] = means[r];
  return out;
}

function seasonalIndex(t: number, trainEnd: number): number {
  if (t < trainEnd) return t - SEASONAL_PERIOD;
  const k = Math.floor((t - trainEnd) / SEASONAL_PERIOD) + 1;
  return t - SEASONAL_PERIOD * k;
}

const oneMinusRatioR2 = (sse: number, sst: number) => (sst > 0 ? 1 - sse / sst : sse === 0 ? 1 : 0);
const oneMinusRatioSkill = (sse: number, naive: number) => (naive > 0 ? 1 - sse / naive : sse === 0 ? 0 : Number.NaN);

/** Scores `forecast` against `actual` over weeks [from, to) of every region (see the file header). */
export function scoreForecast(actual: Grid, forecast: Grid, shape: GridShape, from: number, to: number, trainEnd: number): ForecastScore {
  checkShape('actual', actual, shape);
  checkShape('forecast', forecast, shape);
  const { regions, weeks } = shape;
  if (!(from >= 0 && from <= to && to <= weeks)) throw new RangeError(`scored weeks [${from}, ${to}) must lie within 0..${weeks}`);
  if (!(trainEnd >= 0 && trainEnd <= weeks)) throw new RangeError(`trainEnd ${trainEnd} must lie within 0..${weeks}`);
  const n = regions * (to - from);
  if (n === 0) return { r2: Number.NaN, wape: Number.NaN, skillRecent: null, skillSeasonal: null, n: 0 };
  for (let r = 0; r < regions; r++)
    for (let t = from; t < to; t++) {
      const i = r * weeks + t;
      if (!Number.isFinite(actual[i]) || !Number.isFinite(forecast[i]))
        throw new RangeError(`${Number.isFinite(actual[i]) ? 'forecast' : 'actual'} at region ${r}, week ${t} is ${Number.isFinite(actual[i]) ? forecast[i] : actual[i]}; values must be finite`);
    }
  const recent = trainEnd > 0 ? recentMeans(actual, shape, trainEnd) : null;
  let seasonalOk = true;
  for (let t = from; t < to && seasonalOk; t++) seasonalOk = seasonalIndex(t, trainEnd) >= 0;

  let sumY = 0;
  for (let r = 0; r < regions; r++) for (let t = from; t < to; t++) sumY += actual[r * weeks + t];
  const meanY = sumY / n;
  let sse = 0, sae = 0, sumAbsY = 0, sst = 0, sseRecent = 0, sseSeasonal = 0;
  for (let r = 0; r < regions; r++) {
    const o = r * weeks;
    let sseRegion = 0; // summed per region first, in the core's order
    for (let t = from; t < to; t++) {
      const y = actual[o + t];
      const e = y - forecast[o + t];
      sseRegion += e * e;
      sae += Math.abs(e);
      sumAbsY += Math.abs(y);
      sst += (y - meanY) * (y - meanY);
      if (recent) sseRecent += (y - recent[r]) * (y - recent[r]);
      if (seasonalOk) {
        const e2 = y - actual[o + seasonalIndex(t, trainEnd)];
        sseSeasonal += e2 * e2;
      }
    }
    sse += sseRegion;
  }
  return {
    r2: oneMinusRatioR2(sse, sst),
    wape: sumAbsY !== 0 ? sae / sumAbsY : sae === 0 ? 0 : Number.NaN,
    skillRecent: recent ? oneMinusRatioSkill(sse, sseRecent) : null,
    skillSeasonal: seasonalOk ? oneMinusRatioSkill(sse, sseSeasonal) : null,
    n,
  };
}
