// Does the calibrated model agree with the experiments it was calibrated to? Calibration adds each
// test to the KPI data as one more likelihood term, so it does not force agreement: when the data
// pull the other way (spend that follows demand, a confounder the model does not see, a test in
// unusual weeks), the calibrated fit can still sit several standard errors from the test. Then the
// user must be told, since the channel's figures are a compromise between the test and the data,
// and the test is usually the better guide for that channel. Two gaps are checked per test:
//   - the lift: the model's lift over the test's regions and weeks (with its readout) against the
//     measured lift, in the test's standard errors (the `z` of the experiments view);
//   - the ROI: the calibrated model's ROI over the whole data against the ROI the test implies (its
//     lift per unit of the channel's spend in the test; the fit carries it to the whole period as an
//     ROI prior), in standard errors of that ROI (the lift's SE over the same spend).
import { channelRoi, type ModelResults } from '../engine/results';
import { formatFixed, formatNumber } from '../format/number';
import type { CalibrationReport } from './report';

/** A gap larger than this many standard errors counts as disagreement (about 5 % by chance). */
export const AGREEMENT_SE = 2;

export interface TestAgreement {
  /** The experiment as the experiments view names it. */
  label: string;
  channel: string;
  /** (model lift after calibration − measured) / SE. */
  liftGapSe: number;
  /** Measured lift / the channel's spend in the test; null without spend. */
  testRoi: number | null;
  /** The calibrated model's ROI for the channel over the whole data; null when not analysed. */
  modelRoi: number | null;
  /** (modelRoi − testRoi) / (SE / spend); null when either ROI is unknown. */
  roiGapSe: number | null;
  agrees: boolean;
}

/** Agreement of each experiment in `report` with the calibrated model `results`. */
export function testAgreements(report: CalibrationReport | undefined, results: Pick<ModelResults, 'economics'>): TestAgreement[] {
  return (report?.experiments ?? []).map((x) => {
    const liftGapSe = x.se > 0 ? (x.after - x.measured) / x.se : 0;
    const spend = x.spend ?? 0;
    const testRoi = spend > 0 ? x.measured / spend : null;
    const modelRoi = channelRoi(results, x.channel);
    const roiGapSe = testRoi !== null && modelRoi !== null && x.se > 0 ? (modelRoi - testRoi) / (x.se / spend) : null;
    const agrees = Math.abs(liftGapSe) <= AGREEMENT_SE && (roiGapSe === null || Math.abs(roiGapSe) <= AGREEMENT_SE);
    return { label: x.label, channel: x.channel, liftGapSe, testRoi, modelRoi, roiGapSe, agrees };
  });
}

const gap = (v: number) => `${formatFixed(Math.abs(v), 1)} standard errors ${v > 0 ? 'above' : 'below'}`;

/** The warning: one clause per test the calibrated model still disagrees with, then what it means;
 * null when the model agrees with every test (or there are none). */
export function calibrationWarning(agreements: TestAgreement[]): string | null {
  const off = agreements.filter((a) => !a.agrees);
  if (!off.length) return null;
  const parts = off.map((a) => {
    const what: string[] = [];
    if (Math.abs(a.liftGapSe) > AGREEMENT_SE) what.push(`the model’s lift is ${gap(a.liftGapSe)} the measured one`);
    if (a.roiGapSe !== null && Math.abs(a.roiGapSe) > AGREEMENT_SE)
      what.push(`${what.length ? 'its' : 'the model’s'} ROI for ${a.channel} over the whole data (${formatNumber(a.modelRoi!)}) is ${gap(a.roiGapSe)} the ROI the test implies (${formatNumber(a.testRoi!)})`);
    return `for the test “${a.label}”, ${what.join(', and ')}`;
  });
  const channels = [...new Set(off.map((a) => a.channel))].join(', ');
  const one = off.length === 1;
  return `The calibrated model still disagrees with ${one ? 'an experiment' : `${off.length} experiments`}: ${parts.join('; ')}. ` +
    `The KPI data pull against ${one ? 'the test' : 'the tests'} (spend that follows demand does this), so the model’s figures for ${channels} are a compromise and ${one ? 'the test is' : 'the tests are'} the better guide to ${channels}. ` +
    'A smaller standard error, a longer test or more tests weigh more.';
}
