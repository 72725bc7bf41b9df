// The app's calibration inputs: the experiments file dropped on the Data tab and the ROI priors
// (a file, or rows typed in Train → Advanced). They are kept as text and rows and checked against
// the current panel whenever they are shown or used, so a mapping edit or another holdout length
// re-checks them with the same parser as the CLI (calibration/experiments-file.ts).
import { parseExperimentsCsv, parsePriorsCsv, type CalibrationPanel, type ExperimentsCheck, type PriorsCheck } from '../calibration/experiments-file';
import Papa from 'papaparse';
import { writeCsv } from '../export/csv';
import type { Dataset } from './state';

export interface PriorRow {
  channel: string;
  mean: string;
  sd: string;
}

type Listener = () => void;

class CalibrationInputs {
  /** The experiments file as loaded (name and text), or null. */
  experiments: { name: string; text: string } | null = null;
  /** Rows of the priors table (strings as typed; checked on use). */
  priors: PriorRow[] = [];
  private readonly listeners = new Set<Listener>();

  setExperiments(file: { name: string; text: string } | null): void {
    this.experiments = file;
    this.emit();
  }

  setPriors(rows: PriorRow[]): void {
    this.priors = rows;
    this.emit();
  }

  /** Rows of a priors file (channel, roi_mean, roi_sd) into the table; the file's own problems
   * (a missing column) are returned instead. */
  loadPriorsText(text: string, panel: CalibrationPanel): PriorsCheck {
    const check = parsePriorsCsv(text, panel);
    if (check.errors.some((e) => e.row === null || e.row === 1)) return check;
    const cells = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' }).data;
    const header = cells[0].map((c) => c.trim().toLowerCase());
    const at = (row: string[], name: string) => (row[header.indexOf(name)] ?? '').trim();
    this.setPriors(cells.slice(1).map((row) => ({ channel: at(row, 'channel'), mean: at(row, 'roi_mean'), sd: at(row, 'roi_sd') })));
    return check;
  }

  /** The experiments checked against the panel and the fit's holdout (null without a file). */
  checkExperiments(dataset: Dataset | null, holdoutWeeks?: number): ExperimentsCheck | null {
    const panel = calibrationPanel(dataset);
    if (!this.experiments || !panel) return null;
    const order = dataset?.mapping?.dateOrder;
    return parseExperimentsCsv(this.experiments.text, panel, { holdoutWeeks, timeFormat: order === 'dmy' || order === 'mdy' ? order : null });
  }

  /** The priors table checked against the panel (rows left wholly empty are ignored). */
  checkPriors(dataset: Dataset | null): PriorsCheck | null {
    const panel = calibrationPanel(dataset);
    const rows = this.priors.filter((r) => r.channel.trim() || r.mean.trim() || r.sd.trim());
    if (!panel || !rows.length) return null;
    return parsePriorsCsv(writeCsv(['channel', 'roi_mean', 'roi_sd'], rows.map((r) => [r.channel, r.mean, r.sd]), { bom: false }), panel);
  }

  /** A new dataset starts without experiments or priors. */
  reset(): void {
    this.experiments = null;
    this.priors = [];
    this.emit();
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }
}

export const calibrationInputs = new CalibrationInputs();

/** The dataset's panel as the calibration files see it (null while there is none). */
export function calibrationPanel(dataset: Dataset | null): CalibrationPanel | null {
  const p = dataset?.panel;
  if (!p) return null;
  return {
    regions: p.regions,
    weeks: p.weeks,
    channels: p.channels,
    channelNames: p.channelNames ?? [],
    regionNames: p.regionNames ?? [],
    dates: p.dates ?? [],
    spend: p.spend ?? null,
  };
}
