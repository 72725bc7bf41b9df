// ONNX export parity: the exported graph run in ONNX Runtime (Node) against the C++ core (the real
// wasm) on the same inputs — the fitted panel (FittedModel::decompose) and a scenario past the
// panel's end (simulate) — for the example data and, when present, Meridian's geo_all_channels.
// Every prediction and contribution must agree within 1e-4 relative (strict, element-wise);
// a negative control perturbs one weight in the graph and must break that.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onnx } from 'onnx-proto';
import type { CoreFitResults, OnnxGraphParams, PanelSpec } from '../../web/src/engine/core-types';
import type { Engine } from '../../web/src/engine/engine';
import { runFit } from '../../web/src/engine/fit-runner';
import { buildOnnxModel, checkOnnxModel, compareArrays, decodeOnnxModel, onnxFeeds, type Difference } from '../../web/src/export/onnx';
import { runOnnx } from '../../web/src/export/ort';
import { buildPanel, inferSchema, parseCsvBytes } from '../../web/src/ingest/index';
import { main } from '../../web/cli/main';
import { engineFor } from './helpers';

const graph = (m: onnx.ModelProto) => m.graph as onnx.GraphProto;

const TOL = 1e-4;
const DEMO = { regions: 8, weeks: 80, channels: 4, seed: 3 };
const FAST = { epochs: 30, hidden: 16, seed: 11 };
const MERIDIAN = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/data/meridian/geo_all_channels.csv');

interface Decomp {
  prediction: Float32Array;
  media: Float32Array;
  controls: Float32Array;
  baseline: Float32Array;
  seasonal: Float32Array;
  coefficients?: Float32Array;
}

async function fitted(engine: Engine, panel: PanelSpec, options = FAST): Promise<{ id: number; core: CoreFitResults; params: OnnxGraphParams; bytes: Uint8Array }> {
  const { id } = engine.createSession(panel);
  const core = await runFit(engine, id, options);
  const params = engine.exportGraphParams(id);
  const bytes = buildOnnxModel(params, { appVersion: 'test' });
  return { id, core, params, bytes };
}

/** Strict element-wise comparison of every output the two share. */
async function parity(bytes: Uint8Array, params: OnnxGraphParams, media: Float32Array, controls: Float32Array, weeks: number, ref: Decomp): Promise<Record<string, Difference>> {
  const out = await runOnnx(bytes, onnxFeeds(params, media, controls, weeks));
  const d: Record<string, Difference> = {
    prediction: compareArrays(out.prediction.data, ref.prediction),
    media_contribution: compareArrays(out.media_contribution.data, ref.media),
    baseline: compareArrays(out.baseline.data, ref.baseline),
    seasonal: compareArrays(out.seasonal.data, ref.seasonal),
  };
  if (params.spec.controls > 0) d.control_contribution = compareArrays(out.control_contribution.data, ref.controls);
  if (ref.coefficients) d.media_coefficient = compareArrays(out.media_coefficient.data, ref.coefficients);
  return d;
}

const worst = (d: Record<string, Difference>) => ({
  maxAbs: Math.max(...Object.values(d).map((x) => x.maxAbs)),
  maxRel: Math.max(...Object.values(d).map((x) => x.maxRel)),
});

function report(label: string, d: Record<string, Difference>): void {
  const w = worst(d);
  console.log(`[onnx parity] ${label}: max abs ${w.maxAbs.toExponential(3)}, max rel ${w.maxRel.toExponential(3)} | ` +
    Object.entries(d).map(([k, v]) => `${k} ${v.maxRel.toExponential(2)}`).join(', '));
}

function expectParity(d: Record<string, Difference>): void {
  for (const [k, v] of Object.entries(d)) expect(v.maxRel, `${k}: ${v.values[0]} (ONNX) vs ${v.values[1]} (core)`).toBeLessThan(TOL);
}

/** The fitted panel followed by `extra` weeks: media × factor, controls held at their last value
 * (T >= 13). */
function extended(params: OnnxGraphParams, extra: number, factor: number) {
  const { regions: R, channels: C, controls: K } = params.spec;
  const T = params.weeks, W = T + extra;
  const media = new Float32Array(R * W * C), controls = new Float32Array(R * W * K);
  for (let r = 0; r < R; r++)
    for (let t = 0; t < W; t++) {
      // Future weeks repeat the last 13 weeks' media pattern.
      const src = r * T + (t < T ? t : T - 13 + ((t - T) % 13));
      for (let c = 0; c < C; c++) media[(r * W + t) * C + c] = params.media[src * C + c] * (t >= T ? factor : 1);
      for (let k = 0; k < K; k++) controls[(r * W + t) * K + k] = params.controlValues[(r * T + Math.min(t, T - 1)) * K + k];
    }
  return { media, controls, weeks: W };
}

describe('ONNX export vs the C++ core', () => {
  it.each(['core-st', 'core-mt'] as const)('example data on %s: decompose() and a 10-week scenario agree within 1e-4', async (variant) => {
    const engine = await engineFor(variant);
    const { id, core, params, bytes } = await fitted(engine, engine.generateDemo(DEMO).panel, { ...FAST, ...(variant === 'core-mt' ? { threads: 2 } : {}) } as typeof FAST);
    expect(checkOnnxModel(bytes).errors).toEqual([]);
    const fit = await parity(bytes, params, params.media, params.controlValues, params.weeks, core);
    report(`demo ${variant}, fitted weeks`, fit);
    expectParity(fit);

    const x = extended(params, 10, 1.4);
    const sim = engine.predictInputs(id, { media: x.media, controlValues: x.controls });
    const scen = await parity(bytes, params, x.media, x.controls, x.weeks, sim);
    report(`demo ${variant}, +10 weeks at 140 % spend`, scen);
    expectParity(scen);
    engine.disposeSession(id);
  });

  it('negative control: one perturbed weight in the graph fails the parity check', async () => {
    const engine = await engineFor('core-st');
    const { id, core, params, bytes } = await fitted(engine, engine.generateDemo(DEMO).panel);
    for (const name of ['gru.R', 'param.media_gen_w3']) {
      const m = decodeOnnxModel(bytes);
      const t = graph(m).initializer.find((x) => x.name === name) as onnx.TensorProto;
      t.floatData[0] += 0.1;
      const bad = onnx.ModelProto.encode(m).finish();
      expect(checkOnnxModel(bad).ok).toBe(true); // structurally fine: only the numbers are wrong
      const d = await parity(bad, params, params.media, params.controlValues, params.weeks, core);
      report(`negative control (${name}[0] += 0.1)`, d);
      expect(worst(d).maxRel).toBeGreaterThan(TOL);
      expect(() => expectParity(d)).toThrow(); // the parity assertion itself catches it
    }
    engine.disposeSession(id);
  });

  it('variants: no controls, NOTEARS DAG, no burn-in', async () => {
    const engine = await engineFor('core-st');
    const demo = engine.generateDemo({ regions: 4, weeks: 60, channels: 3, controls: 0, seed: 5 });
    expect(demo.panel.controls).toBe(0);
    const { id, core, params, bytes } = await fitted(engine, demo.panel, { epochs: 12, hidden: 8, seed: 2, dagMode: 'notears', burnInWeeks: 0 } as typeof FAST);
    expect(params.spec).toMatchObject({ controls: 0, notears: true, burnIn: 0 });
    const d = await parity(bytes, params, params.media, params.controlValues, params.weeks, core);
    report('no controls + NOTEARS + no burn-in', d);
    expectParity(d);
    engine.disposeSession(id);
  });

  it.skipIf(!existsSync(MERIDIAN))('Meridian geo_all_channels (40 geos × 156 weeks): decompose() agrees within 1e-4', async () => {
    const engine = await engineFor('core-st');
    const table = parseCsvBytes(new Uint8Array(readFileSync(MERIDIAN)));
    const panel = buildPanel(table, inferSchema(table).mapping);
    const { id, core, params, bytes } = await fitted(engine, panel);
    expect(params.spec).toMatchObject({ regions: 40, channels: core.shape.channels });
    expect(checkOnnxModel(bytes).errors).toEqual([]);
    const d = await parity(bytes, params, params.media, params.controlValues, params.weeks, core);
    report('Meridian geo_all_channels, fitted weeks', d);
    expectParity(d);
    const x = extended(params, 8, 0.7);
    const sim = engine.predictInputs(id, { media: x.media, controlValues: x.controls });
    const scen = await parity(bytes, params, x.media, x.controls, x.weeks, sim);
    report('Meridian, +8 weeks at 70 % spend', scen);
    expectParity(scen);
    engine.disposeSession(id);
  });

  it('CLI: export --out writes the model and prints its inputs and outputs; --verify runs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmm-onnx-'));
    const io = () => {
      const out: string[] = [], err: string[] = [];
      return { out, err, io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) } };
    };
    const csv = join(dir, 'demo.csv');
    expect(await main(['demo', '--out', csv, '--regions', '4', '--weeks', '60', '--channels', '3', '--seed', '4'], io().io)).toBe(0);
    expect(await main(['fit', csv, '--epochs', '10', '--hidden', '8', '--out', join(dir, 'fit')], io().io)).toBe(0);
    const onnxPath = join(dir, 'model.onnx');
    const text = io();
    expect(await main(['export', join(dir, 'fit', 'model.mmm'), '--out', onnxPath], text.io)).toBe(0);
    expect(text.out.join('\n')).toMatch(/media +float32 \[4, weeks, 3\]/);
    expect(text.out.join('\n')).toMatch(/prediction +float32 \[4, weeks\]/);
    expect(checkOnnxModel(new Uint8Array(readFileSync(onnxPath))).ok).toBe(true);
    const json = io();
    expect(await main(['export', join(dir, 'fit', 'model.mmm'), '--out', onnxPath, '--json', '--verify'], json.io)).toBe(0);
    const j = JSON.parse(json.out.join(''));
    expect(j.opset).toBe(15);
    expect(j.inputs.map((x: { name: string }) => x.name)).toEqual(['media', 'controls', 'week_of_year']);
    expect(j.outputs.map((x: { name: string }) => x.name)).toContain('media_contribution');
    expect(j.verify.maxRel).toBeLessThan(TOL);
    const bad = io();
    expect(await main(['export', join(dir, 'fit', 'model.mmm')], bad.io)).toBe(2);
    expect(bad.err.join('')).toMatch(/--out FILE is required/);
  });
});
