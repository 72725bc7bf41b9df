// The fitted model's forward pass as a standard ONNX graph (built with onnx-proto), so it can be
// scored anywhere ONNX runs: from the user's media and controls to the predicted KPI and its
// additive decomposition, for all regions at once. It mirrors core/src/model.cpp operation by
// operation (and FittedModel::run in core/src/fit.cpp for the scaling and the KPI units):
//
//   xm = media / media_divisor                          scalers folded in (scaling.hpp)
//   xc = clip((controls - centre) / scale, ±clip)
//   a  = adstock(xm)   a_t = α a_{t-1} + (1-α) x_t, a_{-1} = adstock_init — written exactly as
//        a_t = α^{t+1} a_{-1} + Σ_{s≤t} (1-α) α^{t-s} x_s: one MatMul with the lower-triangular
//        decay matrix L[c,t,s] = (1-α_c) α_c^{t-s} (s ≤ t), built for any number of weeks
//   h  = a > 0 ? sigmoid(slope (ln a - ln half)) : 0     Hill
//   m  = (1-μ) h + μ (h A),  A = sigmoid(θ/τ) ⊙ mask   DAG mix
//   f  = tanh(xc Wc + bc)                               control features
//   s  = GRU([m ; f])   ONNX GRU, gates reordered to z,r,h, linear_before_reset = 1 (PyTorch form)
//   β  = blend(cap_m σ(MLP_m(s)), softplus(stable_m)),  γ = blend(cap_k tanh(MLP_c(s)), stable_k)
//        blend = w_t·stable + (1-w_t)·generated, w_t = exp(-3t/B) for t < B (burn-in), else 0
//   parts (scaled) m·β, xc·γ, baseline, seasonal; × softplus(scale) × KPI mean of the region
//
// Inputs and outputs are region-major ([regions, weeks, …]) like the app's arrays; weeks is a
// symbolic dimension counted from the model's first week (the adstock and GRU states, burn-in and
// trend all start there), so the same file scores the training weeks and any weeks after them.
// A structural self-check (checkOnnxModel) stands in for onnx.checker where Python is unavailable.
import { onnx } from 'onnx-proto';
import type { OnnxGraphParams } from '../engine/core-types';

export const ONNX_OPSET = 15;
/** IR version 8 (ONNX 1.10, the proto onnx-proto 8 ships); opset 15 is that release's opset. */
export const ONNX_IR_VERSION = 8;
export const ONNX_PRODUCER = 'MMM Studio';

const T_FLOAT = onnx.TensorProto.DataType.FLOAT;
const T_INT64 = onnx.TensorProto.DataType.INT64;
const T_BOOL = onnx.TensorProto.DataType.BOOL;
const A = onnx.AttributeProto.AttributeType;

export interface OnnxBuildInfo {
  /** The app version written into the model's metadata. */
  appVersion?: string;
  /** A name for the data the model was fitted on (metadata only). */
  dataName?: string;
}

export interface OnnxIoDoc {
  name: string;
  elemType: 'float32' | 'int64';
  /** Numbers, or 'weeks' for the symbolic time dimension. */
  shape: (number | string)[];
  doc: string;
}

/** The graph's inputs and outputs for a model with these dimensions (also what the CLI prints). */
export function onnxInterface(p: Pick<OnnxGraphParams, 'spec'>): { inputs: OnnxIoDoc[]; outputs: OnnxIoDoc[] } {
  const { regions: R, channels: C, controls: K, fourier: F } = p.spec;
  const inputs: OnnxIoDoc[] = [
    { name: 'media', elemType: 'float32', shape: [R, 'weeks', C], doc: 'Media driver per region, week and channel in the units the model was fitted on (spend, or activity where a channel was mapped with activity only), weeks counted from the model\'s first week. Scaling (÷ media divisor per region and channel) happens inside the graph.' },
  ];
  if (K > 0) inputs.push({ name: 'controls', elemType: 'float32', shape: [R, 'weeks', K], doc: 'Control variables per region, week and control in their original units. Standardisation ((x − centre) / scale per region, clipped to ±clip) happens inside the graph.' });
  if (F > 0) inputs.push({ name: 'week_of_year', elemType: 'int64', shape: ['weeks'], doc: 'Calendar week of year (1..53) of every week; drives the seasonal basis. For the fitted weeks use the model\'s calendar (metadata "panel_week_of_year"); after the last fitted week continue with ((w_last − 1 + k) mod 52) + 1 for the k-th following week.' });
  const outputs: OnnxIoDoc[] = [
    { name: 'prediction', elemType: 'float32', shape: [R, 'weeks'], doc: 'Predicted KPI (KPI units) = baseline + seasonal + Σ control_contribution + Σ media_contribution.' },
    { name: 'media_contribution', elemType: 'float32', shape: [R, 'weeks', C], doc: 'Contribution of each channel to the KPI (KPI units): adstock → Hill → DAG-mixed media × time-varying coefficient.' },
  ];
  if (K > 0) outputs.push({ name: 'control_contribution', elemType: 'float32', shape: [R, 'weeks', K], doc: 'Contribution of each control to the KPI (KPI units, signed).' });
  outputs.push(
    { name: 'baseline', elemType: 'float32', shape: [R, 'weeks'], doc: 'Region baseline + global bias + trend + local level (KPI units).' },
    { name: 'seasonal', elemType: 'float32', shape: [R, 'weeks'], doc: 'Seasonal term (KPI units).' },
    { name: 'media_coefficient', elemType: 'float32', shape: [R, 'weeks', C], doc: 'Time-varying media coefficient β (scaled model space; contribution = mixed media × β × prediction scale × region KPI mean).' },
  );
  return { inputs, outputs };
}

// ---- graph builder -----------------------------------------------------------------------------

type AttrValue = number | number[] | { float: number } | { tensor: onnx.ITensorProto };

class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private n = 0;
  private readonly names = new Set<string>();

  /** Keeps a fixed name (a graph input or output) from being handed out. */
  reserve(name: string): void {
    this.names.add(name);
  }

  private fresh(base: string): string {
    let name = base;
    while (this.names.has(name)) name = `${base}_${++this.n}`;
    this.names.add(name);
    return name;
  }

  floats(name: string, dims: number[], data: ArrayLike<number>, doc?: string): string {
    const n = this.fresh(name);
    const size = dims.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`onnx export: initializer ${name} has ${data.length} values for shape [${dims.join(', ')}]`);
    this.initializers.push(onnx.TensorProto.create({ name: n, dims, dataType: T_FLOAT, floatData: Array.from(data, Number), ...(doc ? { docString: doc } : {}) }));
    return n;
  }

  scalar(name: string, value: number): string {
    return this.floats(name, [], [value]);
  }

  ints(name: string, dims: number[], data: number[]): string {
    const n = this.fresh(name);
    this.initializers.push(onnx.TensorProto.create({ name: n, dims, dataType: T_INT64, int64Data: data }));
    return n;
  }

  /** Adds a node; returns its output names (fresh, derived from `out`). */
  op(opType: string, inputs: string[], out: string | string[], attrs: Record<string, AttrValue> = {}, doc?: string): string[] {
    const outs = (Array.isArray(out) ? out : [out]).map((o) => (o === '' ? '' : this.fresh(o)));
    const attribute: onnx.IAttributeProto[] = Object.entries(attrs).map(([name, v]) => {
      if (typeof v === 'number') return { name, type: A.INT, i: v };
      if (Array.isArray(v)) return { name, type: A.INTS, ints: v };
      if ('float' in v) return { name, type: A.FLOAT, f: v.float };
      return { name, type: A.TENSOR, t: v.tensor };
    });
    this.nodes.push(onnx.NodeProto.create({ opType, input: inputs, output: outs, name: `${opType}_${this.nodes.length}`, attribute, ...(doc ? { docString: doc } : {}) }));
    return outs;
  }

  /** Single-output shorthand. */
  o(opType: string, inputs: string[], out: string, attrs: Record<string, AttrValue> = {}, doc?: string): string {
    return this.op(opType, inputs, out, attrs, doc)[0];
  }

}

function valueInfo(io: OnnxIoDoc): onnx.IValueInfoProto {
  return onnx.ValueInfoProto.create({
    name: io.name,
    docString: io.doc,
    type: {
      tensorType: {
        elemType: io.elemType === 'int64' ? T_INT64 : T_FLOAT,
        shape: { dim: io.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

function block(p: OnnxGraphParams, name: string): { rows: number; cols: number; values: Float32Array } {
  const b = p.blocks.find((x) => x.name === name);
  if (!b) throw new Error(`onnx export: the model has no parameter block '${name}' (the core's parameter layout changed; update web/src/export/onnx.ts)`);
  return b;
}

/** ONNX GRU weights from the core's [in × 3H] (gates r, z, n in columns) layout: [1, 3H, in] in
 * ONNX's gate order z, r, h. */
function gruWeight(w: Float32Array, inSize: number, H: number): Float32Array {
  const out = new Float32Array(3 * H * inSize);
  const src = [1, 0, 2]; // ONNX gate g (z, r, h) ← core gate (r, z, n) index
  for (let g = 0; g < 3; g++)
    for (let j = 0; j < H; j++)
      for (let d = 0; d < inSize; d++) out[(g * H + j) * inSize + d] = w[d * 3 * H + src[g] * H + j];
  return out;
}

function gruBias(bi: Float32Array, bh: Float32Array, H: number): Float32Array {
  const out = new Float32Array(6 * H);
  const src = [1, 0, 2];
  for (let g = 0; g < 3; g++)
    for (let j = 0; j < H; j++) {
      out[g * H + j] = bi[src[g] * H + j];
      out[3 * H + g * H + j] = bh[src[g] * H + j];
    }
  return out;
}

/** The calendar week (1..53) of week t counted from the model's first week, also past the panel
 * (the core's Seasonality::phase + 1). */
export function weekOfYearAt(p: Pick<OnnxGraphParams, 'weekOfYear' | 'weeks'>, t: number): number {
  if (t < p.weeks) return p.weekOfYear[t];
  const last = p.weekOfYear[p.weeks - 1];
  return ((last - 1 + (t - p.weeks + 1)) % 52) + 1;
}

/** Builds the ONNX model (serialized ModelProto bytes). */
export function buildOnnxModel(p: OnnxGraphParams, info: OnnxBuildInfo = {}): Uint8Array {
  return onnx.ModelProto.encode(buildOnnxModelProto(p, info)).finish();
}

export function buildOnnxModelProto(p: OnnxGraphParams, info: OnnxBuildInfo = {}): onnx.ModelProto {
  const s = p.spec;
  const R = s.regions, C = s.channels, K = s.controls, H = s.hidden, Hc = s.controlHidden, F = s.fourier;
  const G1 = s.coefHidden, G2 = s.coefHidden2, D = C + Hc, B = s.burnIn;
  const g = new GraphBuilder();
  const par = (name: string, dims: number[], doc?: string) => g.floats(`param.${name}`, dims, block(p, name).values, doc ?? `model parameter '${name}' (raw value, as stored by the core)`);
  const io = onnxInterface(p);
  for (const x of [...io.inputs, ...io.outputs]) g.reserve(x.name);

  const one = g.scalar('const.one', 1);
  const zero = g.scalar('const.zero', 0);
  // σ(x) in the core's two-sided form (x >= 0: 1 / (1 + e^-x), else e^x / (1 + e^x)), built from
  // Exp: ONNX Runtime's Sigmoid kernel approximates the tail (measured: relative error > 100 % below
  // x = -15), which would show wherever a Hill curve or a coefficient sits far down its tail.
  const sig = (x: string, name: string): string => {
    const e = g.o('Exp', [g.o('Neg', [g.o('Abs', [x], `${name}_abs`)], `${name}_negabs`)], `${name}_exp`);
    const d = g.o('Add', [one, e], `${name}_den`);
    return g.o('Where', [g.o('GreaterOrEqual', [x, zero], `${name}_nonneg`), g.o('Div', [one, d], `${name}_pos`), g.o('Div', [e, d], `${name}_neg`)], name);
  };

  // ---- time axis (dynamic number of weeks) ----
  const xmT = g.o('Transpose', ['media'], 'media_time_major', { perm: [1, 0, 2] }); // [T,R,C]
  const shape = g.o('Shape', [xmT], 'media_shape');
  const T = g.o('Gather', [shape, g.ints('const.idx0', [], [0])], 'weeks', { axis: 0 }); // scalar int64
  const tIdx = g.o('Range', [g.ints('const.i0', [], [0]), T, g.ints('const.i1', [], [1])], 'week_index');
  const tf = g.o('Cast', [tIdx], 'week_index_f', { to: T_FLOAT }); // [T]
  const tCol = g.o('Unsqueeze', [tf, g.ints('const.axes1', [1], [1])], 'week_col'); // [T,1]

  // ---- scalers (folded in) ----
  const xm = g.o('Div', [xmT, g.floats('scaler.media_divisor', [R, C], p.scalers.mediaDivisor, 'media divisor per region and channel (scaling.hpp)')], 'scaled_media', {}, 'media / divisor: the model sees media relative to each channel\'s typical volume and the region\'s size');
  let xc = '';
  if (K > 0) {
    const xcT = g.o('Transpose', ['controls'], 'controls_time_major', { perm: [1, 0, 2] });
    const z = g.o('Div', [g.o('Sub', [xcT, g.floats('scaler.control_center', [R, K], p.scalers.controlCenter)], 'controls_centred'), g.floats('scaler.control_scale', [R, K], p.scalers.controlScale)], 'controls_z');
    xc = g.o('Clip', [z, g.scalar('scaler.control_clip_min', -p.scalers.controlClip), g.scalar('scaler.control_clip_max', p.scalers.controlClip)], 'scaled_controls');
  }

  // ---- adstock: a = L · x + α^{t+1} a0 (exact closed form of the recursion) ----
  const alpha = g.o('Mul', [g.scalar('spec.adstock_max', s.adstockMax), sig(par('adstock', [C]), 'adstock_sig')], 'adstock_decay');
  const alpha3 = g.o('Reshape', [alpha, g.ints('const.shape_c11', [3], [C, 1, 1])], 'adstock_decay_c11');
  const lag = g.o('Sub', [tCol, g.o('Unsqueeze', [tf, g.ints('const.axes0', [1], [0])], 'week_row')], 'lag'); // [T,T] t - s
  const causal = g.o('Cast', [g.o('GreaterOrEqual', [lag, zero], 'lag_causal_b')], 'lag_causal', { to: T_FLOAT });
  const decay = g.o('Mul', [g.o('Mul', [g.o('Pow', [alpha3, g.o('Relu', [lag], 'lag_pos')], 'decay_pow'), causal], 'decay_causal'), g.o('Sub', [one, alpha3], 'one_minus_decay')], 'adstock_matrix', {}, 'lower-triangular decay matrix L[c,t,s] = (1-α_c) α_c^(t-s) for s <= t, else 0');
  // Lag blend (when the model has one): x'_t = (1-d) x_t + d x_{t-1}, x_{-1} = adstock_init, so a
  // channel's effect can peak a week after its spend.
  const lagBlock = p.blocks.find((b) => b.name === 'adstock_delay' && b.values.length > 0);
  let xin = xm;
  if (lagBlock) {
    const d = sig(par('adstock_delay', [C]), 'lag_blend_weight');
    const first = new Float32Array(R * C);
    first.set(p.scalers.adstockInit.subarray(0, R * C));
    const prevStart = g.floats('scaler.lag_blend_start', [1, R, C], first, 'media before the first week for the lag blend (region × channel, scaled units)');
    const earlier = g.o('Slice', [xm, g.ints('const.slice_start0', [1], [0]), g.ints('const.slice_end_m1', [1], [-1]), g.ints('const.slice_axis0', [1], [0])], 'scaled_media_earlier');
    const prev = g.o('Concat', [prevStart, earlier], 'scaled_media_prev', { axis: 0 }, 'x_{t-1} for every week');
    xin = g.o('Add', [g.o('Mul', [g.o('Sub', [one, d], 'lag_blend_keep'), xm], 'lag_blend_now'), g.o('Mul', [d, prev], 'lag_blend_prev')], 'lag_blended_media', {}, "lag blend: (1-d) x_t + d x_{t-1}");
  }
  const xByChannel = g.o('Transpose', [xin], 'scaled_media_ctr', { perm: [2, 0, 1] }); // [C,T,R]
  const conv = g.o('MatMul', [decay, xByChannel], 'adstock_conv'); // [C,T,R]
  const tPlus = g.o('Reshape', [g.o('Add', [tf, one], 'week_plus_one'), g.ints('const.shape_1t1', [3], [1, -1, 1])], 'week_plus_one_3d');
  const a0 = new Float32Array(C * R);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) a0[c * R + r] = p.scalers.adstockInit[r * C + c];
  const carry = g.o('Mul', [g.o('Pow', [alpha3, tPlus], 'carry_decay'), g.floats('scaler.adstock_init', [C, 1, R], a0, 'adstock state before the first week (channel × region, scaled units)')], 'adstock_carry');
  const adstock = g.o('Transpose', [g.o('Add', [conv, carry], 'adstock_ctr')], 'adstock', { perm: [1, 2, 0] }, 'adstocked media [T,R,C]');

  // ---- Hill ----
  const slope = g.o('Add', [g.scalar('spec.slope_min', s.slopeMin), g.o('Mul', [g.scalar('spec.slope_range', s.slopeMax - s.slopeMin), sig(par('hill_slope', [C]), 'slope_sig')], 'slope_span')], 'hill_slope');
  const half = g.o('Add', [g.scalar('spec.half_min', s.halfMin), g.o('Softplus', [par('hill_half', [C])], 'half_sp')], 'hill_half');
  const logA = g.o('Log', [g.o('Max', [adstock, g.scalar('const.tiny', 1e-30)], 'adstock_safe')], 'log_adstock');
  const hz = g.o('Mul', [g.o('Sub', [logA, g.o('Log', [half], 'log_half')], 'log_ratio'), slope], 'hill_logit');
  const hill = g.o('Where', [g.o('Greater', [adstock, zero], 'adstock_pos'), sig(hz, 'hill_sig'), zero], 'hill', {}, 'Hill saturation a^s / (a^s + half^s), 0 for a <= 0');

  // ---- DAG mix ----
  const adj = g.o('Mul', [sig(g.o('Div', [par('dag_logits', [C, C]), g.scalar('spec.dag_temperature', s.dagTemperature)], 'dag_scaled'), 'dag_sig'), g.floats('spec.dag_mask', [C, C], p.dagMask, 'allowed edges (row → column)')], 'dag_adjacency');
  const mu = sig(par('dag_mix', [C]), 'dag_mu');
  const mixed = g.o('Add', [
    g.o('Mul', [g.o('Sub', [one, mu], 'one_minus_mu'), hill], 'mix_self'),
    g.o('Mul', [mu, g.o('MatMul', [hill, adj], 'mix_parents')], 'mix_other'),
  ], 'mixed_media', {}, 'm = (1-μ) h + μ (h A)');

  // ---- control features ----
  let feats: string;
  if (K > 0) {
    feats = g.o('Tanh', [g.o('Add', [g.o('MatMul', [xc, par('ctrl_w', [K, Hc])], 'ctrl_mm'), par('ctrl_b', [Hc])], 'ctrl_pre')], 'control_features');
  } else {
    const dims = g.o('Concat', [g.o('Unsqueeze', [T, g.ints('const.axes0b', [1], [0])], 'weeks_1d'), g.ints('const.shape_rh', [2], [R, Hc])], 'feat_shape', { axis: 0 });
    feats = g.o('Expand', [g.o('Tanh', [par('ctrl_b', [Hc])], 'ctrl_bias_tanh'), dims], 'control_features');
  }

  // ---- GRU ----
  const x = g.o('Concat', [mixed, feats], 'gru_input', { axis: 2 }); // [T,R,D]
  const wi = block(p, 'gru_wi').values, wh = block(p, 'gru_wh').values;
  const W = g.floats('gru.W', [1, 3 * H, D], gruWeight(wi, D, H), "from param 'gru_wi' [D × 3H], gates reordered r,z,n → z,r,h and transposed");
  const Rw = g.floats('gru.R', [1, 3 * H, H], gruWeight(wh, H, H), "from param 'gru_wh' [H × 3H], gates reordered and transposed");
  const Bb = g.floats('gru.B', [1, 6 * H], gruBias(block(p, 'gru_bi').values, block(p, 'gru_bh').values, H), "from params 'gru_bi', 'gru_bh' (z,r,h order)");
  const h0 = g.o('Expand', [g.o('Reshape', [par('gru_h0', [H]), g.ints('const.shape_11h', [3], [1, 1, H])], 'gru_h0_3d'), g.ints('const.shape_1rh', [3], [1, R, H])], 'gru_initial_h');
  const [Y] = g.op('GRU', [x, W, Rw, Bb, '', h0], ['gru_y', ''], { hidden_size: H, linear_before_reset: 1 }, 'PyTorch-style GRU: n = tanh(W_n x + b_in + r ⊙ (R_n h + b_hn))');
  const states = g.o('Squeeze', [Y, g.ints('const.axes1b', [1], [1])], 'gru_states'); // [T,R,H]

  // ---- coefficient generators + burn-in blend ----
  const mlp = (prefix: string, out: number) => {
    const a1 = g.o('Relu', [g.o('Add', [g.o('MatMul', [states, par(`${prefix}_w1`, [H, G1])], `${prefix}_mm1`), par(`${prefix}_b1`, [G1])], `${prefix}_pre1`)], `${prefix}_a1`);
    const a2 = g.o('Relu', [g.o('Add', [g.o('MatMul', [a1, par(`${prefix}_w2`, [G1, G2])], `${prefix}_mm2`), par(`${prefix}_b2`, [G2])], `${prefix}_pre2`)], `${prefix}_a2`);
    return g.o('Add', [g.o('MatMul', [a2, par(`${prefix}_w3`, [G2, out])], `${prefix}_mm3`), par(`${prefix}_b3`, [out])], `${prefix}_out`);
  };
  let wBurn = '';
  if (B > 0) {
    const w = g.o('Where', [g.o('Less', [tf, g.scalar('spec.burn_in', B)], 'in_burn_in'), g.o('Exp', [g.o('Mul', [tf, g.scalar('spec.burn_in_rate', -3 / B)], 'burn_in_arg')], 'burn_in_exp'), zero], 'burn_in_weight', {}, 'w_t = exp(-3 t / B) for t < B, else 0');
    wBurn = g.o('Reshape', [w, g.ints('const.shape_t11', [3], [-1, 1, 1])], 'burn_in_weight_3d');
  }
  // Without burn-in weeks the stable coefficients never enter the forward pass (only the loss).
  const blend = (stable: () => string, generated: string, name: string) => {
    if (!wBurn) return generated;
    return g.o('Add', [g.o('Mul', [wBurn, stable()], `${name}_stable_part`), g.o('Mul', [g.o('Sub', [one, wBurn], `${name}_one_minus_w`), generated], `${name}_generated_part`)], name);
  };
  const capM = g.o('Add', [g.o('Softplus', [par('media_cap', [C])], 'media_cap_sp'), g.scalar('const.cap_floor', 0.1)], 'media_cap');
  const betaGen = g.o('Mul', [capM, sig(mlp('media_gen', C), 'media_gen_sig')], 'beta_generated');
  const beta = blend(() => g.o('Softplus', [par('stable_media', [C])], 'stable_media'), betaGen, 'beta');
  let gamma = '';
  if (K > 0) {
    const capK = g.o('Add', [g.o('Softplus', [par('ctrl_cap', [K])], 'ctrl_cap_sp'), g.scalar('const.cap_floor_k', 0.1)], 'ctrl_cap');
    const gammaGen = g.o('Mul', [capK, g.o('Tanh', [mlp('ctrl_gen', K)], 'ctrl_gen_tanh')], 'gamma_generated');
    gamma = blend(() => par('stable_ctrl', [K]), gammaGen, 'gamma');
  }

  // ---- baseline, trend, seasonal ----
  let base = g.o('Add', [g.o('Softplus', [par('region_baseline', [R])], 'region_base_sp'), g.o('Softplus', [par('global_bias', [1])], 'bias_sp')], 'base_level'); // [R]
  if (s.trend) {
    const u = g.o('Div', [g.o('Sub', [tCol, g.scalar('spec.trend_centre', 0.5 * (p.trainWeeks - 1))], 'trend_centred'), g.scalar('spec.train_weeks', p.trainWeeks)], 'trend_u'); // [T,1]
    const slopeR = g.o('Add', [par('trend_global', [1]), par('trend_region', [R])], 'trend_slope');
    base = g.o('Add', [base, g.o('Mul', [slopeR, u], 'trend_term')], 'base_trend'); // [T,R]
  } else {
    base = g.o('Expand', [base, g.o('Concat', [g.o('Unsqueeze', [T, g.ints('const.axes0c', [1], [0])], 'weeks_1d_b'), g.ints('const.shape_r', [1], [R])], 'base_shape', { axis: 0 })], 'base_trend');
  }
  const levelBlock = p.blocks.find((b) => b.name === 'local_level' && b.values.length > 0);
  if (levelBlock) {
    // Piecewise-linear local level (model.hpp level_basis): hat weights max(0, 1 - |clip(t) - knot_k| / spacing)
    // with t clipped to the knot range, so weeks after the last training week keep its level.
    const Kl = levelBlock.cols, spacing = s.levelSpacing, first = s.levelEnd - (Kl - 1) * spacing;
    const knots = Float32Array.from({ length: Kl }, (_, k) => first + k * spacing);
    const tc = g.o('Clip', [tCol, g.scalar('spec.level_first', first), g.scalar('spec.level_end', s.levelEnd)], 'level_week'); // [T,1]
    const dist = g.o('Abs', [g.o('Sub', [tc, g.floats('spec.level_knots', [Kl], knots, 'week of each local-level knot')], 'level_offset')], 'level_distance'); // [T,Kl]
    const hat = g.o('Relu', [g.o('Sub', [one, g.o('Div', [dist, g.scalar('spec.level_spacing', spacing)], 'level_distance_rel')], 'level_hat_raw')], 'level_weight');
    const knotsKR = g.o('Transpose', [par('local_level', [R, Kl])], 'level_knots_kr', { perm: [1, 0] });
    base = g.o('Add', [base, g.o('MatMul', [hat, knotsKR], 'local_level')], 'base_local_level'); // [T,R]
  }
  let seasonal: string;
  if (F > 0) {
    const idx = g.o('Sub', ['week_of_year', g.ints('const.one_i64', [], [1])], 'season_phase');
    const phi = g.o('Gather', [g.floats('spec.season_basis', [53, F], p.seasonTable, 'seasonal basis sin/cos(2π k phase / 52.1775), k = 1..H, one row per phase 0..52'), idx], 'season_basis_t', { axis: 0 }); // [T,F]
    const coef = g.o('Transpose', [g.o('Add', [par('seasonal_global', [F]), par('seasonal_region', [R, F])], 'season_coef')], 'season_coef_fr', { perm: [1, 0] });
    seasonal = g.o('Mul', [g.o('MatMul', [phi, coef], 'season_sum'), g.o('Softplus', [par('seasonal_scale', [1])], 'season_scale')], 'seasonal_scaled'); // [T,R]
  } else {
    seasonal = g.o('Mul', [base, zero], 'seasonal_scaled');
  }

  // ---- contributions in KPI units (× prediction scale × region KPI mean) ----
  const kpiMean = Float32Array.from(p.scalers.kpiMean);
  const fr = g.o('Mul', [g.o('Softplus', [par('prediction_scale', [1])], 'pred_scale'), g.floats('scaler.kpi_mean', [R], kpiMean, 'training mean of the KPI per region (inverse KPI scaling)')], 'kpi_factor'); // [R]
  const frCol = g.o('Unsqueeze', [fr, g.ints('const.axes1c', [1], [1])], 'kpi_factor_col'); // [R,1]
  const mediaC = g.o('Mul', [g.o('Mul', [mixed, beta], 'media_part'), frCol], 'media_contribution_tm');
  const baseC = g.o('Mul', [base, fr], 'baseline_tm');
  const seasC = g.o('Mul', [seasonal, fr], 'seasonal_tm');
  const axes2 = g.ints('const.axes2', [1], [2]);
  let total = g.o('Add', [baseC, seasC], 'pred_base_seas');
  let ctrlC = '';
  if (K > 0) {
    ctrlC = g.o('Mul', [g.o('Mul', [xc, gamma], 'control_part'), frCol], 'control_contribution_tm');
    total = g.o('Add', [total, g.o('ReduceSum', [ctrlC, axes2], 'control_total', { keepdims: 0 })], 'pred_with_controls');
  }
  total = g.o('Add', [total, g.o('ReduceSum', [mediaC, axes2], 'media_total', { keepdims: 0 })], 'prediction_tm');

  // ---- outputs, region-major ----
  const out = (src: string, name: string, perm: number[]) => {
    g.nodes.push(onnx.NodeProto.create({ opType: 'Transpose', input: [src], output: [name], name: `Transpose_${name}`, attribute: [{ name: 'perm', type: A.INTS, ints: perm }] }));
  };
  out(total, 'prediction', [1, 0]);
  out(mediaC, 'media_contribution', [1, 0, 2]);
  if (K > 0) out(ctrlC, 'control_contribution', [1, 0, 2]);
  out(baseC, 'baseline', [1, 0]);
  out(seasC, 'seasonal', [1, 0]);
  out(beta, 'media_coefficient', [1, 0, 2]);

  const graph = onnx.GraphProto.create({
    name: 'mmm_studio_forward',
    docString: 'MMM Studio fitted forward pass: media and controls (user units, region-major) → predicted KPI and its additive decomposition (KPI units). Scalers are folded in; no pre- or post-processing is needed.',
    node: g.nodes,
    initializer: g.initializers,
    input: io.inputs.map(valueInfo),
    output: io.outputs.map(valueInfo),
  });
  return onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    producerName: ONNX_PRODUCER,
    producerVersion: info.appVersion ?? '',
    domain: 'studio.mmm',
    modelVersion: 1,
    docString: 'Marketing-mix model (adstock → Hill → DAG mix → GRU → time-varying coefficients) exported by MMM Studio. See metadata_props for the inputs, outputs and scaling.',
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph,
    metadataProps: metadata(p, info, io),
  });
}

function metadata(p: OnnxGraphParams, info: OnnxBuildInfo, io: { inputs: OnnxIoDoc[]; outputs: OnnxIoDoc[] }): onnx.IStringStringEntryProto[] {
  const s = p.spec;
  const describe = (x: OnnxIoDoc) => `${x.name}: ${x.elemType} [${x.shape.join(', ')}] — ${x.doc}`;
  const entries: Record<string, string> = {
    app: 'MMM Studio',
    app_version: info.appVersion ?? '',
    data_name: info.dataName ?? '',
    layout: 'region-major: [regions, weeks, channels|controls]; weeks is dynamic and counted from the model\'s first week (week 0 = first fitted week). To score future weeks, pass the fitted weeks followed by the new ones.',
    inputs: io.inputs.map(describe).join('\n'),
    outputs: io.outputs.map(describe).join('\n'),
    pre_processing: 'none — folded into the graph: media ÷ scaler.media_divisor[region, channel]; controls → clip((x − scaler.control_center) ÷ scaler.control_scale, ±scaler.control_clip) per region and control.',
    post_processing: 'none — folded into the graph: every scaled part × softplus(param.prediction_scale) × scaler.kpi_mean[region] (the KPI\'s training mean per region).',
    adstock: 'a_t = α a_{t−1} + (1−α) x_t with a_{−1} = scaler.adstock_init, computed exactly as a MatMul with the lower-triangular decay matrix (1−α) α^(t−s) plus α^(t+1) a_{−1}.',
    gru: 'ONNX GRU, forward, linear_before_reset = 1, gate order z, r, h (core stores r, z, n; reordered in gru.W/R/B).',
    burn_in: `first ${s.burnIn} weeks blend the stable coefficients in: w_t = exp(−3t/${s.burnIn}).`,
    regions: JSON.stringify(p.regionNames),
    channels: JSON.stringify(p.channelNames),
    controls: JSON.stringify(p.controlNames),
    panel_weeks: String(p.weeks),
    train_weeks: String(p.trainWeeks),
    panel_week_of_year: JSON.stringify(Array.from(p.weekOfYear)),
    seasonality: s.fourier > 0 ? `${s.fourier / 2} Fourier pairs of the calendar week, period 52.1775 weeks` : 'none',
    trend: s.trend ? `u_t = (t − ${0.5 * (p.trainWeeks - 1)}) / ${p.trainWeeks}` : 'none',
    checker: 'python -c "import onnx; onnx.checker.check_model(onnx.load(\'model.onnx\'), full_check=True)"',
  };
  return Object.entries(entries).map(([key, value]) => ({ key, value }));
}

// ---- reading a model back ----------------------------------------------------------------------

const toNum = (x: number | { toNumber(): number } | null | undefined): number => (x == null ? 0 : typeof x === 'number' ? x : x.toNumber());

export function decodeOnnxModel(bytes: Uint8Array): onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

/** The inputs, outputs, opset and metadata of an ONNX model (for the CLI and the UI). */
export function describeOnnxModel(model: Uint8Array | onnx.IModelProto): {
  irVersion: number;
  opset: number;
  producer: string;
  nodes: number;
  initializers: number;
  parameters: number;
  inputs: OnnxIoDoc[];
  outputs: OnnxIoDoc[];
  metadata: Record<string, string>;
} {
  const m = model instanceof Uint8Array ? decodeOnnxModel(model) : model;
  const gr = m.graph!;
  const ioOf = (v: onnx.IValueInfoProto): OnnxIoDoc => ({
    name: v.name ?? '',
    elemType: v.type?.tensorType?.elemType === T_INT64 ? 'int64' : 'float32',
    shape: (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : toNum(d.dimValue as number))),
    doc: v.docString ?? '',
  });
  const metadata: Record<string, string> = {};
  for (const e of m.metadataProps ?? []) metadata[e.key ?? ''] = e.value ?? '';
  let parameters = 0;
  for (const t of gr.initializer ?? []) parameters += (t.dims ?? []).reduce<number>((a, d) => a * toNum(d as number), 1);
  return {
    irVersion: toNum(m.irVersion as number),
    opset: toNum((m.opsetImport ?? []).find((o) => !o.domain)?.version as number),
    producer: `${m.producerName ?? ''} ${m.producerVersion ?? ''}`.trim(),
    nodes: gr.node?.length ?? 0,
    initializers: gr.initializer?.length ?? 0,
    parameters,
    inputs: (gr.input ?? []).map(ioOf),
    outputs: (gr.output ?? []).map(ioOf),
    metadata,
  };
}

// ---- structural self-check (a stand-in for onnx.checker) ---------------------------------------
// Checks what onnx.checker.check_model checks structurally and what shape inference would catch:
// the IR version and opset are declared; every op is a standard op available in the declared
// opset; names are unique (SSA); every node input is produced before it is used (topological
// order); initializers hold as many values as their shape says; attributes the ops need are set;
// and the shapes inferred through the whole graph (with the symbolic weeks dimension) agree with
// each other (broadcasting, MatMul, GRU, Concat, …) and with the declared outputs.

type Dim = number | string;
interface Val {
  type: number;
  shape: Dim[] | null; // null: unknown rank
  /** Known contents of small int64 tensors (shapes, indices, axes), possibly symbolic. */
  value?: Dim[];
}

/** Standard ops this exporter uses → the opset version each one's current form needs. */
const OP_SINCE: Record<string, number> = {
  Add: 7, Sub: 7, Mul: 7, Div: 7, Pow: 7, Max: 8, MatMul: 1, Gemm: 7, Relu: 6, Sigmoid: 6, Tanh: 6, Softplus: 1, Exp: 6, Log: 6,
  Transpose: 1, Reshape: 5, Shape: 1, Gather: 1, Range: 11, Cast: 6, Unsqueeze: 13, Squeeze: 13, Concat: 4, Expand: 8, Slice: 13,
  Where: 9, Greater: 7, GreaterOrEqual: 12, Less: 7, Clip: 11, ReduceSum: 13, GRU: 7, Identity: 1, Abs: 6, Neg: 6,
};

export interface OnnxCheckReport {
  ok: boolean;
  errors: string[];
  /** Inferred shapes of the graph outputs. */
  outputs: Record<string, Dim[] | null>;
}

export function checkOnnxModel(model: Uint8Array | onnx.IModelProto): OnnxCheckReport {
  const errors: string[] = [];
  let m: onnx.IModelProto;
  try {
    m = model instanceof Uint8Array ? decodeOnnxModel(model) : model;
  } catch (err) {
    return { ok: false, errors: [`not a ModelProto: ${err instanceof Error ? err.message : String(err)}`], outputs: {} };
  }
  const ir = toNum(m.irVersion as number);
  if (!(ir >= 3)) errors.push(`ir_version is ${ir}; it must be set (>= 3)`);
  const opsets = (m.opsetImport ?? []).filter((o) => !o.domain);
  const opset = opsets.length ? toNum(opsets[0].version as number) : 0;
  if (!opsets.length) errors.push('opset_import declares no version of the default ONNX domain');
  else if (opset < 13) errors.push(`opset ${opset} is declared; this model needs >= 13`);
  const gr = m.graph;
  if (!gr) return { ok: false, errors: [...errors, 'the model has no graph'], outputs: {} };

  const env = new Map<string, Val>();
  const define = (name: string, v: Val, what: string) => {
    if (!name) return;
    if (env.has(name)) errors.push(`${what}: '${name}' is defined more than once (names must be unique)`);
    env.set(name, v);
  };
  const dimsOf = (vi: onnx.IValueInfoProto): Dim[] | null => {
    const dims = vi.type?.tensorType?.shape?.dim;
    if (!dims) return null;
    return dims.map((d) => (d.dimParam ? d.dimParam : toNum(d.dimValue as number)));
  };
  for (const vi of gr.input ?? []) {
    if (!vi.type?.tensorType) errors.push(`graph input '${vi.name}' has no tensor type`);
    define(vi.name ?? '', { type: vi.type?.tensorType?.elemType ?? 0, shape: dimsOf(vi) }, 'graph input');
  }
  for (const t of gr.initializer ?? []) {
    const dims = (t.dims ?? []).map((d) => toNum(d as number));
    const size = dims.reduce((a, b) => a * b, 1);
    const n = t.dataType === T_FLOAT ? (t.floatData?.length || (t.rawData?.length ?? 0) / 4) : t.dataType === T_INT64 ? (t.int64Data?.length || (t.rawData?.length ?? 0) / 8) : -1;
    if (n !== size) errors.push(`initializer '${t.name}' has ${n} values but shape [${dims.join(', ')}] needs ${size}`);
    if (t.dataType === T_FLOAT && t.floatData?.some((v) => !Number.isFinite(v))) errors.push(`initializer '${t.name}' holds a non-finite value`);
    const v: Val = { type: t.dataType ?? 0, shape: dims };
    if (t.dataType === T_INT64 && size <= 16) v.value = (t.int64Data ?? []).map((x) => toNum(x as number));
    define(t.name ?? '', v, 'initializer');
  }

  const numel = (s: Dim[]) => (s.every((d) => typeof d === 'number') ? (s as number[]).reduce((a, b) => a * b, 1) : null);
  const same = (a: Dim, b: Dim) => a === b;
  const bcast = (shapes: (Dim[] | null)[], where: string): Dim[] | null => {
    if (shapes.some((s) => s === null)) return null;
    const rank = Math.max(...shapes.map((s) => s!.length));
    const out: Dim[] = [];
    for (let i = 0; i < rank; i++) {
      let d: Dim = 1;
      for (const s of shapes) {
        const k = s!.length - rank + i;
        const x = k >= 0 ? s![k] : 1;
        if (x === 1) continue;
        if (d === 1) d = x;
        else if (!same(d, x)) errors.push(`${where}: shapes [${shapes.map((q) => q!.join(',')).join('] and [')}] do not broadcast (dimension ${i}: ${d} vs ${x})`);
      }
      out.push(d);
    }
    return out;
  };
  let sym = 0;
  const attr = (node: onnx.INodeProto, name: string) => node.attribute?.find((a) => a.name === name);
  const attrInt = (node: onnx.INodeProto, name: string, dflt?: number): number | undefined => {
    const a = attr(node, name);
    return a ? toNum(a.i as number) : dflt;
  };
  const attrInts = (node: onnx.INodeProto, name: string): number[] | undefined => attr(node, name)?.ints?.map((x) => toNum(x as number));

  (gr.node ?? []).forEach((node, idx) => {
    const op = node.opType ?? '';
    const where = `node ${idx} (${op} '${node.name ?? ''}')`;
    if (node.domain) errors.push(`${where}: custom domain '${node.domain}' (only standard ONNX ops are allowed)`);
    const since = OP_SINCE[op];
    if (since === undefined) errors.push(`${where}: '${op}' is not an op this checker knows`);
    else if (since > opset) errors.push(`${where}: '${op}' needs opset >= ${since}, the model declares ${opset}`);
    const ins: (Val | null)[] = (node.input ?? []).map((name) => {
      if (!name) return null;
      const v = env.get(name);
      if (!v) errors.push(`${where}: input '${name}' is not produced by any earlier node, graph input or initializer`);
      return v ?? { type: 0, shape: null };
    });
    const S = (i: number) => ins[i]?.shape ?? null;
    const outs: Val[] = [];
    const f = (shape: Dim[] | null, type = ins[0]?.type ?? T_FLOAT, value?: Dim[]): Val => ({ type, shape, ...(value ? { value } : {}) });
    const need = (n: number) => {
      if ((node.input ?? []).filter(Boolean).length < n) errors.push(`${where}: needs ${n} inputs`);
    };
    switch (op) {
      case 'Add': case 'Sub': case 'Mul': case 'Div': case 'Max': {
        need(2);
        const types = ins.filter(Boolean).map((v) => v!.type);
        if (types.some((t) => t !== types[0])) errors.push(`${where}: inputs have different element types`);
        outs.push(f(bcast(ins.map((v) => v?.shape ?? null), where)));
        break;
      }
      case 'Pow':
        need(2);
        outs.push(f(bcast([S(0), S(1)], where)));
        break;
      case 'Greater': case 'GreaterOrEqual': case 'Less':
        need(2);
        if (ins[0]?.type !== ins[1]?.type) errors.push(`${where}: compared inputs have different element types`);
        outs.push(f(bcast([S(0), S(1)], where), T_BOOL));
        break;
      case 'Where':
        need(3);
        if (ins[0]?.type !== T_BOOL) errors.push(`${where}: condition must be bool`);
        if (ins[1]?.type !== ins[2]?.type) errors.push(`${where}: branches have different element types`);
        outs.push(f(bcast([S(0), S(1), S(2)], where), ins[1]?.type));
        break;
      case 'Relu': case 'Sigmoid': case 'Tanh': case 'Softplus': case 'Exp': case 'Log': case 'Identity': case 'Abs': case 'Neg':
        need(1);
        outs.push(f(S(0)));
        break;
      case 'Cast': {
        const to = attrInt(node, 'to');
        if (to === undefined) errors.push(`${where}: attribute 'to' is missing`);
        outs.push(f(S(0), to ?? 0, ins[0]?.value));
        break;
      }
      case 'Clip':
        outs.push(f(S(0)));
        for (const i of [1, 2]) if (ins[i] && ins[i]!.shape && ins[i]!.shape!.length !== 0) errors.push(`${where}: min/max must be scalars`);
        break;
      case 'MatMul': {
        need(2);
        const a = S(0), b = S(1);
        if (a && b) {
          if (a.length < 2 || b.length < 2) errors.push(`${where}: MatMul operands must have rank >= 2 here`);
          else {
            if (!same(a[a.length - 1], b[b.length - 2])) errors.push(`${where}: inner dimensions differ ([${a.join(',')}] × [${b.join(',')}])`);
            const batch = bcast([a.slice(0, -2), b.slice(0, -2)], where);
            outs.push(f(batch ? [...batch, a[a.length - 2], b[b.length - 1]] : null));
            break;
          }
        }
        outs.push(f(null));
        break;
      }
      case 'Gemm': {
        const a = S(0), b = S(1);
        const ta = attrInt(node, 'transA', 0), tb = attrInt(node, 'transB', 0);
        if (a && b && a.length === 2 && b.length === 2) {
          const [m0, k0] = ta ? [a[1], a[0]] : [a[0], a[1]];
          const [k1, n1] = tb ? [b[1], b[0]] : [b[0], b[1]];
          if (!same(k0, k1)) errors.push(`${where}: inner dimensions differ`);
          outs.push(f([m0, n1]));
        } else outs.push(f(null));
        break;
      }
      case 'Transpose': {
        const s = S(0), perm = attrInts(node, 'perm');
        if (s && perm) {
          if (perm.length !== s.length || [...perm].sort().some((p, i) => p !== i)) errors.push(`${where}: perm [${perm}] does not fit rank ${s.length}`);
          outs.push(f(perm.map((p) => s[p])));
        } else outs.push(f(s ? [...s].reverse() : null));
        break;
      }
      case 'Shape': {
        const s = S(0);
        outs.push(f(s ? [s.length] : null, T_INT64, s ?? undefined));
        break;
      }
      case 'Gather': {
        const data = ins[0], index = ins[1];
        const axis = attrInt(node, 'axis', 0)!;
        if (index && index.type !== T_INT64 && index.type !== onnx.TensorProto.DataType.INT32) errors.push(`${where}: indices must be int32/int64`);
        if (data?.shape && index?.shape) {
          const shape = [...data.shape.slice(0, axis), ...index.shape, ...data.shape.slice(axis + 1)];
          const value = data.value && index.value && index.shape.length === 0 ? [data.value[Number(index.value[0])]] : undefined;
          outs.push(f(shape, data.type, value));
        } else outs.push(f(null, data?.type));
        break;
      }
      case 'Range': {
        for (const i of [0, 1, 2]) if (ins[i]?.shape && ins[i]!.shape!.length !== 0) errors.push(`${where}: start/limit/delta must be scalars`);
        const start = ins[0]?.value?.[0], limit = ins[1]?.value?.[0], delta = ins[2]?.value?.[0];
        const len: Dim = start === 0 && delta === 1 && limit !== undefined ? limit : `range_${++sym}`;
        outs.push(f([len], ins[0]?.type));
        break;
      }
      case 'Unsqueeze': case 'Squeeze': {
        const s = S(0), axes = ins[1]?.value?.map(Number);
        if (!s || !axes) {
          if (!axes) errors.push(`${where}: axes must be a constant int64 input (opset >= 13)`);
          outs.push(f(null));
          break;
        }
        if (op === 'Unsqueeze') {
          const rank = s.length + axes.length;
          const norm = axes.map((a) => (a < 0 ? a + rank : a));
          const out: Dim[] = [];
          let k = 0;
          for (let i = 0; i < rank; i++) out.push(norm.includes(i) ? 1 : s[k++]);
          const value = ins[0]?.value && s.length === 0 ? ins[0].value : undefined;
          outs.push(f(out, ins[0]?.type, value));
        } else {
          const norm = axes.map((a) => (a < 0 ? a + s.length : a));
          for (const a of norm) if (s[a] !== 1) errors.push(`${where}: cannot squeeze axis ${a} of size ${s[a]}`);
          outs.push(f(s.filter((_, i) => !norm.includes(i))));
        }
        break;
      }
      case 'Slice': {
        // Only the form this exporter writes: constant starts/ends/axes, step 1.
        const s = S(0), starts = ins[1]?.value?.map(Number), ends = ins[2]?.value?.map(Number), axes = ins[3]?.value?.map(Number);
        if (!s || !starts || !ends || !axes) {
          if (!starts || !ends || !axes) errors.push(`${where}: starts, ends and axes must be constant int64 inputs`);
          outs.push(f(null, ins[0]?.type));
          break;
        }
        const out = [...s];
        axes.forEach((a, i) => {
          const ax = a < 0 ? a + s.length : a;
          const dim = s[ax];
          if (starts[i] === 0 && ends[i] < 0) out[ax] = typeof dim === 'number' ? Math.max(0, dim + ends[i]) : `${dim}${ends[i]}`;
          else out[ax] = `slice_${++sym}`;
        });
        outs.push(f(out, ins[0]?.type));
        break;
      }
      case 'Concat': {
        const axis = attrInt(node, 'axis');
        if (axis === undefined) errors.push(`${where}: attribute 'axis' is missing`);
        const shapes = ins.map((v) => v?.shape ?? null);
        if (shapes.some((s) => !s) || axis === undefined) {
          outs.push(f(null));
          break;
        }
        const rank = shapes[0]!.length;
        const ax = axis < 0 ? axis + rank : axis;
        let total: Dim = 0;
        let known = 0;
        const symbolic: string[] = [];
        for (const s of shapes) {
          if (s!.length !== rank) errors.push(`${where}: inputs have different ranks`);
          for (let i = 0; i < rank; i++) if (i !== ax && !same(s![i], shapes[0]![i])) errors.push(`${where}: inputs differ in dimension ${i} ([${s!.join(',')}] vs [${shapes[0]!.join(',')}])`);
          if (typeof s![ax] === 'number') known += s![ax] as number;
          else symbolic.push(String(s![ax]));
        }
        // "D-k" (a slice that dropped k entries) plus k known entries is D again.
        const dropped = symbolic.length === 1 ? /^(.*)-(\d+)$/.exec(symbolic[0]) : null;
        if (symbolic.length === 0) total = known;
        else if (dropped && Number(dropped[2]) === known) total = dropped[1];
        else total = `concat_${++sym}`;
        const out = [...shapes[0]!];
        out[ax] = total;
        const value = ins.every((v) => v?.value) && rank === 1 ? ins.flatMap((v) => v!.value!) : undefined;
        outs.push(f(out, ins[0]?.type, value));
        break;
      }
      case 'Reshape': {
        const s = S(0), target = ins[1]?.value?.map((d) => d);
        if (!target) {
          errors.push(`${where}: the target shape must be a constant here`);
          outs.push(f(null));
          break;
        }
        const out = target.map((d, i) => (d === 0 && s ? s[i] : d));
        const neg = out.findIndex((d) => d === -1);
        if (s && neg >= 0) {
          const known = numel(out.filter((d) => d !== -1));
          const all = numel(s);
          if (known !== null && all !== null) out[neg] = all / known;
          else {
            // Symbolic: the one non-unit dimension that is not accounted for.
            const rest = s.filter((d) => !out.includes(d) && d !== 1);
            out[neg] = rest.length === 1 ? rest[0] : `reshape_${++sym}`;
          }
        } else if (s) {
          const a = numel(s), b = numel(out);
          if (a !== null && b !== null && a !== b) errors.push(`${where}: cannot reshape [${s.join(',')}] to [${out.join(',')}]`);
        }
        outs.push(f(out));
        break;
      }
      case 'Expand': {
        const target = ins[1]?.value;
        outs.push(f(target ? bcast([S(0), target], where) : null));
        break;
      }
      case 'ReduceSum': {
        const s = S(0), axes = ins[1]?.value?.map(Number);
        const keep = attrInt(node, 'keepdims', 1);
        if (s && axes) {
          const norm = axes.map((a) => (a < 0 ? a + s.length : a));
          outs.push(f(keep ? s.map((d, i) => (norm.includes(i) ? 1 : d)) : s.filter((_, i) => !norm.includes(i))));
        } else outs.push(f(null));
        break;
      }
      case 'GRU': {
        need(3);
        const hs = attrInt(node, 'hidden_size');
        if (hs === undefined) errors.push(`${where}: attribute 'hidden_size' is missing`);
        const xs = S(0), w = S(1), r = S(2), b = S(3), h0 = S(5);
        const dirs = 1;
        if (xs && w && r && hs !== undefined) {
          if (xs.length !== 3) errors.push(`${where}: X must be [seq, batch, input]`);
          if (!same(w[0], dirs) || !same(w[1], 3 * hs) || !same(w[2], xs[2])) errors.push(`${where}: W is [${w.join(',')}], expected [1, ${3 * hs}, ${xs[2]}]`);
          if (!same(r[1], 3 * hs) || !same(r[2], hs)) errors.push(`${where}: R is [${r.join(',')}], expected [1, ${3 * hs}, ${hs}]`);
          if (b && !same(b[1], 6 * hs)) errors.push(`${where}: B is [${b.join(',')}], expected [1, ${6 * hs}]`);
          if (h0 && (!same(h0[1], xs[1]) || !same(h0[2], hs))) errors.push(`${where}: initial_h is [${h0.join(',')}], expected [1, ${xs[1]}, ${hs}]`);
          outs.push(f([xs[0], dirs, xs[1], hs]), f([dirs, xs[1], hs]));
        } else outs.push(f(null), f(null));
        break;
      }
      default:
        for (let i = 0; i < (node.output ?? []).length; i++) outs.push(f(null));
    }
    (node.output ?? []).forEach((name, i) => define(name, outs[i] ?? f(null), `${where} output`));
  });

  const outputs: Record<string, Dim[] | null> = {};
  for (const vi of gr.output ?? []) {
    const name = vi.name ?? '';
    const v = env.get(name);
    if (!v) {
      errors.push(`graph output '${name}' is not produced by any node`);
      continue;
    }
    outputs[name] = v.shape;
    const declared = dimsOf(vi);
    if (vi.type?.tensorType?.elemType !== v.type) errors.push(`graph output '${name}': declared element type ${vi.type?.tensorType?.elemType}, inferred ${v.type}`);
    if (declared && v.shape) {
      const ok = declared.length === v.shape.length && declared.every((d, i) => same(d, v.shape![i]) || (typeof v.shape![i] === 'string' && typeof d === 'string'));
      if (!ok) errors.push(`graph output '${name}': declared shape [${declared.join(', ')}], inferred [${v.shape.join(', ')}]`);
    }
  }
  // Every input and initializer should be used (an unused one usually means a wiring mistake).
  const used = new Set((gr.node ?? []).flatMap((n) => n.input ?? []));
  for (const vi of gr.input ?? []) if (!used.has(vi.name ?? '')) errors.push(`graph input '${vi.name}' is not used by any node`);
  for (const t of gr.initializer ?? []) if (!used.has(t.name ?? '')) errors.push(`initializer '${t.name}' is not used by any node`);
  return { ok: errors.length === 0, errors, outputs };
}

// ---- feeding and comparing -----------------------------------------------------------------------

/** Named inputs of the graph (media, controls, week_of_year), ready for an ONNX runtime. */
export type OnnxFeeds = Record<string, { data: Float32Array | BigInt64Array; dims: number[] }>;

/** Inputs for `weeks` weeks from the model's first week (region-major arrays, like the panel). */
export function onnxFeeds(p: OnnxGraphParams, media: Float32Array, controlValues: Float32Array, weeks: number): OnnxFeeds {
  const { regions: R, channels: C, controls: K, fourier: F } = p.spec;
  if (media.length !== R * weeks * C) throw new Error(`media has ${media.length} values; expected regions × weeks × channels = ${R * weeks * C}`);
  if (controlValues.length !== R * weeks * K) throw new Error(`controls have ${controlValues.length} values; expected ${R * weeks * K}`);
  const feeds: OnnxFeeds = { media: { data: media, dims: [R, weeks, C] } };
  if (K > 0) feeds.controls = { data: controlValues, dims: [R, weeks, K] };
  if (F > 0) feeds.week_of_year = { data: BigInt64Array.from({ length: weeks }, (_, t) => BigInt(weekOfYearAt(p, t))), dims: [weeks] };
  return feeds;
}

export interface Difference {
  /** max |a − b| */
  maxAbs: number;
  /** max |a − b| / max(|b|, floor) */
  maxRel: number;
  /** Where maxRel occurs (flat index) and the two values there. */
  at: number;
  values: [number, number];
  count: number;
}

/**
 * Compares two arrays element by element: the largest |a − b| and the largest relative difference
 * |a − b| / max(|b|, floor). floor = 0 (default) is the strict element-wise relative difference;
 * a floor (a number, or one per element) keeps terms that cross zero (a signed control
 * contribution, a seasonal term) from reading a float rounding wobble around 0 as 100 %.
 */
export function compareArrays(a: ArrayLike<number>, b: ArrayLike<number>, floor: number | ((i: number) => number) = 0): Difference {
  if (a.length !== b.length) throw new Error(`cannot compare arrays of ${a.length} and ${b.length} values`);
  let maxAbs = 0, maxRel = 0, at = -1;
  for (let i = 0; i < a.length; i++) {
    let d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d)) d = Number.POSITIVE_INFINITY;
    if (d > maxAbs) maxAbs = d;
    const rel = d / Math.max(Math.abs(b[i]), typeof floor === 'number' ? floor : floor(i), Number.MIN_VALUE);
    if (rel > maxRel || at < 0) {
      maxRel = rel;
      at = i;
    }
  }
  return { maxAbs, maxRel, at, values: at >= 0 ? [a[at], b[at]] : [0, 0], count: a.length };
}
