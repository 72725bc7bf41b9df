// The structural self-check (our stand-in for onnx.checker) and its negative controls: each kind
// of broken graph is reported, naming the node or tensor.
import { describe, expect, it } from 'vitest';
import { onnx } from 'onnx-proto';
import { buildOnnxModel, checkOnnxModel, decodeOnnxModel } from '../../../web/src/export/onnx';
import { syntheticParams } from './fixture';

const graph = (m: onnx.ModelProto) => m.graph as onnx.GraphProto;

const fresh = () => decodeOnnxModel(buildOnnxModel(syntheticParams()));
const errorsOf = (m: onnx.ModelProto) => checkOnnxModel(onnx.ModelProto.encode(m).finish()).errors.join('\n');

describe('checkOnnxModel', () => {
  it('accepts the exported model', () => {
    expect(checkOnnxModel(buildOnnxModel(syntheticParams())).ok).toBe(true);
  });

  it('reports an input that no node produces (a removed node)', () => {
    const m = fresh();
    const i = graph(m).node.findIndex((n) => n.opType === 'GRU');
    graph(m).node.splice(i, 1);
    expect(errorsOf(m)).toMatch(/input 'gru_y' is not produced/);
  });

  it('reports nodes out of topological order', () => {
    const m = fresh();
    const nodes = graph(m).node as onnx.NodeProto[];
    const last = nodes.pop()!;
    nodes.unshift(last);
    expect(errorsOf(m)).toMatch(/is not produced by any earlier node/);
  });

  it('reports a name defined twice', () => {
    const m = fresh();
    (graph(m).node[5] as onnx.NodeProto).output = [(graph(m).node[4] as onnx.NodeProto).output[0]];
    expect(errorsOf(m)).toMatch(/defined more than once/);
  });

  it('reports an initializer whose data does not fit its shape', () => {
    const m = fresh();
    const t = graph(m).initializer.find((x) => x.name === 'param.media_cap') as onnx.TensorProto;
    t.floatData = t.floatData.slice(1);
    expect(errorsOf(m)).toMatch(/initializer 'param.media_cap' has 2 values but shape \[3\] needs 3/);
  });

  it('reports inconsistent shapes (GRU weights for another hidden size, a non-broadcastable operand)', () => {
    const m = fresh();
    const gru = graph(m).node.find((n) => n.opType === 'GRU') as onnx.NodeProto;
    (gru.attribute as onnx.AttributeProto[]).find((a) => a.name === 'hidden_size')!.i = 7;
    expect(errorsOf(m)).toMatch(/GRU.*W is \[1,18,7\], expected \[1, 21, 7\]/);
    const m2 = fresh();
    (graph(m2).initializer.find((x) => x.name === 'scaler.media_divisor') as onnx.TensorProto).dims = [1, 9]; // was [regions 3, channels 3]
    expect(errorsOf(m2)).toMatch(/Div.*do not broadcast/);
  });

  it('reports a declared output shape that the graph does not produce', () => {
    const m = fresh();
    (graph(m).output[0] as onnx.ValueInfoProto).type!.tensorType!.shape!.dim = [{ dimValue: 3 }, { dimValue: 5 }];
    expect(errorsOf(m)).toMatch(/graph output 'prediction': declared shape \[3, 5\], inferred \[3, weeks\]/);
  });

  it('reports a missing or too old opset, a missing IR version, custom ops and unused inputs', () => {
    const m = fresh();
    m.opsetImport = [{ domain: '', version: 12 }];
    m.irVersion = 0;
    graph(m).node[0].domain = 'com.example';
    graph(m).input.push(onnx.ValueInfoProto.create({ name: 'spare', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }] } } } }));
    const e = errorsOf(m);
    expect(e).toMatch(/opset 12 is declared; this model needs >= 13/);
    expect(e).toMatch(/ir_version is 0/);
    expect(e).toMatch(/custom domain 'com.example'/);
    expect(e).toMatch(/graph input 'spare' is not used/);
    expect(checkOnnxModel(new Uint8Array([0xff, 0xff, 0xff])).ok).toBe(false);
  });
});
