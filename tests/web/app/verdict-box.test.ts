// The verdict box at the top of the Model quality view (and the warning above the experiments
// view): the calibration warning appears when the calibrated model is more than 2 SE from an
// experiment, and not otherwise; the notice that calibration moved an untested channel, in the box
// and above "Calibration: ROI before and after".
// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCalibrationShiftNotice, renderExperimentsWarning, renderVerdictBox } from '../../../web/src/app/panels/verdict-box';
import type { ParsedExperiment } from '../../../web/src/calibration/experiments-file';
import { calibrationReport, roisOf } from '../../../web/src/calibration/report';
import { channelRoi, type ModelResults } from '../../../web/src/engine/results';
import { forecastVerdict } from '../../../web/src/engine/verdict';
import { setNumberLocale } from '../../../web/src/format/number';
import { makeResults } from '../charts/fixture';

const test: ParsedExperiment = { row: 2, channel: 'Search', start: '2024-01-01', end: '2024-02-19', regions: [], kind: 'lift', value: 0, se: 0, experiment: { channel: 1, startWeek: 0, endWeek: 7, lift: 0, liftSe: 1 } };

/** The fixture calibrated to one Search test whose ROI matches the model's, the model's lift `gap` SE off. */
function calibrated(gap: number): ModelResults {
  const r = makeResults();
  const spend = 1000;
  const measured = channelRoi(r, 'Search')! * spend;
  const se = 0.1 * measured;
  return { ...r, calibration: calibrationReport([test], [], [{ measured, measuredSe: se, model: measured + gap * se, spend, z: gap }], null) };
}

beforeAll(() => void setNumberLocale('en-US'));

describe('verdict box', () => {
  it('warns when the calibrated model disagrees with an experiment', () => {
    const r = calibrated(3.2);
    const box = renderVerdictBox(r);
    const alert = box.querySelector('#verdict-calibration-warning');
    expect(alert).not.toBeNull();
    expect(alert!.textContent).toContain('The model disagrees with an experiment');
    expect(alert!.textContent).toContain(forecastVerdict(r).calibrationWarning!);
    expect(alert!.textContent).toContain('the model’s lift is 3.2 standard errors above the measured one');
  });

  it('says nothing about calibration when the model agrees with its experiments, or has none', () => {
    expect(renderVerdictBox(calibrated(0.5)).querySelector('#verdict-calibration-warning')).toBeNull();
    expect(renderVerdictBox(makeResults()).querySelector('#verdict-calibration-warning')).toBeNull();
  });

  it('the experiments view shows the same warning above its chart, and nothing when the model agrees', () => {
    const r = calibrated(-2.4);
    const alert = renderExperimentsWarning(r);
    expect(alert?.id).toBe('experiments-calibration-warning');
    expect(alert!.textContent).toContain(forecastVerdict(r).calibrationWarning!);
    expect(renderExperimentsWarning(calibrated(1.5))).toBeNull();
    expect(renderExperimentsWarning(makeResults())).toBeNull();
  });

  it('notices when calibration moved an untested channel by more than a fifth, in the box and above the shift view', () => {
    const r = calibrated(0.5);
    const moved = { ...r, calibration: { ...r.calibration!, roiBefore: roisOf(r).map((x) => ({ ...x, roi: x.channel === 'TV' && x.roi !== null ? 2 * x.roi : x.roi })) } };
    const notice = forecastVerdict(moved).calibrationShiftNotice!;
    expect(notice).toMatch(/^Calibration moved the ROI of a channel no experiment or prior measured: TV .*\(-50%\)/);
    const alert = renderVerdictBox(moved).querySelector('#verdict-calibration-shift');
    expect(alert!.textContent).toContain('Calibration moved an untested channel');
    expect(alert!.textContent).toContain(notice);
    expect(renderCalibrationShiftNotice(moved)?.id).toBe('calibration-shift-notice');
    expect(renderCalibrationShiftNotice(moved)!.textContent).toContain(notice);
    // Nothing moved (the ROIs before are today's), or the model before is unknown: no notice.
    const still = { ...r, calibration: { ...r.calibration!, roiBefore: roisOf(r) } };
    expect(renderVerdictBox(still).querySelector('#verdict-calibration-shift')).toBeNull();
    expect(renderCalibrationShiftNotice(still)).toBeNull();
    expect(renderCalibrationShiftNotice(r)).toBeNull();
  });
});
