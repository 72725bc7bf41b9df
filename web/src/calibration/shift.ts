// What calibration moved: every channel's ROI in the model fitted without the experiments and priors
// against the calibrated model's. A test corrects its own channel; but when another channel's spend
// moves with it (or a confounder drives both), the KPI alone cannot split the effect between them,
// and what the tested channel gives up can move to a channel nobody measured (on PyMC-Marketing's
// mmm_roas_data, a test on x1 once put the untested x2 at 2.2× its true ROAS). The user is told when
// an untested channel moved by more than SHIFT_NOTICE, since its new figure rests on the model's
// split of the KPI, not on a test.
import { channelRoi, type ModelResults } from '../engine/results';
import { formatNumber, formatSignedPct } from '../format/number';
import type { CalibrationReport } from './report';

/** An untested channel whose ROI moved by more than this fraction (either way) is named. A reading
 * threshold, not a fitted one: a fifth is a change a budget owner would act on. */
export const SHIFT_NOTICE = 0.2;

export interface RoiShift {
  channel: string;
  /** ROI over the whole data without and with calibration. */
  before: number;
  after: number;
  /** after / before − 1. */
  change: number;
  /** An experiment or an ROI prior speaks to this channel directly. */
  tested: boolean;
}

/** The channels whose ROI is known before and after calibration, in the order of the report; empty
 * when the report has no uncalibrated ROIs. */
export function roiShifts(report: CalibrationReport | undefined, results: Pick<ModelResults, 'economics'>): RoiShift[] {
  if (!report?.roiBefore) return [];
  const tested = new Set([...report.experiments.map((x) => x.channel), ...report.priors.map((p) => p.channel)]);
  return report.roiBefore.flatMap(({ channel, roi: before }) => {
    const after = channelRoi(results, channel);
    if (before === null || after === null || !(before > 0)) return [];
    return [{ channel, before, after, change: after / before - 1, tested: tested.has(channel) }];
  });
}

/** The notice: the untested channels that moved by more than SHIFT_NOTICE and what that means; null
 * when none did (or the model before calibration is not known). */
export function calibrationShiftNotice(shifts: RoiShift[]): string | null {
  const moved = shifts.filter((s) => !s.tested && Math.abs(s.change) > SHIFT_NOTICE);
  if (!moved.length) return null;
  const list = moved.map((s) => `${s.channel} ${formatNumber(s.before)} → ${formatNumber(s.after)} (${formatSignedPct(s.change, 0)})`).join(', ');
  const names = moved.map((s) => s.channel).join(' and ');
  return `Calibration moved the ROI of ${moved.length === 1 ? 'a channel' : 'channels'} no experiment or prior measured: ${list}. ` +
    `${moved.length === 1 ? 'Its' : 'Their'} new figure${moved.length === 1 ? '' : 's'} come${moved.length === 1 ? 's' : ''} from the model’s split of the KPI between channels, not from a test: ` +
    `when spend on channels moves together, the data cannot tell them apart, and correcting a tested channel moves credit to or from the others. A test on ${names} would check it.`;
}
