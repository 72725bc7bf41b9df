// What a training run in the app adds for calibration: the experiments and ROI priors (checked
// against the panel and the run's holdout), the "before" of measured vs model (the lifts of the
// uncalibrated model still in the session, or of the last calibrated run's "before" for the same
// tests, and every channel's ROI before), and the report the results carry (ModelResults.calibration:
// the views and the bundle).
import { calibrationReport, roisOf, type CalibrationReport } from '../calibration/report';
import type { ExperimentFit, FitOptions } from '../engine/core-types';
import { EngineError } from '../engine/errors';
import type { ModelResults } from '../engine/results';
import { calibrationInputs } from './calibration-inputs';
import { appState } from './state';

export interface CalibrationRun {
  /** Fit options to add (none without experiments or priors). */
  options: Pick<FitOptions, 'experiments' | 'roiPriors'>;
  /** Attaches the calibration report to the run's results. */
  finish(results: ModelResults): void;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export async function prepareCalibration(sessionId: number, holdoutWeeks: number | undefined): Promise<CalibrationRun> {
  const dataset = appState.dataset;
  const experiments = calibrationInputs.checkExperiments(dataset, holdoutWeeks);
  const priors = calibrationInputs.checkPriors(dataset);
  if (experiments?.errors.length)
    throw new EngineError('INVALID_CONFIG', `the experiments file has ${plural(experiments.errors.length, 'problem')} (see the Data tab): ${experiments.errors[0].message}`);
  if (priors?.errors.length) throw new EngineError('INVALID_CONFIG', `the ROI priors have ${plural(priors.errors.length, 'problem')} (see Advanced settings): ${priors.errors[0].message}`);
  const tests = experiments?.experiments ?? [];
  const beliefs = priors?.priors ?? [];
  if (!tests.length && !beliefs.length) return { options: {}, finish: () => undefined };
  const list = tests.map((x) => x.experiment);
  let before: ExperimentFit[] | null = null;
  const previous = appState.results;
  // Every channel's ROI in the model before calibration: the uncalibrated model's, or the last
  // calibrated run's "before" (what calibration moved, calibration/shift.ts).
  const roiBefore: CalibrationReport['roiBefore'] | null = !previous ? null : previous.calibration ? (previous.calibration.roiBefore ?? null) : roisOf(previous);
  if (tests.length && previous) {
    const reused = previous.calibration?.experiments;
    if (!reused?.length) {
      // The session still holds the uncalibrated model: its lifts, without refitting.
      before = await appState.client!.call('experimentFits', { sessionId, experiments: list }).catch(() => null);
    } else if (reused.length === tests.length && reused.every((r, i) => JSON.stringify(r.experiment) === JSON.stringify(list[i]) && r.before !== null)) {
      before = reused.map((r) => ({ measured: r.measured, measuredSe: r.se, model: r.before!, spend: 0, z: (r.before! - r.measured) / r.se }));
    }
  }
  return {
    options: { ...(list.length ? { experiments: list } : {}), ...(beliefs.length ? { roiPriors: beliefs.map((p) => p.prior) } : {}) },
    finish: (results) => {
      results.calibration = calibrationReport(tests, beliefs, results.experiments ?? [], before, roiBefore);
    },
  };
}
