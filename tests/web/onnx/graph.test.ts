// The ONNX builder: interface (names, shapes, types), opset/IR, metadata, parameters, standard ops,
// and the structural self-check on every model variant the core can produce.
import { describe, expect, it } from 'vitest';
import { onnx } from 'onnx-proto';
import { ONNX_IR_VERSION, ONNX_OPSET, buildOnnxModel, checkOnnxModel, decodeOnnxModel, describeOnnxModel, onnxInterface, weekOfYearAt } from '../../../web/src/export/onnx';
import { syntheticParams, type Dims } from './fixture';

const graph = (m: onnx.ModelProto) => m.graph as onnx.GraphProto;

const VARIANTS: [string, Dims][] = [
  ['default', {}],
  ['no controls', { K: 0 }],
  ['no seasonality, no trend', { harmonics: 0, trend: false }],
  ['no burn-in', { burnIn: 0 }],
  ['local level', { levelSpacing: 6 }],
  ['NOTEARS DAG, one region, one channel', { notears: true, R: 1, C: 1 }],
];

describe('buildOnnxModel', () => {
  it('declares IR 8, opset 15 and the documented inputs and outputs', () => {
    const p = syntheticParams({ R: 4, C: 3, K: 2 });
    const bytes = buildOnnxModel(p, { appVersion: '9.9.9', dataName: 'test.csv' });
    const m = decodeOnnxModel(bytes);
    expect(Number(m.irVersion)).toBe(ONNX_IR_VERSION);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]]);
    expect(ONNX_OPSET).toBeGreaterThanOrEqual(13);
    const d = describeOnnxModel(bytes);
    expect(d.inputs.map((x) => [x.name, x.elemType, x.shape])).toEqual([
      ['media', 'float32', [4, 'weeks', 3]],
      ['controls', 'float32', [4, 'weeks', 2]],
      ['week_of_year', 'int64', ['weeks']],
    ]);
    expect(d.outputs.map((x) => [x.name, x.shape])).toEqual([
      ['prediction', [4, 'weeks']],
      ['media_contribution', [4, 'weeks', 3]],
      ['control_contribution', [4, 'weeks', 2]],
      ['baseline', [4, 'weeks']],
      ['seasonal', [4, 'weeks']],
      ['media_coefficient', [4, 'weeks', 3]],
    ]);
    for (const x of [...d.inputs, ...d.outputs]) expect(x.doc.length).toBeGreaterThan(20);
    expect(d.producer).toBe('MMM Studio 9.9.9');
    for (const key of ['app_version', 'inputs', 'outputs', 'pre_processing', 'post_processing', 'adstock', 'gru', 'channels', 'panel_week_of_year', 'checker'])
      expect(d.metadata[key], key).toBeTruthy();
    expect(d.metadata.app_version).toBe('9.9.9');
    expect(JSON.parse(d.metadata.channels)).toEqual(p.channelNames);
    expect(m.docString).toMatch(/MMM Studio/);
    expect(graph(m).docString).toMatch(/folded in/);
  });

  it('stores every parameter block of the core (GRU blocks reordered into W, R, B)', () => {
    const p = syntheticParams({ H: 5, C: 2, K: 1, Hc: 3 });
    const m = decodeOnnxModel(buildOnnxModel(p));
    const names = new Set(graph(m).initializer.map((t) => t.name));
    for (const b of p.blocks) {
      if (b.values.length === 0) continue;
      if (b.name.startsWith('gru_') && b.name !== 'gru_h0') continue;
      expect(names.has(`param.${b.name}`), b.name).toBe(true);
    }
    const W = graph(m).initializer.find((t) => t.name === 'gru.W') as onnx.TensorProto;
    expect(W.dims.map(Number)).toEqual([1, 15, 5]); // [1, 3H, C + Hc]
    // ONNX gate z (rows 0..H-1) is the core's gate z (columns H..2H-1 of gru_wi [in × 3H]).
    const wi = p.blocks.find((b) => b.name === 'gru_wi')!.values;
    expect(W.floatData[0 * 5 + 2]).toBe(wi[2 * 15 + 5 + 0]); // z, unit 0, input 2
    expect(W.floatData[(5 + 1) * 5 + 3]).toBe(wi[3 * 15 + 0 + 1]); // r, unit 1, input 3
    expect(W.floatData[(10 + 4) * 5 + 0]).toBe(wi[0 * 15 + 10 + 4]); // h, unit 4, input 0
    const gru = graph(m).node.find((n) => n.opType === 'GRU') as onnx.NodeProto;
    const attr = Object.fromEntries(gru.attribute.map((a) => [a.name, Number(a.i)]));
    expect(attr).toMatchObject({ hidden_size: 5, linear_before_reset: 1 });
  });

  it('uses only standard ONNX ops of the default domain, including the model\'s building blocks', () => {
    const m = decodeOnnxModel(buildOnnxModel(syntheticParams()));
    const ops = new Set(graph(m).node.map((n) => n.opType));
    for (const n of graph(m).node) expect(n.domain ?? '').toBe('');
    for (const op of ['GRU', 'MatMul', 'Add', 'Mul', 'Softplus', 'Tanh', 'Pow', 'Relu', 'Exp', 'Log', 'Where', 'Range', 'Clip', 'Gather', 'ReduceSum']) expect(ops.has(op), op).toBe(true);
  });

  it.each(VARIANTS)('%s: passes the structural self-check with the declared output shapes', (_name, dims) => {
    const p = syntheticParams(dims);
    const report = checkOnnxModel(buildOnnxModel(p));
    expect(report.errors).toEqual([]);
    const io = onnxInterface(p);
    for (const o of io.outputs) expect(report.outputs[o.name]).toEqual(o.shape);
    if (dims.K === 0) expect(io.inputs.map((x) => x.name)).toEqual(['media', 'week_of_year']);
    if (dims.harmonics === 0) expect(io.inputs.map((x) => x.name)).not.toContain('week_of_year');
  });

  it('continues the calendar past the panel like the core (52-week cycle)', () => {
    const p = syntheticParams({ T: 10 }); // week of year 46..52, 1..3
    expect(Array.from({ length: 14 }, (_, t) => weekOfYearAt(p, t))).toEqual([46, 47, 48, 49, 50, 51, 52, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('refuses parameters that do not match the core layout', () => {
    const p = syntheticParams();
    p.blocks = p.blocks.filter((b) => b.name !== 'media_cap');
    expect(() => buildOnnxModel(p)).toThrow(/media_cap/);
    const q = syntheticParams();
    q.scalers.mediaDivisor = new Float32Array(2);
    expect(() => buildOnnxModel(q)).toThrow(/media_divisor/);
  });

  it('round-trips through protobuf bytes', () => {
    const bytes = buildOnnxModel(syntheticParams());
    const again = onnx.ModelProto.encode(decodeOnnxModel(bytes)).finish();
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });
});
