// What calibration moved (calibration/shift.ts): every channel's ROI before and after, which
// channels a test or a prior measured, the notice's threshold and words, and the notice reaching
// the verdict (app, CLI, report).
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParsedExperiment, ParsedPrior } from '../../../web/src/calibration/experiments-file';
import { calibrationReport, roisOf } from '../../../web/src/calibration/report';
import { calibrationShiftNotice, roiShifts, SHIFT_NOTICE } from '../../../web/src/calibration/shift';
import type { ModelResults } from '../../../web/src/engine/results';
import { forecastVerdict } from '../../../web/src/engine/verdict';
import { formatNumber, setNumberLocale } from '../../../web/src/format/number';
import { makeResults } from '../charts/fixture';

const searchTest: ParsedExperiment = {
  row: 2, channel: 'Search', start: '2024-01-01', end: '2024-02-19', regions: [], kind: 'lift', value: 100, se: 10,
  experiment: { channel: 1, startWeek: 0, endWeek: 7, lift: 100, liftSe: 10 },
};
const after = [{ measured: 100, measuredSe: 10, model: 104, spend: 50, z: 0.4 }];

/** The fixture calibrated to one Search test; its ROIs before calibration are today's × `factor`. */
function calibrated(factor: Record<string, number>, priors: ParsedPrior[] = []): ModelResults {
  const r = makeResults();
  const roiBefore = roisOf(r).map((x) => ({ channel: x.channel, roi: x.roi === null ? null : x.roi * (factor[x.channel] ?? 1) }));
  return { ...r, calibration: calibrationReport([searchTest], priors, after, null, roiBefore) };
}

beforeAll(() => void setNumberLocale('en-US'));

describe('what calibration moved', () => {
  it('lists every channel with an ROI before and after, and which ones a test or a prior measured', () => {
    const r = calibrated({ TV: 0.5 });
    const shifts = roiShifts(r.calibration, r);
    expect(shifts.map((s) => s.channel)).toEqual(r.economics.filter((e) => e.roi !== null).map((e) => e.channel));
    const tv = shifts.find((s) => s.channel === 'TV')!;
    expect(tv.change).toBeCloseTo(1, 12); // after = 2 × before
    expect(tv.tested).toBe(false);
    expect(shifts.find((s) => s.channel === 'Search')!.tested).toBe(true);
    // A prior counts as a measurement too.
    const prior: ParsedPrior = { row: 2, channel: 'TV', prior: { channel: 0, mean: 2, sd: 0.5 } };
    const withPrior = calibrated({ TV: 0.5 }, [prior]);
    expect(roiShifts(withPrior.calibration, withPrior).find((s) => s.channel === 'TV')!.tested).toBe(true);
    expect(calibrationShiftNotice(roiShifts(withPrior.calibration, withPrior))).toBeNull();
  });

  it('names an untested channel that moved by more than a fifth, with before, after and the change', () => {
    const r = calibrated({ TV: 0.5 });
    const tvAfter = r.economics.find((e) => e.channel === 'TV')!.roi!;
    const notice = calibrationShiftNotice(roiShifts(r.calibration, r))!;
    expect(notice).toMatch(/^Calibration moved the ROI of a channel no experiment or prior measured: TV /);
    expect(notice).toContain(`TV ${formatNumber(tvAfter / 2)} → ${formatNumber(tvAfter)} (+100%).`);
    expect(notice).toContain('Its new figure comes from the model’s split of the KPI between channels, not from a test');
    expect(notice).toMatch(/A test on TV would check it\.$/);
    expect(forecastVerdict(r).calibrationShiftNotice).toBe(notice);
  });

  it('two untested channels are named together; a drop counts like a rise', () => {
    const r = calibrated({ TV: 0.5, Social: 1.5 });
    const notice = calibrationShiftNotice(roiShifts(r.calibration, r))!;
    expect(notice).toMatch(/^Calibration moved the ROI of channels no experiment or prior measured: TV .*, Social .*\(-33%\)\. Their new figures come from/);
    expect(notice).toMatch(/A test on TV and Social would check it\.$/);
  });

  it('stays silent within a fifth, for the tested channel, and without the model before calibration', () => {
    const small = calibrated({ TV: 1 / (1 + SHIFT_NOTICE * 0.99) });
    expect(calibrationShiftNotice(roiShifts(small.calibration, small))).toBeNull();
    const tested = calibrated({ Search: 0.3 });
    expect(roiShifts(tested.calibration, tested).find((s) => s.channel === 'Search')!.change).toBeGreaterThan(2);
    expect(calibrationShiftNotice(roiShifts(tested.calibration, tested))).toBeNull();
    const r = makeResults();
    const noBefore = { ...r, calibration: calibrationReport([searchTest], [], after, null) };
    expect(roiShifts(noBefore.calibration, noBefore)).toEqual([]);
    expect(forecastVerdict(noBefore).calibrationShiftNotice).toBeNull();
    expect(forecastVerdict(r).calibrationShiftNotice).toBeNull();
  });

  it('skips channels without an ROI before (no spend) and a non-positive one', () => {
    const r = makeResults();
    const roiBefore = [{ channel: 'TV', roi: null }, { channel: 'Search', roi: 0 }, { channel: 'Nowhere', roi: 2 }];
    const c = { ...r, calibration: calibrationReport([searchTest], [], after, null, roiBefore) };
    expect(roiShifts(c.calibration, c)).toEqual([]);
  });
});
