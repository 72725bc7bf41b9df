// Fabricates a consistent ModelResults for the chart tests: additive components that sum to the
// prediction, coefficients × transformed inputs = media contributions, economics and curves
// derived from the same numbers. The chart tests must stay generic over any ModelResults (the lead
// will switch them to a real fitted demo model), so nothing should depend on these exact numbers.
import type {
  BudgetPlan,
  ChannelEconomics,
  DemoTruthSummary,
  EpochPoint,
  Metrics,
  ModelResults,
  ResponseCurve,
} from '../../../web/src/engine/results';

export interface FixtureOptions {
  regions?: number;
  weeks?: number;
  channels?: number;
  controls?: number;
  /** Spend known (else only activity). */
  spend?: boolean;
  budget?: boolean;
  truth?: boolean;
  /** 'iso' week-start dates, or text week ids. */
  dates?: 'iso' | 'ids';
  holdoutWeeks?: number;
  history?: number;
  seed?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function metricsOf(actual: Float32Array, pred: Float32Array, R: number, T: number, from: number, to: number): Metrics {
  let n = 0;
  let sy = 0;
  let syy = 0;
  let sse = 0;
  let sae = 0;
  let say = 0;
  let sumA = 0;
  let sumP = 0;
  let withinSse = 0;
  let withinSst = 0;
  const regionR2: number[] = [];
  for (let r = 0; r < R; r++) {
    let m = 0;
    let k = 0;
    for (let t = from; t < to; t++) {
      m += actual[r * T + t];
      k++;
    }
    m /= Math.max(1, k);
    let rsse = 0;
    let rsst = 0;
    for (let t = from; t < to; t++) {
      const y = actual[r * T + t];
      const p = pred[r * T + t];
      n++;
      sy += y;
      syy += y * y;
      sse += (p - y) ** 2;
      sae += Math.abs(p - y);
      say += Math.abs(y);
      sumA += y;
      sumP += p;
      rsse += (p - y) ** 2;
      rsst += (y - m) ** 2;
    }
    withinSse += rsse;
    withinSst += rsst;
    regionR2.push(rsst > 0 ? 1 - rsse / rsst : 0);
  }
  regionR2.sort((a, b) => a - b);
  const sst = syy - (sy * sy) / Math.max(1, n);
  const r2w = withinSst > 0 ? 1 - withinSse / withinSst : 0;
  return {
    r2: sst > 0 ? 1 - sse / sst : 0,
    r2_within: r2w,
    rmse: Math.sqrt(sse / Math.max(1, n)),
    mae: sae / Math.max(1, n),
    wape: say > 0 ? sae / say : 0,
    rel_error: sumA !== 0 ? Math.abs(sumP - sumA) / Math.abs(sumA) : 0,
    r2_region_median: regionR2[Math.floor(regionR2.length / 2)] ?? 0,
    skill: { recent_mean: r2w * 0.6, seasonal_naive: to - from > 0 && T > 52 ? r2w * 0.4 : null },
    n,
  };
}

export function makeResults(o: FixtureOptions = {}): ModelResults {
  const R = o.regions ?? 4;
  const T = o.weeks ?? 60;
  const C = o.channels ?? 5;
  const K = o.controls ?? 2;
  const rand = rng(o.seed ?? 12345);
  const hold = Math.min(T - 2, o.holdoutWeeks ?? Math.max(1, Math.round(T * 0.15)));
  const trainEnd = T - hold;
  const burnIn = Math.min(4, Math.floor(trainEnd / 4));
  const validationWeeks = Math.min(8, Math.floor(trainEnd / 5));
  const channelNames = Array.from({ length: C }, (_, c) => ['TV', 'Search', 'Social', 'Display', 'Radio', 'OOH', 'Video', 'Email'][c] ?? `Channel ${c + 1}`);
  const controlNames = Array.from({ length: K }, (_, k) => ['Price', 'Promo', 'Weather'][k] ?? `Control ${k + 1}`);
  const regionNames = Array.from({ length: R }, (_, r) => `Region ${String.fromCharCode(65 + (r % 26))}${r >= 26 ? Math.floor(r / 26) : ''}`);
  const start = Date.UTC(2023, 0, 2);
  const dates = Array.from({ length: T }, (_, t) =>
    o.dates === 'ids' ? `${2023 + Math.floor(t / 52)}-W${String((t % 52) + 1).padStart(2, '0')}` : new Date(start + t * 7 * 86_400_000).toISOString().slice(0, 10),
  );

  const size = Array.from({ length: R }, () => 0.3 + rand() * 3);
  const adstock = Array.from({ length: C }, () => 0.2 + rand() * 0.6);
  const hillSlope = Array.from({ length: C }, () => 0.8 + rand() * 1.6);
  const hillHalfSaturation = Array.from({ length: C }, () => 0.5 + rand());
  const chBase = Array.from({ length: C }, () => 200 + rand() * 2000);
  const ctrlCoef = Array.from({ length: K }, () => (rand() - 0.4) * 30);

  const N = R * T;
  const spendArr = new Float32Array(N * C);
  const scaledMedia = new Float32Array(N * C);
  const scaledControls = new Float32Array(N * K);
  const coefficients = new Float32Array(N * C);
  const media = new Float32Array(N * C);
  const controls = new Float32Array(N * K);
  const baseline = new Float32Array(N);
  const seasonal = new Float32Array(N);
  const prediction = new Float32Array(N);
  const actual = new Float32Array(N);

  for (let r = 0; r < R; r++)
    for (let t = 0; t < T; t++)
      for (let c = 0; c < C; c++) {
        const on = Math.sin((t + c * 7) / 5) > -0.4 ? 1 : 0;
        spendArr[(r * T + t) * C + c] = on * size[r] * chBase[c] * (0.5 + rand());
      }
  const chMean = new Float64Array(C);
  for (let i = 0; i < N; i++) for (let c = 0; c < C; c++) chMean[c] += spendArr[i * C + c] / N;
  for (let r = 0; r < R; r++) {
    const ad = new Float64Array(C);
    for (let t = 0; t < T; t++) {
      const i = r * T + t;
      let total = 0;
      for (let c = 0; c < C; c++) {
        const x = spendArr[i * C + c] / (chMean[c] || 1);
        scaledMedia[i * C + c] = x;
        ad[c] = t === 0 ? x : adstock[c] * ad[c] + (1 - adstock[c]) * x;
        const h = ad[c] > 0 ? ad[c] ** hillSlope[c] / (ad[c] ** hillSlope[c] + hillHalfSaturation[c] ** hillSlope[c]) : 0;
        const beta = (0.5 + 0.3 * Math.sin(t / 9 + c)) * (t < burnIn ? 1 : 1 + 0.1 * rand());
        coefficients[i * C + c] = beta;
        const contrib = beta * h * size[r] * 150;
        media[i * C + c] = contrib;
        total += contrib;
      }
      for (let k = 0; k < K; k++) {
        const z = Math.sin(t / (4 + k)) + (rand() - 0.5) * 0.5;
        scaledControls[i * K + k] = z;
        const v = ctrlCoef[k] * z * size[r];
        controls[i * K + k] = v;
        total += v;
      }
      baseline[i] = size[r] * 1000;
      seasonal[i] = size[r] * 80 * Math.sin((2 * Math.PI * t) / 52);
      total += baseline[i] + seasonal[i];
      prediction[i] = total;
      actual[i] = total * (1 + (rand() - 0.5) * 0.08);
    }
  }

  const adjacency = new Float32Array(C * C);
  for (let a = 0; a < C; a++) for (let b = a + 1; b < C; b++) adjacency[a * C + b] = rand() < 0.5 ? 0.3 + rand() * 0.7 : rand() * 0.25;

  const withSpend = o.spend !== false;
  const totalMedia = new Float64Array(C);
  const totalSpend = new Float64Array(C);
  for (let i = 0; i < N; i++)
    for (let c = 0; c < C; c++) {
      totalMedia[c] += media[i * C + c];
      totalSpend[c] += spendArr[i * C + c];
    }
  const mediaSum = totalMedia.reduce((a, b) => a + b, 0);
  const economics: ChannelEconomics[] = channelNames.map((channel, c) => ({
    channel,
    contribution: totalMedia[c],
    share: totalMedia[c] / mediaSum,
    indirect: totalMedia[c] * 0.05,
    spend: withSpend ? totalSpend[c] : null,
    activity: withSpend ? null : totalSpend[c],
    roi: withSpend ? totalMedia[c] / totalSpend[c] : null,
    roiTotal: withSpend ? (totalMedia[c] * 1.05) / totalSpend[c] : null,
    revenueRoi: null,
    costPerKpi: withSpend ? totalSpend[c] / totalMedia[c] : null,
    marginalRoi: withSpend ? (0.6 * totalMedia[c]) / totalSpend[c] : null,
    effectPer1000: withSpend ? null : (1000 * totalMedia[c]) / totalSpend[c],
  }));

  const factors = Array.from({ length: 13 }, (_, i) => i * 0.25);
  const responseCurves: ResponseCurve[] = channelNames.map((channel, c) => {
    const current = totalSpend[c] / T;
    const Kh = current * hillHalfSaturation[c];
    const s = hillSlope[c];
    const top = totalMedia[c] * 2;
    const x = factors.map((f) => f * current);
    const y = x.map((v) => (v > 0 ? (top * v ** s) / (Kh ** s + v ** s) : 0));
    return {
      channel,
      factors,
      x,
      y,
      hill: { bottom: 0, top, halfSaturation: Kh, slope: s, r2: 0.99 },
      current,
      saturationPct: (100 * current ** s) / (Kh ** s + current ** s),
      unit: withSpend ? 'spend' : 'activity',
    };
  });

  let budget: BudgetPlan | null = null;
  if (o.budget !== false && withSpend) {
    const weeks = 13;
    const rows = channelNames.map((channel, c) => {
      const currentSpend = (totalSpend[c] / T) * weeks;
      const optimalSpend = currentSpend * (0.7 + 0.6 * ((c * 37) % 10) / 10);
      const currentKpi = (totalMedia[c] / T) * weeks;
      const predictedKpi = currentKpi * (optimalSpend / currentSpend) ** 0.6;
      return {
        channel,
        currentSpend,
        optimalSpend,
        change: optimalSpend - currentSpend,
        changePct: (100 * (optimalSpend - currentSpend)) / currentSpend,
        lower: currentSpend * 0.5,
        upper: currentSpend * 1.5,
        locked: c === C - 1,
        predictedKpi,
        currentKpi,
        roi: predictedKpi / optimalSpend,
        marginalRoi: (0.6 * predictedKpi) / optimalSpend,
        saturationPct: 40 + c * 5,
      };
    });
    const cur = rows.reduce((a, r) => a + r.currentKpi, 0);
    const opt = rows.reduce((a, r) => a + r.predictedKpi, 0);
    budget = {
      mode: 'fixed',
      budget: rows.reduce((a, r) => a + r.currentSpend, 0),
      weeks,
      rows,
      currentKpi: cur,
      optimalKpi: opt,
      upliftPct: (100 * (opt - cur)) / cur,
      simulatedCurrentKpi: cur * 1.01,
      simulatedOptimalKpi: opt * 0.99,
      simulatedUpliftPct: (100 * (opt * 0.99 - cur * 1.01)) / (cur * 1.01),
    };
  }

  let truth: DemoTruthSummary | null = null;
  if (o.truth !== false) {
    truth = {
      channels: channelNames.map((channel, c) => ({
        channel,
        share: (totalMedia[c] / mediaSum) * (0.8 + 0.4 * rand()),
        roi: withSpend ? (totalMedia[c] / totalSpend[c]) * (0.8 + 0.4 * rand()) : 0,
        contribution: totalMedia[c] * (0.9 + 0.2 * rand()),
        adstock: adstock[c],
        hillSlope: hillSlope[c],
        halfSaturation: hillHalfSaturation[c],
      })),
      edges: [],
      mediaShare: 0.2,
    };
    for (let a = 0; a < C; a++)
      for (let b = a + 1; b < C; b++) if (adjacency[a * C + b] > 0.5) truth.edges.push({ from: channelNames[a], to: channelNames[b], strength: adjacency[a * C + b] * (0.8 + 0.3 * rand()) });
    if (C >= 3) truth.edges.push({ from: channelNames[0], to: channelNames[2], strength: 0.4 });
  }

  const E = o.history ?? 40;
  const history: EpochPoint[] = Array.from({ length: E }, (_, e) => ({
    epoch: e + 1,
    trainLoss: 1 / (1 + e * 0.3) + 0.01,
    valLoss: 1.1 / (1 + e * 0.25) + 0.02,
    trainR2: 1 - 1 / (1 + e * 0.3),
    valR2: 0.95 - 1.1 / (1 + e * 0.25),
    elapsedSeconds: e * 0.2,
  }));

  return {
    shape: { regions: R, weeks: T, channels: C, controls: K },
    regionNames,
    channelNames,
    controlNames,
    dates,
    trainEnd,
    validationWeeks,
    burnIn,
    actual,
    prediction,
    baseline,
    seasonal,
    media,
    controls,
    coefficients,
    mediaInput: spendArr,
    spend: withSpend ? spendArr : null,
    scaledMedia,
    scaledControls,
    adjacency,
    dagMode: 'triangular',
    adstock,
    hillSlope,
    hillHalfSaturation,
    mediaUnit: channelNames.map(() => (withSpend ? 'spend' : 'activity')),
    metrics: { train: metricsOf(actual, prediction, R, T, burnIn, trainEnd), holdout: metricsOf(actual, prediction, R, T, trainEnd, T) },
    history,
    epochs: E,
    fitSeconds: E * 0.2,
    engine: { variant: 'core-st', threads: 1 },
    seed: o.seed ?? 12345,
    economics,
    responseCurves,
    budget,
    truth,
  };
}
