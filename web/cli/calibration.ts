// `fit --experiments FILE` and `fit --priors FILE`: the files read and checked against the mapped
// panel (a bad file is a usage error, exit 2, listing every row-numbered problem), and what the fit
// reports of them: measured vs model before and after calibration, in summary.json and experiments.csv,
// and every channel's ROI before and after (summary.json calibration_shift).
import { testAgreements } from '../src/calibration/agreement';
import { roiShifts } from '../src/calibration/shift';
import { parseExperimentsCsv, parsePriorsCsv, type FileMessage, type ParsedExperiment, type ParsedPrior } from '../src/calibration/experiments-file';
import type { ExperimentFit } from '../src/engine/core-types';
import { channelRoi, type ModelResults } from '../src/engine/results';
import { writeCsv } from '../src/export/csv';
import { timeAxisFor } from '../src/ingest/timeaxis';
import { CliUsageError, readInput, type CliIo } from './io';
import type { LoadedData } from './load-data';

export interface CalibrationInputs {
  experiments: ParsedExperiment[];
  priors: ParsedPrior[];
}

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function refuse(file: string, what: string, errors: FileMessage[]): never {
  const shown = errors.slice(0, 20).map((e) => `  ${e.message}`);
  const more = errors.length > 20 ? [`  … and ${errors.length - 20} more`] : [];
  throw new CliUsageError(`${file}: the ${what} file cannot be used:\n${[...shown, ...more].join('\n')}`);
}

/** Reads and checks the files given (either may be absent). */
export async function readCalibrationFiles(paths: { experiments?: string; priors?: string }, data: LoadedData, holdoutWeeks: number | undefined, io: CliIo): Promise<CalibrationInputs> {
  const panel = data.panel!;
  const out: CalibrationInputs = { experiments: [], priors: [] };
  if (paths.experiments) {
    const timeFormat = data.mapping.time ? timeAxisFor(data.table, data.mapping.time, data.mapping.dateOrder)?.format : null;
    const check = parseExperimentsCsv(decode(await readInput(paths.experiments, io)), panel, { holdoutWeeks, timeFormat });
    if (check.errors.length) refuse(paths.experiments, 'experiments', check.errors);
    out.experiments = check.experiments;
  }
  if (paths.priors) {
    const check = parsePriorsCsv(decode(await readInput(paths.priors, io)), panel);
    if (check.errors.length) refuse(paths.priors, 'priors', check.errors);
    out.priors = check.priors;
  }
  return out;
}

/** One experiment's measured vs model, before (an uncalibrated fit; null when skipped) and after;
 * with the ROI the test implies (its lift per unit of the channel's spend in the test, which the fit
 * carries to the whole period as an ROI prior) and the calibrated model's ROI for the channel
 * (calibration/agreement.ts, from `results`: the calibrated fit with its calibration report). */
export function experimentsJson(inputs: CalibrationInputs, results: ModelResults, before: ExperimentFit[] | null) {
  const after = results.experiments;
  const agreement = testAgreements(results.calibration, results);
  return inputs.experiments.map((x, i) => ({
    row: x.row,
    channel: x.channel,
    start: x.start,
    end: x.end,
    regions: x.regions,
    kind: x.kind,
    value: x.value,
    se: x.se,
    /** Weeks after the end that the measured lift includes; null = the whole carryover. */
    readout_weeks: x.experiment.readoutWeeks ?? null,
    /** The measured lift and its SE in KPI units (an ROI times the window's spend). */
    measured: after?.[i]?.measured ?? null,
    measured_se: after?.[i]?.measuredSe ?? null,
    spend: after?.[i]?.spend ?? null,
    model_before: before?.[i]?.model ?? null,
    z_before: before?.[i]?.z ?? null,
    model_after: after?.[i]?.model ?? null,
    z_after: after?.[i]?.z ?? null,
    test_roi: agreement[i]?.testRoi ?? null,
    model_roi: agreement[i]?.modelRoi ?? null,
    /** (model_roi − test_roi) in standard errors of the test's ROI (its SE / spend). */
    roi_gap_se: agreement[i]?.roiGapSe ?? null,
    /** Both gaps (lift and ROI) within 2 SE; null when not known. Otherwise summary.json's
     * verdict.calibration_warning says so. */
    agrees: agreement[i]?.agrees ?? null,
  }));
}

/** Each prior with the calibrated model's ROI for that channel (the analysis's, over the whole data). */
export function priorsJson(inputs: CalibrationInputs, results: ModelResults) {
  return inputs.priors.map((p) => ({
    row: p.row,
    channel: p.channel,
    roi_mean: p.prior.mean,
    roi_sd: p.prior.sd,
    model_roi: channelRoi(results, p.channel),
  }));
}

/** Every channel's ROI without and with calibration (from the calibration report's roiBefore):
 * what the tests moved, including channels no test measured (verdict.calibration_shift_notice). */
export function calibrationShiftJson(results: ModelResults) {
  return roiShifts(results.calibration, results).map((s) => ({ channel: s.channel, roi_before: s.before, roi_after: s.after, change: s.change, tested: s.tested }));
}

export function experimentsCsv(rows: ReturnType<typeof experimentsJson>): string {
  const header = ['row', 'channel', 'start', 'end', 'regions', 'readout_weeks', 'measured', 'se', 'model_before', 'model_after', 'z_before', 'z_after', 'spend', 'test_roi', 'model_roi', 'roi_gap_se', 'agrees'];
  return writeCsv(header, rows.map((r) => [r.row, r.channel, r.start, r.end, r.regions.join(';'), r.readout_weeks, r.measured, r.measured_se, r.model_before, r.model_after, r.z_before, r.z_after, r.spend, r.test_roi, r.model_roi, r.roi_gap_se, r.agrees]));
}
