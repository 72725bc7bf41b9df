// Whether a calibrated model agrees with its experiments (calibration/agreement.ts): both gaps, the
// 2-SE threshold, the warning's words, and the warning reaching the verdict (app, CLI, report).
import { beforeAll, describe, expect, it } from 'vitest';
import { AGREEMENT_SE, calibrationWarning, testAgreements } from '../../../web/src/calibration/agreement';
import type { ParsedExperiment } from '../../../web/src/calibration/experiments-file';
import { calibrationReport } from '../../../web/src/calibration/report';
import type { ExperimentFit } from '../../../web/src/engine/core-types';
import { channelRoi, type ModelResults } from '../../../web/src/engine/results';
import { forecastVerdict } from '../../../web/src/engine/verdict';
import { formatNumber, setNumberLocale } from '../../../web/src/format/number';
import { makeResults } from '../charts/fixture';

const tvRoi = channelRoi(makeResults(), 'TV')!;
const SPEND = 500;
const ROI_SE = 0.1 * tvRoi;
const SE = ROI_SE * SPEND; // the lift's SE, so that the test's ROI has an SE of ROI_SE

function test(channel: string, c: number): ParsedExperiment {
  return { row: 2 + c, channel, start: '2024-01-01', end: '2024-02-19', regions: [], kind: 'lift', value: 0, se: SE, experiment: { channel: c, startWeek: 0, endWeek: 7, lift: 0, liftSe: SE } };
}

/** The fixture calibrated to one TV test: measured lift `measured`, the model's lift after `model`. */
function calibrated(measured: number, model: number, spend = SPEND): ModelResults {
  const r = makeResults();
  const after: ExperimentFit[] = [{ measured, measuredSe: SE, model, spend, z: (model - measured) / SE }];
  return { ...r, calibration: calibrationReport([test('TV', 0)], [], after, null) };
}

beforeAll(() => void setNumberLocale('en-US'));

describe('calibration agreement', () => {
  it('agrees when the lift and the ROI are both within 2 SE: no warning', () => {
    const measured = tvRoi * SPEND;
    const r = calibrated(measured, measured + 1.9 * SE);
    const [a] = testAgreements(r.calibration, r);
    expect(a).toMatchObject({ channel: 'TV', agrees: true });
    expect(a.liftGapSe).toBeCloseTo(1.9, 12);
    expect(a.testRoi).toBeCloseTo(tvRoi, 12);
    expect(a.roiGapSe).toBeCloseTo(0, 9);
    expect(calibrationWarning([a])).toBeNull();
    expect(forecastVerdict(r).calibrationWarning).toBeNull();
  });

  it('a lift more than 2 SE off the measured one is a disagreement, with the gap in words', () => {
    const measured = tvRoi * SPEND;
    const r = calibrated(measured, measured - 2.6 * SE);
    const [a] = testAgreements(r.calibration, r);
    expect(a.agrees).toBe(false);
    expect(calibrationWarning([a])).toBe(
      'The calibrated model still disagrees with an experiment: for the test “TV, 2024-01-01 – 2024-02-19, all regions”, the model’s lift is 2.6 standard errors below the measured one. ' +
        'The KPI data pull against the test (spend that follows demand does this), so the model’s figures for TV are a compromise and the test is the better guide to TV. ' +
        'A smaller standard error, a longer test or more tests weigh more.',
    );
  });

  it('a whole-period ROI more than 2 SE from the ROI the test implies is a disagreement, even when the lift agrees', () => {
    const testRoi = tvRoi - 3 * ROI_SE;
    const measured = testRoi * SPEND;
    const r = calibrated(measured, measured);
    const [a] = testAgreements(r.calibration, r);
    expect(a.roiGapSe).toBeCloseTo(3, 9);
    expect(a.agrees).toBe(false);
    expect(calibrationWarning([a])).toContain(`the model’s ROI for TV over the whole data (${formatNumber(tvRoi)}) is 3.0 standard errors above the ROI the test implies (${formatNumber(testRoi)})`);
  });

  it('both gaps in one sentence; several tests are counted and their channels named', () => {
    const r = makeResults();
    const searchRoi = channelRoi(r, 'Search')!;
    const tests = [test('TV', 0), test('Search', 1)];
    const after: ExperimentFit[] = [
      { measured: (tvRoi - 5 * ROI_SE) * SPEND, measuredSe: SE, model: (tvRoi - 5 * ROI_SE) * SPEND + 3 * SE, spend: SPEND, z: 3 },
      { measured: (searchRoi + 4 * ROI_SE) * SPEND, measuredSe: SE, model: (searchRoi + 4 * ROI_SE) * SPEND - 2.5 * SE, spend: SPEND, z: -2.5 },
    ];
    const c = { ...r, calibration: calibrationReport(tests, [], after, null) };
    const w = forecastVerdict(c).calibrationWarning!;
    expect(w).toMatch(/^The calibrated model still disagrees with 2 experiments: for the test “TV, .*”, the model’s lift is 3\.0 standard errors above the measured one, and its ROI for TV over the whole data \(.*\) is 5\.0 standard errors above the ROI the test implies/);
    expect(w).toContain('the model’s lift is 2.5 standard errors below the measured one, and its ROI for Search over the whole data');
    expect(w).toContain('is 4.0 standard errors below the ROI the test implies');
    expect(w).toContain('the model’s figures for TV, Search are a compromise and the tests are the better guide to TV, Search.');
  });

  it('without the spend in the test only the lift is checked; without experiments there is nothing to check', () => {
    const r = calibrated(10 * SE, 10 * SE + AGREEMENT_SE * SE, 0);
    const [a] = testAgreements(r.calibration, r);
    expect(a).toMatchObject({ testRoi: null, roiGapSe: null, agrees: true });
    expect(testAgreements(undefined, r)).toEqual([]);
    expect(forecastVerdict(makeResults()).calibrationWarning).toBeNull();
  });
});
