// What the training status tells screen readers. Progress arrives ~10 times a second; reading
// each one out would flood a screen reader, so the live region gets only milestones: started,
// each quarter of the epochs, early stop, finished, cancelled, failed. The visual status line
// keeps every update (and is not a live region).
import { formatFixed, formatPct } from '../../format/number';

export interface MilestoneState {
  phase: string;
  /** Quarters of the phase's epochs already reached (0–4). */
  quarter: number;
}

export const START_STATE: MilestoneState = { phase: '', quarter: 0 };

/** The announcement for a progress report (null: nothing new), and the state after it. */
export function progressMilestone(state: MilestoneState, p: { phase: string; epoch: number; totalEpochs: number }): { text: string | null; state: MilestoneState } {
  const quarter = p.totalEpochs > 0 ? Math.floor((4 * p.epoch) / p.totalEpochs) : 0;
  const before = state.phase === p.phase ? state.quarter : 0;
  const next = { phase: p.phase, quarter: Math.max(before, quarter) };
  // Quarters 1–3 only: the end of training has its own announcement (finished / early stop).
  if (quarter <= before || quarter >= 4) return { text: null, state: next };
  const what = p.phase === 'warm-start' ? 'Warm start' : 'Training';
  return { text: `${what} ${quarter * 25} % done: epoch ${p.epoch} of at most ${p.totalEpochs}.`, state: next };
}

export function startedMilestone(): string {
  return 'Training started.';
}

/** Finished (with the early stop, if training ended before the epoch limit). */
export function finishedMilestone(r: { epochs: number; maxEpochs: number; r2: number | null; wape: number | null }): string {
  const early = r.epochs < r.maxEpochs ? `Stopped early at epoch ${r.epochs} of at most ${r.maxEpochs}: the validation loss stopped improving. ` : '';
  return `${early}Training finished after ${r.epochs} epochs. Holdout R² ${formatFixed(r.r2, 3)}, WAPE ${formatPct(r.wape)}.`;
}

export function cancelledMilestone(): string {
  return 'Training cancelled.';
}

export function failedMilestone(code: string, message: string): string {
  return `Training failed (${code}): ${message}`;
}
