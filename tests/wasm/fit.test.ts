// Training through the real wasm in Node, via the same fit runner the app's worker uses.
import { describe, expect, it } from 'vitest';
import { runFit, toModelResults } from '../../web/src/engine/fit-runner';
import { VARIANTS, engineFor } from './helpers';

const DEMO = { regions: 8, weeks: 80, channels: 4, seed: 3 };
const FAST = { epochs: 30, hidden: 16, seed: 11 };

describe.each(VARIANTS)('fit on %s', (variant) => {
  it('trains the demo data in slices with progress, and returns results in KPI units', async () => {
    const engine = await engineFor(variant);
    const demo = engine.generateDemo(DEMO);
    const s = engine.createSession(demo.panel);
    const progress: number[] = [];
    const core = await runFit(engine, s.id, FAST, { sliceSeconds: 0.02, onProgress: (p) => progress.push(p.epoch) });
    const r = toModelResults(core, { variant, threads: 1 });
    expect(progress.length).toBeGreaterThan(1);
    expect(r.shape).toEqual({ regions: 8, weeks: 80, channels: 4, controls: 3 });
    const cells = 8 * 80;
    expect(r.prediction.length).toBe(cells);
    expect(r.media.length).toBe(cells * 4);
    // The decomposition adds up to the prediction.
    for (const i of [0, 17, cells - 1]) {
      let sum = r.baseline[i] + r.seasonal[i];
      for (let c = 0; c < 4; c++) sum += r.media[i * 4 + c];
      for (let k = 0; k < 3; k++) sum += r.controls[i * 3 + k];
      expect(sum).toBeCloseTo(r.prediction[i], 0);
      expect(Math.abs(sum - r.prediction[i]) / Math.abs(r.prediction[i])).toBeLessThan(1e-4);
    }
    expect(r.metrics.train.r2).toBeGreaterThan(0.5);
    expect(r.metrics.holdout.n).toBe(8 * 13);
    expect(r.history.length).toBe(r.epochs);
    expect(r.adjacency.length).toBe(16);
    engine.disposeSession(s.id);
  });

  it('stops on cancel between slices and keeps the session usable', async () => {
    const engine = await engineFor(variant);
    const s = engine.createSession(engine.generateDemo(DEMO).panel);
    let slices = 0;
    await expect(runFit(engine, s.id, { ...FAST, epochs: 500 }, { sliceSeconds: 0.01, cancelled: () => ++slices > 2 }))
      .rejects.toMatchObject({ code: 'CANCELLED' });
    expect(engine.sessionInfo(s.id).regions).toBe(8);
    engine.disposeSession(s.id);
  });

  it('reports a bad option as INVALID_CONFIG naming the field', async () => {
    const engine = await engineFor(variant);
    const s = engine.createSession(engine.generateDemo(DEMO).panel);
    expect(() => engine.startFit(s.id, { hidden: 0 })).toThrow(/hidden/);
    engine.disposeSession(s.id);
  });
});

describe('determinism across variants and thread counts', () => {
  it('gives bit-identical predictions for core-st and core-mt with 1, 2 and 4 threads', async () => {
    const outputs: Float32Array[] = [];
    for (const [variant, threads] of [['core-st', 1], ['core-mt', 1], ['core-mt', 2], ['core-mt', 4]] as const) {
      const engine = await engineFor(variant);
      const s = engine.createSession(engine.generateDemo({ ...DEMO, regions: 30 }).panel);
      const core = await runFit(engine, s.id, { ...FAST, epochs: 8, threads });
      outputs.push(core.prediction);
      engine.disposeSession(s.id);
    }
    for (const o of outputs.slice(1)) expect(Array.from(o)).toEqual(Array.from(outputs[0]));
  });
});
