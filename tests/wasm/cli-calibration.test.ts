// `fit --experiments` and `fit --priors` on the real wasm: the JSON fields, experiments.csv, the
// example experiment written by `demo`, and bad files refused with exit 2 and row-numbered messages.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../web/cli/main';
import { readBundle } from '../../web/src/export/bundle';
import { fileURLToPath } from 'node:url';
import { EngineHost } from '../../web/src/engine/handlers';
import { loadEngineInNode } from '../../web/src/engine/node-core';
import { readCsvLines, wasmDir } from './helpers';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out, err };
}

describe('fit --experiments / --priors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-cli-cal-'));
  const csv = join(dir, 'demo.csv');
  const experiments = join(dir, 'demo.experiments.csv');
  const quick = ['--epochs', '15', '--hidden', '8', '--seed', '3', '--quiet'];

  it('demo also writes the example lift test on Search', async () => {
    const c = capture();
    expect(await main(['demo', '--out', csv, '--regions', '6', '--weeks', '70', '--channels', '3', '--seed', '5'], c.io)).toBe(0);
    expect(c.out.join('')).toContain('demo.experiments.csv');
    const lines = readCsvLines(experiments);
    expect(lines[0]).toBe('channel,start,end,regions,lift,lift_se');
    const [channel, start, end, regions, lift, se] = lines[1].split(',');
    expect(channel).toBe('Search');
    expect((Date.parse(end) - Date.parse(start)) / 86_400_000).toBe(7 * 7);
    expect(regions.split(';')).toEqual(['Region 01', 'Region 03', 'Region 05']);
    expect(Number(se)).toBeCloseTo(0.1 * Number(lift), -1);
  });

  it('reports measured vs model before and after calibration, and the priors', async () => {
    const priors = join(dir, 'priors.csv');
    writeFileSync(priors, 'channel,roi_mean,roi_sd\nTV,2,0.5\n');
    const out = join(dir, 'fit');
    const c = capture();
    expect(await main(['fit', csv, ...quick, '--json', '--experiments', experiments, '--priors', priors, '--out', out], c.io)).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(j.experiments).toHaveLength(1);
    const x = j.experiments[0];
    expect(x).toMatchObject({ row: 2, channel: 'Search', kind: 'lift', regions: expect.any(Array) });
    expect(x.measured).toBe(x.value);
    expect(x.measured_se).toBe(x.se);
    for (const k of ['model_before', 'model_after', 'z_before', 'z_after', 'spend']) expect(Number.isFinite(x[k])).toBe(true);
    expect(x.z_after).toBeCloseTo((x.model_after - x.measured) / x.measured_se, 6);
    expect(j.uncalibrated_holdout).toHaveProperty('skill');
    expect(j.priors).toEqual([{ row: 2, channel: 'TV', roi_mean: 2, roi_sd: 0.5, model_roi: expect.any(Number) }]);
    const lines = readCsvLines(join(out, 'experiments.csv'));
    expect(lines[0]).toBe('row,channel,start,end,regions,readout_weeks,measured,se,model_before,model_after,z_before,z_after,spend,test_roi,model_roi,roi_gap_se,agrees');
    // Agreement: the ROI gap in the test's ROI standard errors; the verdict warns exactly when a test disagrees.
    expect(x.roi_gap_se).toBeCloseTo((x.model_roi - x.test_roi) / (x.measured_se / x.spend), 9);
    expect(x.agrees).toBe(Math.abs(x.z_after) <= 2 && Math.abs(x.roi_gap_se) <= 2);
    expect(j.verdict.calibration_warning === null).toBe(x.agrees);
    if (!x.agrees) expect(j.verdict.calibration_warning).toContain('Search');
    // The test's ROI (carried to the whole period as an ROI prior) and the calibrated model's ROI.
    expect(x.test_roi).toBeCloseTo(x.measured / x.spend, 9);
    expect(x.model_roi).toBe(j.economics.find((e: { channel: string }) => e.channel === 'Search').roi);
    expect(x.readout_weeks).toBeNull();  // the example has no readout_weeks: the whole carryover
    expect(lines).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).experiments[0].model_after).toBe(x.model_after);
    // The bundle keeps the experiments and priors with measured vs model.
    const bundle = await readBundle(new Uint8Array(readFileSync(join(out, 'model.mmm'))));
    expect(bundle.meta.calibration?.experiments).toEqual([expect.objectContaining({ channel: 'Search', measured: x.measured, se: x.measured_se, before: x.model_before, after: x.model_after, experiment: expect.objectContaining({ channel: 1 }) })]);
    expect(bundle.meta.calibration?.priors).toEqual([{ channel: 'TV', prior: { channel: 0, mean: 2, sd: 0.5 } }]);
    // What calibration moved: every priced channel's ROI in the uncalibrated fit (economics only)
    // and the calibrated one; Search (tested) and TV (a prior) are measured, the rest are not.
    expect(j.calibration_shift.map((x: { channel: string }) => x.channel)).toEqual(j.economics.filter((e: { roi: number | null }) => e.roi !== null).map((e: { channel: string }) => e.channel));
    for (const x of j.calibration_shift) {
      expect(x.roi_after).toBe(j.economics.find((e: { channel: string }) => e.channel === x.channel).roi);
      expect(x.roi_before).toBeGreaterThan(0);
      expect(x.change).toBeCloseTo(x.roi_after / x.roi_before - 1, 12);
      expect(x.tested).toBe(x.channel === 'Search' || x.channel === 'TV');
    }
    const moved = j.calibration_shift.filter((x: { tested: boolean; change: number }) => !x.tested && Math.abs(x.change) > 0.2);
    expect(j.verdict.calibration_shift_notice === null).toBe(moved.length === 0);
    for (const x of moved) expect(j.verdict.calibration_shift_notice).toContain(x.channel);
    expect(bundle.meta.calibration?.roiBefore?.map((x) => x.roi)).toEqual(j.calibration_shift.map((x: { roi_before: number }) => x.roi_before));
  });

  it('the worker host: experimentFits on a fitted model, and a calibrated bundle opens with its calibration', async () => {
    const host = new EngineHost((variant, base) => loadEngineInNode(variant, fileURLToPath(base)));
    await host.init('core-st', 1, `file://${wasmDir}`);
    const ctx = { progress() {}, cancelled: () => false };
    const opened = await host.handle('importBundle', { bytes: new Uint8Array(readFileSync(join(dir, 'fit', 'model.mmm'))) }, ctx);
    const saved = opened.results.calibration!.experiments[0];
    expect(saved).toMatchObject({ channel: 'Search', before: expect.any(Number), after: expect.any(Number) });
    // The opened model is the calibrated one: its lift for the test is the saved "after".
    const fits = await host.handle('experimentFits', { sessionId: opened.sessionId, experiments: [saved.experiment] }, ctx);
    expect(fits).toHaveLength(1);
    expect(fits[0].measured).toBe(saved.measured);
    expect(fits[0].model).toBeCloseTo(saved.after, 0);
    // readoutWeeks reaches the core: counting the test weeks only leaves out the carryover after them.
    const windowOnly = await host.handle('experimentFits', { sessionId: opened.sessionId, experiments: [{ ...saved.experiment, readoutWeeks: 0 }] }, ctx);
    expect(windowOnly[0].model).toBeGreaterThan(0);
    expect(windowOnly[0].model).toBeLessThan(fits[0].model);
    // A bundle saved without calibration opens without it.
    const plainOut = join(dir, 'plain');
    expect(await main(['fit', csv, ...quick, '--out', plainOut], capture().io)).toBe(0);
    const plain = await host.handle('importBundle', { bytes: new Uint8Array(readFileSync(join(plainOut, 'model.mmm'))) }, ctx);
    expect(plain.results.calibration).toBeUndefined();
    expect(plain.meta.calibration).toBeUndefined();
  });

  it('--skip-uncalibrated leaves out the "before" (one fit)', async () => {
    const c = capture();
    expect(await main(['fit', csv, ...quick, '--json', '--experiments', experiments, '--skip-uncalibrated'], c.io)).toBe(0);
    const j = JSON.parse(c.out.join(''));
    const x = j.experiments[0];
    expect(x.model_before).toBeNull();
    expect(Number.isFinite(x.model_after)).toBe(true);
    expect(j.calibration_shift).toBeNull(); // nothing to compare with
    expect(j.verdict.calibration_shift_notice).toBeNull();
  });

  it('a bad experiments file: exit 2 with every row-numbered problem, before any fit', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'channel,start,end,lift,lift_se\nSerch,2023-01-09,2023-02-27,100,10\nTV,2023-03-06,2023-02-06,100,-1\n');
    const c = capture();
    expect(await main(['fit', csv, ...quick, '--experiments', bad], c.io)).toBe(2);
    const err = c.err.join('\n');
    expect(err).toContain("row 2: unknown channel 'Serch'; did you mean 'Search'?");
    expect(err).toContain('row 3: the end (2023-02-06) is before the start (2023-03-06); swap them');
    expect(err).toContain('row 3: lift_se is -1; a standard error must be positive');
    expect(c.out).toEqual([]);
  });

  it('a bad priors file, a missing file, and --skip-uncalibrated alone: exit 2', async () => {
    const bad = join(dir, 'bad-priors.csv');
    writeFileSync(bad, 'channel,roi_mean,roi_sd\nTV,2,0\n');
    let c = capture();
    expect(await main(['fit', csv, ...quick, '--priors', bad], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('row 2: roi_sd is 0; the spread must be positive');
    c = capture();
    expect(await main(['fit', csv, ...quick, '--experiments', join(dir, 'nope.csv')], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/cannot read '.*nope\.csv'/);
    c = capture();
    expect(await main(['fit', csv, ...quick, '--skip-uncalibrated'], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('--skip-uncalibrated needs --experiments FILE or --priors FILE');
  });

  it('priors alone also fit the model without them first: every channel\'s ROI before and after', async () => {
    const priors = join(dir, 'priors-only.csv');
    writeFileSync(priors, 'channel,roi_mean,roi_sd\nTV,2,0.5\n');
    let c = capture();
    expect(await main(['fit', csv, ...quick, '--json', '--priors', priors], c.io)).toBe(0);
    let j = JSON.parse(c.out.join(''));
    expect(j.experiments).toBeUndefined();
    expect(j.uncalibrated_holdout).toHaveProperty('skill');
    expect(j.calibration_shift.find((x: { channel: string }) => x.channel === 'TV')).toMatchObject({ tested: true, roi_after: j.priors[0].model_roi });
    expect(j.calibration_shift.filter((x: { tested: boolean }) => x.tested)).toHaveLength(1);
    c = capture();
    expect(await main(['fit', csv, ...quick, '--json', '--priors', priors, '--skip-uncalibrated'], c.io)).toBe(0);
    j = JSON.parse(c.out.join(''));
    expect(j.calibration_shift).toBeNull();
    expect(j.uncalibrated_holdout).toBeNull();
  });
});
