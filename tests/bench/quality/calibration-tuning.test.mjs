// The tuning-set calibration benchmark's pure parts (calibration-tuning.mjs): the lift test read off
// the truth, the channel choice and the summary. No fit runs here.
//   npx vitest run --config tests/bench/quality/vitest.config.mjs calibration-tuning
import { describe, expect, it } from 'vitest';
import { driverRegions, liftTest, parseArgs, pricedChannels, summarise, UNCALIBRATED } from './calibration-tuning.mjs';

const grid = (R, T, f) => Array.from({ length: R }, (_, r) => Float64Array.from({ length: T }, (_, t) => f(r, t)));

/** R regions × T weeks, 3 channels (the last without spend); truth[c][r][t] = 1000 c + 100 r + t. */
function panel(R, T, { national = false } = {}) {
  return {
    regions: Array.from({ length: R }, (_, r) => `g${r}`),
    dates: Array.from({ length: T }, (_, t) => new Date(Date.UTC(2023, 0, 2 + 7 * t)).toISOString().slice(0, 10)),
    kpi: grid(R, T, () => 1),
    channels: [
      { name: 'a', media: grid(R, T, () => 1), spend: grid(R, T, () => 1) },
      { name: 'b', media: grid(R, T, () => 3), spend: grid(R, T, () => 3) },
      { name: 'c', media: grid(R, T, () => 9), spend: null },
    ],
    controls: [],
    truth: { contribution: [0, 1, 2].map((c) => grid(R, T, (r, t) => 1000 * (c + 1) + 100 * r + t)) },
    national,
  };
}

describe('calibration tuning benchmark', () => {
  it('builds the lift test from the truth: 8 weeks centred in the training weeks, every other region', () => {
    const p = panel(5, 53);
    const x = liftTest(p, 1, 40);
    expect([x.start, x.end]).toEqual([16, 23]);
    expect(x.regions).toEqual([0, 2, 4]);
    expect(x.step).toBe(2);
    let lift = 0;
    for (const r of [0, 2, 4]) for (let t = 16; t <= 23; t++) lift += 2000 + 100 * r + t;
    expect(x.lift).toBeCloseTo(lift, 9);
    expect(x.se).toBeCloseTo(0.1 * lift, 9);
    expect(x.spend).toBe(3 * 8 * 3);
    expect(x.arg).toBe(`experiment=1:16:23:${lift}:${0.1 * lift}:2`);
  });

  it('follows the driver\'s region order: a region without rows is dropped, ragged weeks are not counted', () => {
    const p = panel(4, 30);
    p.kpi[1].fill(NaN); // no rows at all: the driver never sees region 1
    p.kpi[0].fill(NaN, 0, 6); // a ragged start: weeks 0-5 have no row
    expect(driverRegions(p, 30)).toEqual([0, 2, 3]);
    const x = liftTest(p, 0, 17);
    expect([x.start, x.end]).toEqual([4, 11]);
    expect(x.regions).toEqual([0, 3]); // driver indices 0 and 2
    let lift = 0;
    for (let t = 6; t <= 11; t++) lift += 1000 + t;
    for (let t = 4; t <= 11; t++) lift += 1300 + t;
    expect(x.lift).toBeCloseTo(lift, 9);
    const national = liftTest(panel(1, 30, { national: true }), 0, 17);
    expect(national.step).toBe(0);
    expect(national.arg.split(':')).toHaveLength(5);
  });

  it('picks priced channels by training spend and skips unpriced ones', () => {
    const p = panel(2, 30);
    expect(pricedChannels(p, 17).map((c) => c.name)).toEqual(['b', 'a']);
    p.truth.contribution[1] = grid(2, 30, () => 0);
    expect(pricedChannels(p, 17).map((c) => c.name)).toEqual(['a']);
  });

  it('summarises the cut of the tested channel\'s error, the others\' change, the skill change and level flips', () => {
    const run = (error, othersError, skillRecent, z, localLevel = true) => ({ error, othersError, skillRecent, z, localLevel });
    const s = summarise([
      { before: run(0.4, 0.1, 0.5, 3), after: run(0.1, 0.12, 0.48, 1, false) },
      { before: run(0.2, 0.2, 0.6, -2), after: run(0.3, 0.2, 0.61, -1) },
      { before: run(0.1, null, 0.7, 0), after: run(0.05, null, 0.7, 0) },
      { error: 'fit failed' },
    ]);
    expect(s.tests).toBe(3);
    expect(s.failed).toBe(1);
    expect(s.medianCut).toBeCloseTo(0.5, 12);
    expect(s.meanCut).toBeCloseTo((0.75 - 0.5 + 0.5) / 3, 12);
    expect([s.improved, s.worsened]).toEqual([2, 1]);
    expect(s.medianOthersChange).toBeCloseTo(0.01, 12);
    expect(s.worstSkillChange).toBeCloseTo(-0.02, 12);
    expect(s.medianAbsZBefore).toBe(2);
    expect(s.levelChanged).toBe(1);
  });

  it('keeps the uncalibrated fit uncalibrated and passes overrides to the calibrated fit only', () => {
    expect(UNCALIBRATED).toEqual(['calibration_weight=0', 'experiment_roi_prior_weight=0']);
    const o = parseArgs(['--label', 'w05', 'experiment_roi_prior_weight=0.5', 'seed=3']);
    expect(o).toMatchObject({ label: 'w05', seed: 3, overrides: ['experiment_roi_prior_weight=0.5'] });
    expect(() => parseArgs(['experiment=0:1:2:3:4'])).toThrow(/set by the script/);
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown argument/);
    expect(parseArgs([]).set).toBe('tuning');
    expect(parseArgs(['--set', 'reporting']).set).toBe('reporting');
    expect(() => parseArgs(['--set', 'all'])).toThrow(/--set must be tuning or reporting/);
  });
});
