// Forecast and attribution scores for the harness.
//
// scoreForecast follows core/src/metrics.cpp (pooled R², WAPE, skill = 1 − SSE/SSE(naive) against
// each region's mean of its last 13 training weeks and against the same week one year earlier), so
// the JS baselines are scored exactly as the driver scores the model; quality.test.mjs checks the
// two agree on a real fit. Region-weeks whose KPI is NaN (no row in the file) are not scored; the
// naive forecasts read them filled as the driver fills them (fillGaps).

export const SEASON = 52;
export const RECENT_WEEKS = 13;

export const mean = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

export const median = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
};

/**
 * A region-week grid with the weeks a region has no row (NaN) filled as mmm_bench (and the app)
 * fill the KPI and controls: carried forward, then the first value carried back. The naive
 * forecasts read the KPI so filled, as the driver's do.
 */
export function fillGaps(grid) {
  return grid.map((row) => {
    const out = Float64Array.from(row);
    const first = out.findIndex((v) => !Number.isNaN(v));
    for (let t = 0; t < out.length; t++) if (Number.isNaN(out[t])) out[t] = t < first || first < 0 ? out[first] : out[t - 1];
    return out;
  });
}

/** Each region's mean KPI over its last 13 training weeks (min(13, trainEnd), filled as the driver fills). */
export function recentMeans(kpi, trainEnd) {
  return fillGaps(kpi).map((row) => {
    const from = Math.max(0, trainEnd - RECENT_WEEKS);
    let s = 0;
    for (let t = from; t < trainEnd; t++) s += row[t];
    return trainEnd > from ? s / (trainEnd - from) : NaN;
  });
}

/** The seasonal naive source week of forecast week t: the latest t − 52k (k ≥ 1) before trainEnd. */
export function seasonalIndex(t, trainEnd) {
  if (t < trainEnd) return t - SEASON;
  return t - SEASON * (Math.floor((t - trainEnd) / SEASON) + 1);
}

const skill = (sse, sseNaive) => (sseNaive > 0 ? 1 - sse / sseNaive : sse === 0 ? 0 : NaN);

/**
 * kpi, forecast: arrays of per-region Float64Array (full weeks); scores weeks [from, to).
 * Returns { r2, wape, skillRecent, skillSeasonal, n }.
 */
export function scoreForecast(kpi, forecast, from, to, trainEnd) {
  const recent = recentMeans(kpi, trainEnd);
  const filled = fillGaps(kpi);
  let n = 0;
  let sumY = 0;
  for (const row of kpi) for (let t = from; t < to; t++) if (!Number.isNaN(row[t])) (sumY += row[t]), n++;
  const meanY = sumY / n;
  let sse = 0;
  let sae = 0;
  let sumAbs = 0;
  let sst = 0;
  let sseRecent = 0;
  let sseSeason = 0;
  let seasonOk = true;
  kpi.forEach((row, r) => {
    for (let t = from; t < to; t++) {
      const y = row[t];
      if (Number.isNaN(y)) continue;
      const e = y - forecast[r][t];
      sse += e * e;
      sae += Math.abs(e);
      sumAbs += Math.abs(y);
      sst += (y - meanY) ** 2;
      sseRecent += (y - recent[r]) ** 2;
      const s = seasonalIndex(t, trainEnd);
      if (s < 0) seasonOk = false;
      else sseSeason += (y - filled[r][s]) ** 2;
    }
  });
  if (!Number.isFinite(sse)) throw new Error('scoreForecast: the forecast has a non-finite value in the scored weeks');
  return {
    r2: sst > 0 ? 1 - sse / sst : sse === 0 ? 1 : 0,
    wape: sumAbs > 0 ? sae / sumAbs : NaN,
    skillRecent: skill(sse, sseRecent),
    skillSeasonal: seasonOk ? skill(sse, sseSeason) : NaN,
    n,
  };
}

/** Σ over regions of region-week values (only weeks where `observed(r, t)`), weeks [0, weeks). */
function weeklyTotals(grid, weeks, observed) {
  const out = new Float64Array(weeks);
  grid.forEach((row, r) => {
    for (let t = 0; t < weeks; t++) if (observed(r, t)) out[t] += row[t];
  });
  return out;
}

/**
 * Attribution against the truth over the training weeks [0, trainWeeks):
 *   channels[c].roas / trueRoas: Σ contribution / Σ spend (channels with spend and a non-zero truth);
 *   roasError: mean over those channels of |roas − trueRoas| / |trueRoas|;
 *   contributionR2: median over channels of R² of the model's weekly contribution (summed over
 *     regions) against the true one (channels whose true series varies);
 *   trueMediaShare: Σ true contributions / Σ KPI.
 * panel: the harness panel (with truth); model: { [channel]: [R][T] } weekly contributions, in
 * channel order.
 */
export function attributionScores(panel, modelContribution, trainWeeks) {
  const observed = (r, t) => !Number.isNaN(panel.kpi[r][t]);
  let kpiTotal = 0;
  panel.kpi.forEach((row) => {
    for (let t = 0; t < trainWeeks; t++) if (!Number.isNaN(row[t])) kpiTotal += row[t];
  });
  let trueMedia = 0;
  const channels = panel.channels.map((ch, c) => {
    const truth = weeklyTotals(panel.truth.contribution[c], trainWeeks, observed);
    const model = weeklyTotals(modelContribution[c], trainWeeks, observed);
    const sum = (xs) => xs.reduce((a, b) => a + b, 0);
    const trueTotal = sum(truth);
    trueMedia += trueTotal;
    const spend = ch.spend ? sum(weeklyTotals(ch.spend, trainWeeks, observed)) : 0;
    const trueRoas = spend > 0 ? trueTotal / spend : null;
    const roas = spend > 0 ? sum(model) / spend : null;
    const m = trueTotal / trainWeeks;
    let sse = 0;
    let sst = 0;
    for (let t = 0; t < trainWeeks; t++) (sse += (model[t] - truth[t]) ** 2), (sst += (truth[t] - m) ** 2);
    return { name: ch.name, roas, trueRoas, contributionR2: sst > 0 ? 1 - sse / sst : null };
  });
  const errors = channels.filter((c) => c.roas !== null && c.trueRoas).map((c) => Math.abs(c.roas - c.trueRoas) / Math.abs(c.trueRoas));
  return {
    roasError: errors.length ? mean(errors) : null,
    contributionR2: median(channels.map((c) => c.contributionR2 ?? NaN)),
    trueMediaShare: kpiTotal ? trueMedia / kpiTotal : null,
    channels,
  };
}
