// The exported graph in ONNX Runtime (Node) against a float64 reference of the core's forward
// pass (fixture.ts), for every model variant — including ones the app cannot train yet (no
// seasonality, no trend) — and for weeks past the panel's end.
import { describe, expect, it } from 'vitest';
import { onnx } from 'onnx-proto';
import { buildOnnxModel, compareArrays, decodeOnnxModel, onnxFeeds, weekOfYearAt } from '../../../web/src/export/onnx';
import { runOnnx } from '../../../web/src/export/ort';
import { referenceForward, syntheticParams, type Dims } from './fixture';

const graph = (m: onnx.ModelProto) => m.graph as onnx.GraphProto;

const TOL = 1e-4;

async function parity(dims: Dims, extraWeeks = 0, mutate?: (m: onnx.ModelProto) => void) {
  const p = syntheticParams(dims);
  const { regions: R, channels: C, controls: K } = p.spec;
  const T = p.weeks, W = T + extraWeeks;
  const media = new Float32Array(R * W * C), controls = new Float32Array(R * W * K);
  for (let r = 0; r < R; r++)
    for (let t = 0; t < W; t++) {
      const src = r * T + Math.min(t, T - 1);
      for (let c = 0; c < C; c++) media[(r * W + t) * C + c] = p.media[src * C + c] * (t >= T ? 1.5 : 1);
      for (let k = 0; k < K; k++) controls[(r * W + t) * K + k] = p.controlValues[src * K + k];
    }
  let bytes = buildOnnxModel(p);
  if (mutate) {
    const m = decodeOnnxModel(bytes);
    mutate(m);
    bytes = onnx.ModelProto.encode(m).finish();
  }
  const out = await runOnnx(bytes, onnxFeeds(p, media, controls, W));
  const ref = referenceForward(p, media, controls, Array.from({ length: W }, (_, t) => weekOfYearAt(p, t)));
  // float32 graph vs float64 reference: an entry's float32 rounding is relative to the terms it is
  // made from, so entries below 1 % of the output's largest magnitude are compared against that 1 %
  // (e.g. a control contribution at a zero crossing of its coefficient).
  const cmp = (a: Float32Array, b: Float64Array) => {
    let big = 0;
    for (const x of b) big = Math.max(big, Math.abs(x));
    return compareArrays(a, b, 1e-2 * big);
  };
  return {
    prediction: cmp(out.prediction.data, ref.prediction),
    media: cmp(out.media_contribution.data, ref.media),
    controls: K > 0 ? cmp(out.control_contribution.data, ref.controls) : null,
    baseline: cmp(out.baseline.data, ref.baseline),
    seasonal: cmp(out.seasonal.data, ref.seasonal),
    beta: cmp(out.media_coefficient.data, ref.beta),
    dims: out.prediction.dims,
  };
}

describe('ONNX Runtime vs the float64 reference forward pass', () => {
  it.each<[string, Dims]>([
    ['default', {}],
    ['no controls', { K: 0 }],
    ['no seasonality, no trend', { harmonics: 0, trend: false }],
    ['no burn-in, NOTEARS', { burnIn: 0, notears: true }],
    ['local level (knots every 6 weeks, flat after the training weeks)', { levelSpacing: 6 }],
    ['wider model, 60 weeks', { R: 5, C: 4, K: 3, H: 16, Hc: 8, G1: 16, G2: 8, T: 60 }],
  ])('%s', async (_name, dims) => {
    const d = await parity(dims, 8);
    expect(d.dims).toEqual([dims.R ?? 3, (dims.T ?? 30) + 8]);
    for (const [k, v] of Object.entries(d)) if (v && 'maxRel' in v) expect(v.maxRel, k).toBeLessThan(TOL);
  });

  it('negative control: one perturbed GRU weight breaks parity', async () => {
    const d = await parity({}, 0, (m) => {
      const w = graph(m).initializer.find((t) => t.name === 'gru.R') as onnx.TensorProto;
      w.floatData[3] += 0.05;
    });
    expect(Math.max(d.prediction.maxRel, d.media.maxRel)).toBeGreaterThan(TOL);
  });
});
