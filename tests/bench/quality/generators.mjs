// Simulated panels that do NOT share the model's form, each with its truth (weekly contribution of
// every channel per region, and so ROAS = Σ contribution / Σ spend). The built-in demo shares the
// model's form (per-region intensity, two harmonics, a linear trend, a one-week delay); these break
// one assumption each, and `real_shaped` imitates the held-back panel of issue 12.
//
// The common process, per region r and week t (everything deterministic for a seed):
//   size s_r ~ lognormal; level L[r,t] = 10000 s_r (1 + g_r t/52) exp(w[r,t])   (w = 0 unless drifting;
//   growthCurve 'sqrt': 1 + 1.5 sqrt(t/T) in place of the straight line)
//   seasonal = a L (0.08 sin(2πt/52.18 + φ1) + 0.03 sin(4πt/52.18 + φ2))
//   (a = 1 unless the variant weakens it; controls likewise scaled)
//   controls: price (AR(1), effect −0.06 L x), promo dummy (+0.05 L), more AR(1) controls ±0.01–0.04 L
//   spend: a national plan per channel (always-on AR(1) or flights) × a regional weight
//          (s_r × lognormal noise) × week noise (× L[r,t]/L[r,0] when budgets follow sales); impressions = spend / cost when the variant has them
//   adstock: a normalised kernel over lags 0..12 (geometric, or Weibull-shaped);
//   saturation: Hill a^k / (a^k + K^k), K proportional to the region's size (or the same everywhere);
//   additive: kpi = L + seasonal + controls + Σ_c f β_c L h_c + noise (f sets the media share)
//   multiplicative: kpi = (L + seasonal + controls) Π_c (1 + f β_c h_c) + noise; a channel's true
//          contribution is the counterfactual difference (kpi without noise) − (the same without c).
// 13 weeks are simulated before the first week so the adstock starts warm, then dropped.

// mmm_roas_data's shape: one national series, two channels, a KPI that grows along a curve, and a
// hidden weekly shock that drives the first channel's spend and the KPI (±10 %). Three variants
// differ only in media's share of the KPI.
const NATIONAL_GROWTH = { regions: 1, channels: 2, demandShock: true, shockChannels: 1, shockSpend: 0.7, shockKpi: 0.1, growthCurve: 'sqrt' };
const NATIONAL_SEEDS = { tuning: [3, 4, 5, 6, 7, 8, 9], reporting: [10, 11, 12] };

// Append new variants at the end: a variant's random stream depends on its index. Every variant is
// drawn at seed 1 (tuning set) and seed 2 (reporting set); `extraSeeds` adds draws to either set.
export const VARIANTS = [
  { name: 'drifting_baseline', description: 'region levels follow a random walk and shift by 5-12 % without media cause', options: { levelDrift: 0.012, levelShifts: true } },
  { name: 'media_scales_with_size', description: 'every region gets the national plan × its size (media collinear with region size)', options: { mediaScalesWithSize: true } },
  { name: 'late_plan_change', description: 'in the last 30 weeks one channel is bought 2.5× heavier, one stops, one moves between regions', options: { latePlanChange: true } },
  { name: 'multiplicative', description: 'kpi = base × Π(1 + effect): media effects multiply', options: { multiplicative: true } },
  { name: 'weibull_carryover', description: 'Weibull-shaped carryover (peak after 1-4 weeks, long tail)', options: { carryover: 'weibull' } },
  { name: 'saturation_not_per_size', description: 'Hill half-saturation the same in every region (small regions far from saturation)', options: { saturationPerSize: false } },
  { name: 'no_seasonality', description: 'no seasonality at all', options: { seasonality: false } },
  {
    name: 'confounded_spend',
    description: 'a hidden weekly demand shock raises both the KPI (±6 %) and the week\'s spend (as mmm_roas_data\'s z); budgets also follow each region\'s level',
    options: { demandShock: true, mediaFollowsLevel: true, levelDrift: 0.006 },
  },
  {
    name: 'real_shaped',
    description: '80 regions × 109 weeks × 13 impression channels × 7 controls; drifting region levels dominate (weak seasonality and controls), budgets follow each region\'s level, media 20 % of KPI, 3 ragged regions',
    options: {
      regions: 80, weeks: 109, channels: 13, controls: 7, impressions: true, levelDrift: 0.008, seasonAmplitude: 0.3, controlScale: 0.3,
      mediaFollowsLevel: true, ragged: 3, mediaShare: 0.2, noise: 0.02,
    },
  },
  {
    name: 'national_confounded_growth',
    description: 'one national series, two channels; the KPI grows along a curve (×2.5, fastest early) that a straight trend cannot follow, and a hidden weekly demand shock drives the first channel\'s spend and the KPI (±10 %; mmm_roas_data\'s shape, other draws)',
    options: { ...NATIONAL_GROWTH, mediaShare: 0.35 },
  },
  {
    name: 'national_media_heavy',
    description: 'national_confounded_growth with media driving 45 % of the KPI: a model without a local level credits media with nearly the 0.5 share cap (mmm_roas_data\'s calibrated fits); drawn at more seeds because one series is one draw',
    options: { ...NATIONAL_GROWTH, mediaShare: 0.45 },
    extraSeeds: NATIONAL_SEEDS,
  },
  {
    name: 'national_media_moderate',
    description: 'national_media_heavy with media driving 40 % of the KPI',
    options: { ...NATIONAL_GROWTH, mediaShare: 0.4 },
    extraSeeds: NATIONAL_SEEDS,
  },
];

const DEFAULTS = {
  regions: 20, weeks: 130, channels: 4, controls: 2, mediaShare: 0.25, noise: 0.03, seasonality: true, seasonAmplitude: 1,
  controlScale: 1, levelDrift: 0, levelShifts: false, mediaFollowsLevel: false, mediaScalesWithSize: false, latePlanChange: false, multiplicative: false,
  carryover: 'geometric', saturationPerSize: true, ragged: 0, impressions: false, start: '2022-01-03', demandShock: false,
  shockChannels: Infinity, shockSpend: 0.35, shockKpi: 0.06, growthCurve: 'linear',
};
const WARM_UP = 13;
const LAGS = 13;
const YEAR = 52.18;

/** A seeded generator of uniforms in [0, 1) (a splitmix32-style counter hash) and normals (Box–Muller). */
export function makeRng(seed) {
  let state = (seed * 0x9e3779b9) >>> 0;
  const uniform = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
  const normal = () => {
    const u = 1 - uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  return { uniform, normal, between: (a, b) => a + (b - a) * uniform() };
}

function adstockKernel(kind, rng) {
  const w = new Float64Array(LAGS);
  if (kind === 'weibull') {
    const shape = rng.between(1.5, 3);
    const scale = rng.between(2, 5);
    for (let l = 0; l < LAGS; l++) {
      const x = (l + 0.5) / scale;
      w[l] = (shape / scale) * x ** (shape - 1) * Math.exp(-(x ** shape));
    }
  } else {
    const decay = rng.between(0.2, 0.7);
    for (let l = 0; l < LAGS; l++) w[l] = decay ** l;
  }
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

/** A national weekly plan: always-on (AR(1) around a budget) or flighted (bursts and gaps). */
function nationalPlan(weeks, flighted, rng) {
  const budget = rng.between(500, 1500);
  const plan = new Float64Array(weeks);
  if (flighted) {
    let t = Math.floor(rng.between(0, 6));
    while (t < weeks) {
      const on = Math.floor(rng.between(3, 8));
      const level = budget * 2 * Math.exp(0.2 * rng.normal());
      for (let i = 0; i < on && t < weeks; i++, t++) plan[t] = level;
      t += Math.floor(rng.between(3, 10));
    }
  } else {
    let ar = 0;
    for (let t = 0; t < weeks; t++) {
      ar = 0.9 * ar + 0.12 * rng.normal();
      plan[t] = budget * Math.exp(ar);
    }
  }
  return plan;
}

const grid = (R, T) => Array.from({ length: R }, () => new Float64Array(T));

export function generateVariant(name, seed) {
  const variant = VARIANTS.find((v) => v.name === name);
  if (!variant) throw new Error(`unknown generator variant '${name}'; known: ${VARIANTS.map((v) => v.name).join(', ')}`);
  const o = { ...DEFAULTS, ...variant.options };
  // One stream per variant and seed, so variants do not share their random draws.
  const rng = makeRng(seed * 7919 + VARIANTS.indexOf(variant) * 104729 + 17);
  const R = o.regions;
  const C = o.channels;
  const K = o.controls;
  const T0 = o.weeks + WARM_UP;

  const size = Array.from({ length: R }, () => Math.min(30, Math.max(0.05, Math.exp(0.9 * rng.normal()))));
  const firstWeek = size.map((_, r) => (r < o.ragged ? WARM_UP + 12 * (r + 1) : 0));
  const level = grid(R, T0);
  const seasonal = grid(R, T0);
  const phase1 = rng.between(0, 2 * Math.PI);
  const phase2 = rng.between(0, 2 * Math.PI);
  for (let r = 0; r < R; r++) {
    const growth = 0.04 + 0.04 * rng.normal();
    // 'sqrt': the level rises by 1.5× its first value over the weeks, fastest at the start.
    const trend = (t) => (o.growthCurve === 'sqrt' ? 1 + 1.5 * Math.sqrt(t / T0) : 1 + (growth * t) / 52);
    const shiftAt = o.levelShifts && rng.uniform() < 0.5 ? Math.floor(rng.between(T0 / 3, T0 - 8)) : -1;
    const shift = (rng.uniform() < 0.5 ? -1 : 1) * rng.between(0.05, 0.12);
    let walk = 0;
    for (let t = 0; t < T0; t++) {
      walk += o.levelDrift * rng.normal();
      const w = walk + (shiftAt >= 0 && t >= shiftAt ? shift : 0);
      level[r][t] = 10000 * size[r] * trend(t) * Math.exp(w);
      if (o.seasonality)
        seasonal[r][t] = o.seasonAmplitude * level[r][t] * (0.08 * Math.sin((2 * Math.PI * t) / YEAR + phase1) + 0.03 * Math.sin((4 * Math.PI * t) / YEAR + phase2));
    }
  }

  // Controls: national series plus regional noise; effects proportional to the level.
  const controlNames = Array.from({ length: K }, (_, k) => (k === 0 ? 'price' : k === 1 ? 'promo' : `control${k}`));
  const controlValues = controlNames.map(() => grid(R, T0));
  const controlEffect = controlNames.map((_, k) => (k === 0 ? -0.06 : k === 1 ? 0.05 : (rng.uniform() < 0.5 ? -1 : 1) * rng.between(0.01, 0.04)));
  const controlPart = grid(R, T0);
  controlNames.forEach((_, k) => {
    let ar = 0;
    const national = new Float64Array(T0).map(() => {
      if (k === 1) return rng.uniform() < 0.08 ? 1 : 0;
      ar = 0.85 * ar + 0.3 * rng.normal();
      return ar;
    });
    for (let r = 0; r < R; r++)
      for (let t = 0; t < T0; t++) {
        const x = k === 1 ? national[t] : national[t] + 0.2 * rng.normal();
        controlValues[k][r][t] = x;
        controlPart[r][t] += o.controlScale * controlEffect[k] * level[r][t] * x;
      }
  });

  // A demand shock the analyst does not see: it moves the KPI and, because planners react to it,
  // the week's spend on every channel (a confounder, like z in PyMC-Marketing's mmm_roas_data).
  const shock = grid(R, T0);
  if (o.demandShock) for (let r = 0; r < R; r++) for (let t = 0; t < T0; t++) shock[r][t] = rng.normal();

  // Spend per channel and region-week.
  const spend = Array.from({ length: C }, () => grid(R, T0));
  const change = T0 - 30;
  for (let c = 0; c < C; c++) {
    const plan = nationalPlan(T0, c % 3 === 1, rng);
    const weight = size.map((s) => (o.mediaScalesWithSize ? s : s * Math.exp(0.4 * rng.normal())));
    const lateWeight = size.map((s) => s * Math.exp(0.8 * rng.normal()));
    for (let r = 0; r < R; r++)
      for (let t = firstWeek[r]; t < T0; t++) {
        let v = plan[t] * weight[r] * (o.mediaScalesWithSize ? 1 : Math.exp(0.1 * rng.normal()));
        // Budgets set from sales: spend moves with the region's (drifting) level.
        if (o.mediaFollowsLevel) v *= level[r][t] / level[r][0];
        if (o.demandShock && c < o.shockChannels) v *= Math.exp(o.shockSpend * shock[r][t]);
        if (o.latePlanChange && t >= change) {
          if (c === 0) v *= 2.5;
          else if (c === 1) v = 0;
          else if (c === 2) v = plan[t] * lateWeight[r];
        }
        spend[c][r][t] = v;
      }
  }

  // Adstock and saturation.
  const hill = Array.from({ length: C }, () => grid(R, T0));
  for (let c = 0; c < C; c++) {
    const kernel = adstockKernel(o.carryover, rng);
    const slope = rng.between(1, 2);
    const kappa = rng.between(0.6, 1.5);
    const ad = grid(R, T0);
    let perSize = 0;
    let perCell = 0;
    for (let r = 0; r < R; r++)
      for (let t = 0; t < T0; t++) {
        let a = 0;
        for (let l = 0; l < LAGS && l <= t; l++) a += kernel[l] * spend[c][r][t - l];
        ad[r][t] = a;
        perSize += a / size[r];
        perCell += a;
      }
    perSize /= R * T0;
    perCell /= R * T0;
    for (let r = 0; r < R; r++) {
      const half = kappa * (o.saturationPerSize ? perSize * size[r] : perCell);
      for (let t = 0; t < T0; t++) {
        const a = ad[r][t] ** slope;
        hill[c][r][t] = a / (a + half ** slope);
      }
    }
  }
  const beta = Array.from({ length: C }, () => rng.between(0.5, 1.5));

  // Scale f so media carry the target share of the KPI (before noise), over the kept weeks.
  const base = (r, t) => level[r][t] * (1 + o.shockKpi * shock[r][t]) + seasonal[r][t] + controlPart[r][t];
  const contribution = Array.from({ length: C }, () => grid(R, T0));
  const noiseFree = grid(R, T0);
  const fill = (f) => {
    let media = 0;
    let total = 0;
    for (let r = 0; r < R; r++)
      for (let t = Math.max(WARM_UP, firstWeek[r]); t < T0; t++) {
        const b = base(r, t);
        if (o.multiplicative) {
          const factors = beta.map((bc, c) => 1 + f * bc * hill[c][r][t]);
          const y = b * factors.reduce((a, x) => a * x, 1);
          for (let c = 0; c < C; c++) contribution[c][r][t] = y - y / factors[c];
          noiseFree[r][t] = y;
          media += y - b;
          total += y;
        } else {
          let m = 0;
          for (let c = 0; c < C; c++) m += contribution[c][r][t] = f * beta[c] * level[r][t] * hill[c][r][t];
          noiseFree[r][t] = b + m;
          media += m;
          total += b + m;
        }
      }
    return media / total;
  };
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (lo + hi);
    if (fill(mid) < o.mediaShare) lo = mid;
    else hi = mid;
  }
  fill(0.5 * (lo + hi));

  // Assemble the kept weeks as a harness panel.
  const T = o.weeks;
  const start = Date.parse(`${o.start}T00:00:00Z`);
  const dates = Array.from({ length: T }, (_, t) => new Date(start + 7 * t * 86_400_000).toISOString().slice(0, 10));
  const keep = (g) => g.map((row) => row.slice(WARM_UP));
  const cost = Array.from({ length: C }, () => rng.between(0.002, 0.02));
  const kpi = grid(R, T);
  for (let r = 0; r < R; r++)
    for (let t = 0; t < T; t++) {
      const tt = t + WARM_UP;
      if (tt < firstWeek[r]) {
        kpi[r][t] = NaN;
        continue;
      }
      kpi[r][t] = noiseFree[r][tt] + o.noise * 10000 * size[r] * rng.normal();
    }
  return {
    regions: size.map((_, r) => `region${String(r + 1).padStart(3, '0')}`),
    dates,
    kpi,
    channels: spend.map((s, c) => {
      const kept = keep(s);
      return { name: `ch${c}`, media: o.impressions ? kept.map((row) => row.map((v) => v / cost[c])) : kept, spend: kept };
    }),
    controls: controlNames.map((n, k) => ({ name: n, values: keep(controlValues[k]).map((row, r) => row.map((v, t) => (t + WARM_UP < firstWeek[r] ? 0 : v))) })),
    truth: { contribution: contribution.map(keep) },
    national: false,
  };
}
