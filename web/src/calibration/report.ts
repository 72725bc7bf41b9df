// What a calibrated model carries about its experiments and priors (ModelResults.calibration):
// enough to draw "Experiments: measured vs model" and to save them in a model bundle.
import type { ExperimentFit, RoiPrior } from '../engine/core-types';
import type { ParsedExperiment, ParsedPrior } from './experiments-file';

export interface ExperimentReport {
  /** "Search, 2023-11-13 – 2024-01-01, 25 regions": how the chart names the test. */
  label: string;
  channel: string;
  start: string;
  end: string;
  /** Region names; empty = all regions. */
  regions: string[];
  /** The experiment as the fit used it (indices into the panel), so a bundle can be refitted. */
  experiment: ParsedExperiment['experiment'];
  /** Measured lift and its standard error, KPI units (an ROI test times the window's spend). */
  measured: number;
  se: number;
  /** The model's lift without calibration (null when no uncalibrated model was fitted) and with it. */
  before: number | null;
  after: number;
  /** The channel's spend in the test's regions and weeks (0 without spend; absent in older bundles):
   * measured / spend is the ROI the test implies, which the fit carries to the whole period. */
  spend?: number;
}

export interface CalibrationReport {
  experiments: ExperimentReport[];
  priors: { channel: string; prior: RoiPrior }[];
  /** Every channel's ROI over the whole data in the model fitted without the experiments and priors
   * (absent when no uncalibrated model was fitted, and in older bundles): what calibration moved,
   * calibration/shift.ts. */
  roiBefore?: { channel: string; roi: number | null }[];
}

export function experimentLabel(x: Pick<ParsedExperiment, 'channel' | 'start' | 'end' | 'regions'>): string {
  const where = x.regions.length === 0 ? 'all regions' : x.regions.length <= 2 ? x.regions.join(', ') : `${x.regions.length} regions`;
  return `${x.channel}, ${x.start} – ${x.end}, ${where}`;
}

/** The report of a fit calibrated to `experiments` (after) and, when known, of the model before:
 * its lifts for the same tests and its ROI for every channel. */
export function calibrationReport(
  experiments: ParsedExperiment[],
  priors: ParsedPrior[],
  after: ExperimentFit[],
  before: ExperimentFit[] | null,
  roiBefore: CalibrationReport['roiBefore'] | null = null,
): CalibrationReport {
  return {
    experiments: experiments.map((x, i) => ({
      label: experimentLabel(x),
      channel: x.channel,
      start: x.start,
      end: x.end,
      regions: x.regions,
      experiment: x.experiment,
      measured: after[i].measured,
      se: after[i].measuredSe,
      before: before?.[i]?.model ?? null,
      after: after[i].model,
      spend: after[i].spend,
    })),
    priors: priors.map((p) => ({ channel: p.channel, prior: p.prior })),
    ...(roiBefore ? { roiBefore } : {}),
  };
}

/** Every channel's ROI in `results` (an uncalibrated model's economics), for CalibrationReport.roiBefore. */
export function roisOf(results: { economics: { channel: string; roi: number | null }[] }): NonNullable<CalibrationReport['roiBefore']> {
  return results.economics.map((e) => ({ channel: e.channel, roi: e.roi }));
}
