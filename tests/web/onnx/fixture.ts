// Synthetic fitted models for the ONNX builder tests (no wasm needed): parameter blocks in the
// core's ParamLayout order (core/src/model.cpp) with seeded random values, scalers and calendar,
// plus a float64 reference of the forward pass written from model.cpp / fit.cpp, loop by loop.
import type { OnnxGraphParams } from '../../../web/src/engine/core-types';

export interface Dims {
  R?: number; C?: number; K?: number; H?: number; Hc?: number; G1?: number; G2?: number; harmonics?: number;
  trend?: boolean; notears?: boolean; burnIn?: number; T?: number; trainWeeks?: number; seed?: number;
  /** Local-level knot spacing in weeks (absent: no local level). */
  levelSpacing?: number;
}

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function syntheticParams(d: Dims = {}): OnnxGraphParams {
  const R = d.R ?? 3, C = d.C ?? 3, K = d.K ?? 2, H = d.H ?? 6, Hc = d.Hc ?? 4, G1 = d.G1 ?? 6, G2 = d.G2 ?? 3;
  const harmonics = d.harmonics ?? 2, F = 2 * harmonics, trend = d.trend ?? true, T = d.T ?? 30;
  const rand = rng(d.seed ?? 7);
  const u = (lo: number, hi: number) => lo + (hi - lo) * rand();
  const blocks: OnnxGraphParams['blocks'] = [];
  const add = (name: string, rows: number, cols: number, lo = -0.8, hi = 0.8) =>
    blocks.push({ name, rows, cols, values: Float32Array.from({ length: rows * cols }, () => u(lo, hi)) });
  add('adstock', 1, C, -1.5, 1.5);
  add('hill_slope', 1, C, -1, 1);
  add('hill_half', 1, C, -1, 1);
  add('dag_logits', C, C, -2, 1);
  add('dag_mix', 1, C, -2, 0);
  add('ctrl_w', K, Hc);
  add('ctrl_b', 1, Hc);
  add('gru_wi', C + Hc, 3 * H);
  add('gru_bi', 1, 3 * H);
  add('gru_wh', H, 3 * H);
  add('gru_bh', 1, 3 * H);
  add('gru_h0', 1, H, -0.1, 0.1);
  add('media_gen_w1', H, G1);
  add('media_gen_b1', 1, G1);
  add('media_gen_w2', G1, G2);
  add('media_gen_b2', 1, G2);
  add('media_gen_w3', G2, C);
  add('media_gen_b3', 1, C, -1, 1);
  add('ctrl_gen_w1', H, G1);
  add('ctrl_gen_b1', 1, G1);
  add('ctrl_gen_w2', G1, G2);
  add('ctrl_gen_b2', 1, G2);
  add('ctrl_gen_w3', G2, K);
  add('ctrl_gen_b3', 1, K);
  add('media_cap', 1, C, -1, 0.5);
  add('ctrl_cap', 1, K, -2, -1);
  add('stable_media', 1, C, -2, 0);
  add('stable_ctrl', 1, K, -0.1, 0.1);
  add('region_baseline', 1, R, 0, 1);
  add('global_bias', 1, 1, -3, -2);
  add('prediction_scale', 1, 1, 0.4, 0.6);
  add('seasonal_scale', 1, 1, 0.4, 0.6);
  add('seasonal_global', 1, F, -0.1, 0.1);
  add('seasonal_region', R, F, -0.05, 0.05);
  add('trend_global', 1, trend ? 1 : 0, -0.1, 0.1);
  add('trend_region', 1, trend ? R : 0, -0.05, 0.05);
  const trainWeeks = d.trainWeeks ?? Math.max(1, T - 5);
  const levelSpacing = d.levelSpacing ?? 13;
  add('local_level', R, d.levelSpacing ? Math.ceil((trainWeeks - 1) / levelSpacing) + 1 : 0, -0.2, 0.2);

  const dagMask = new Float32Array(C * C);
  for (let i = 0; i < C; i++) for (let j = 0; j < C; j++) dagMask[i * C + j] = (d.notears ? i !== j : i < j) ? 1 : 0;
  const seasonTable = new Float32Array(53 * F);
  for (let p = 0; p < 53; p++)
    for (let k = 1; k <= harmonics; k++) {
      const ang = (2 * Math.PI * k * p) / 52.1775;
      seasonTable[p * F + 2 * (k - 1)] = Math.sin(ang);
      seasonTable[p * F + 2 * (k - 1) + 1] = Math.cos(ang);
    }
  const weekOfYear = Int32Array.from({ length: T }, (_, t) => ((45 + t) % 52) + 1); // wraps over New Year
  const media = Float32Array.from({ length: R * T * C }, (_, i) => (i % 11 === 0 ? 0 : u(0, 200) * (1 + (i % C))));
  const controlValues = Float32Array.from({ length: R * T * K }, () => u(-5, 25));
  return {
    spec: {
      regions: R, channels: C, controls: K, hidden: H, controlHidden: Hc, coefHidden: G1, coefHidden2: G2,
      fourier: F, trend, notears: !!d.notears, dagTemperature: 0.5, adstockMax: 0.9, slopeMin: 0.5, slopeMax: 4,
      halfMin: 0.01, burnIn: d.burnIn ?? 4, levelSpacing, levelEnd: trainWeeks - 1,
    },
    blocks,
    dagMask,
    scalers: {
      mediaDivisor: Float32Array.from({ length: R * C }, () => u(80, 300)),
      controlCenter: Float32Array.from({ length: R * K }, () => u(5, 15)),
      controlScale: Float32Array.from({ length: R * K }, () => u(2, 6)),
      controlClip: 2.5,
      kpiMean: Float64Array.from({ length: R }, () => u(1000, 50000)),
      adstockInit: Float32Array.from({ length: R * C }, () => u(0.2, 1.5)),
    },
    harmonics,
    seasonTable,
    weekOfYear,
    trend: Float32Array.from({ length: T }, (_, t) => (t - 0.5 * (trainWeeks - 1)) / trainWeeks),
    weeks: T,
    trainWeeks,
    regionNames: Array.from({ length: R }, (_, r) => `R${r}`),
    channelNames: Array.from({ length: C }, (_, c) => `ch${c}`),
    controlNames: Array.from({ length: K }, (_, k) => `ctl${k}`),
    media,
    controlValues,
    scaledMedia: new Float32Array(0),
    scaledControls: new Float32Array(0),
  };
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const softplus = (x: number) => (x > 20 ? x : x < -20 ? Math.exp(x) : Math.log1p(Math.exp(x)));

export interface ReferenceOutput {
  prediction: Float64Array; // [R*W]
  media: Float64Array; // [R*W*C]
  controls: Float64Array; // [R*W*K]
  baseline: Float64Array;
  seasonal: Float64Array;
  beta: Float64Array;
}

/** The forward pass in float64, straight from core/src/model.cpp (one region at a time). */
export function referenceForward(p: OnnxGraphParams, media: Float32Array, controls: Float32Array, weekOfYear: number[]): ReferenceOutput {
  const s = p.spec;
  const R = s.regions, C = s.channels, K = s.controls, H = s.hidden, Hc = s.controlHidden, G1 = s.coefHidden, G2 = s.coefHidden2, F = s.fourier;
  const W = weekOfYear.length;
  const P = (name: string) => p.blocks.find((b) => b.name === name)!.values;
  const alpha = Array.from(P('adstock'), (v) => s.adstockMax * sigmoid(v));
  const slope = Array.from(P('hill_slope'), (v) => s.slopeMin + (s.slopeMax - s.slopeMin) * sigmoid(v));
  const half = Array.from(P('hill_half'), (v) => s.halfMin + softplus(v));
  const mu = Array.from(P('dag_mix'), sigmoid);
  const A = Array.from(P('dag_logits'), (v, i) => p.dagMask[i] * sigmoid(v / s.dagTemperature));
  const capM = Array.from(P('media_cap'), (v) => softplus(v) + 0.1);
  const capK = Array.from(P('ctrl_cap'), (v) => softplus(v) + 0.1);
  const stableM = Array.from(P('stable_media'), softplus);
  const stableK = Array.from(P('stable_ctrl'));
  const scale = softplus(P('prediction_scale')[0]), seasScale = softplus(P('seasonal_scale')[0]), bias = softplus(P('global_bias')[0]);
  const dense = (x: number[], w: Float32Array, b: Float32Array, out: number) =>
    Array.from({ length: out }, (_, o) => x.reduce((acc, xi, i) => acc + xi * w[i * out + o], b[o]));
  const relu = (v: number[]) => v.map((x) => Math.max(0, x));
  const out: ReferenceOutput = {
    prediction: new Float64Array(R * W), media: new Float64Array(R * W * C), controls: new Float64Array(R * W * K),
    baseline: new Float64Array(R * W), seasonal: new Float64Array(R * W), beta: new Float64Array(R * W * C),
  };
  for (let r = 0; r < R; r++) {
    const fr = scale * p.scalers.kpiMean[r];
    const a = Array.from({ length: C }, (_, c) => p.scalers.adstockInit[r * C + c]);
    let hs = Array.from(P('gru_h0'));
    for (let t = 0; t < W; t++) {
      const i0 = r * W + t;
      const xm = Array.from({ length: C }, (_, c) => media[i0 * C + c] / p.scalers.mediaDivisor[r * C + c]);
      const xc = Array.from({ length: K }, (_, k) => {
        const z = (controls[i0 * K + k] - p.scalers.controlCenter[r * K + k]) / p.scalers.controlScale[r * K + k];
        return Math.min(p.scalers.controlClip, Math.max(-p.scalers.controlClip, z));
      });
      for (let c = 0; c < C; c++) a[c] = alpha[c] * a[c] + (1 - alpha[c]) * xm[c];
      const hill = a.map((v, c) => (v > 0 ? sigmoid(slope[c] * (Math.log(v) - Math.log(half[c]))) : 0));
      const m = hill.map((hv, j) => (1 - mu[j]) * hv + mu[j] * hill.reduce((acc, hi, i) => acc + hi * A[i * C + j], 0));
      const f = dense(xc, P('ctrl_w'), P('ctrl_b'), Hc).map(Math.tanh);
      const gi = dense([...m, ...f], P('gru_wi'), P('gru_bi'), 3 * H);
      const gh = dense(hs, P('gru_wh'), P('gru_bh'), 3 * H);
      hs = hs.map((hp, j) => {
        const rg = sigmoid(gi[j] + gh[j]);
        const zg = sigmoid(gi[H + j] + gh[H + j]);
        const n = Math.tanh(gi[2 * H + j] + rg * gh[2 * H + j]);
        return (1 - zg) * n + zg * hp;
      });
      const w = t < s.burnIn && s.burnIn > 0 ? Math.exp((-3 * t) / s.burnIn) : 0;
      const om = dense(relu(dense(relu(dense(hs, P('media_gen_w1'), P('media_gen_b1'), G1)), P('media_gen_w2'), P('media_gen_b2'), G2)), P('media_gen_w3'), P('media_gen_b3'), C);
      let total = 0;
      for (let c = 0; c < C; c++) {
        const beta = w * stableM[c] + (1 - w) * capM[c] * sigmoid(om[c]);
        out.beta[i0 * C + c] = beta;
        out.media[i0 * C + c] = m[c] * beta * fr;
        total += out.media[i0 * C + c];
      }
      if (K > 0) {
        const ok = dense(relu(dense(relu(dense(hs, P('ctrl_gen_w1'), P('ctrl_gen_b1'), G1)), P('ctrl_gen_w2'), P('ctrl_gen_b2'), G2)), P('ctrl_gen_w3'), P('ctrl_gen_b3'), K);
        for (let k = 0; k < K; k++) {
          const gamma = w * stableK[k] + (1 - w) * capK[k] * Math.tanh(ok[k]);
          out.controls[i0 * K + k] = xc[k] * gamma * fr;
          total += out.controls[i0 * K + k];
        }
      }
      let base = softplus(P('region_baseline')[r]) + bias;
      if (s.trend) base += (P('trend_global')[0] + P('trend_region')[r]) * ((t - 0.5 * (p.trainWeeks - 1)) / p.trainWeeks);
      const level = P('local_level');
      if (level.length > 0) {
        // model.hpp level_basis: the week clamped to the knots, linear between neighbours.
        const Kl = level.length / R, first = s.levelEnd - (Kl - 1) * s.levelSpacing;
        const off = Math.min(Math.max(t, first), s.levelEnd) - first;
        let k0 = Math.floor(off / s.levelSpacing), frac = (off - k0 * s.levelSpacing) / s.levelSpacing;
        if (k0 >= Kl - 1) (k0 = Math.max(0, Kl - 2)), (frac = Kl > 1 ? 1 : 0);
        base += Kl === 1 ? level[r * Kl] : (1 - frac) * level[r * Kl + k0] + frac * level[r * Kl + k0 + 1];
      }
      let se = 0;
      for (let j = 0; j < F; j++) se += p.seasonTable[(weekOfYear[t] - 1) * F + j] * (P('seasonal_global')[j] + P('seasonal_region')[r * F + j]);
      out.baseline[i0] = base * fr;
      out.seasonal[i0] = se * seasScale * fr;
      out.prediction[i0] = total + out.baseline[i0] + out.seasonal[i0];
    }
  }
  return out;
}
