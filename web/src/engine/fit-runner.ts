// Runs a fit in slices on an Engine: the app's worker, the CLI and the Node tests all train
// through this one function. Between slices it reports progress (at most ~10 Hz) and gives the
// event loop a turn, so a Cancel message is seen within one slice even in the single-thread build.
import type { AnalysisOptions, CoreFitResults, DemoTruth, EpochReport, FitOptions } from './core-types';
import type { Engine } from './engine';
import { EngineError } from './errors';
import type { DemoTruthSummary, EpochPoint, ModelResults } from './results';

export interface FitProgress {
  epoch: number;
  totalEpochs: number;
  phase: 'warm-start' | 'training';
  elapsedSeconds: number;
  /** Upper bound: early stopping may end sooner. */
  etaSeconds: number;
  /** Epochs finished since the previous progress report. */
  points: EpochPoint[];
  latest: EpochReport | null;
}

/** Progress of the analysis that follows a fit (scenario simulations, in region chunks). */
export interface AnalysisProgress {
  phase: 'analysis';
  done: number;
  total: number;
  elapsedSeconds: number;
}

export interface FitRunOptions {
  onProgress?: (p: FitProgress) => void;
  cancelled?: () => boolean;
  /** Wall time of one slice; progress is reported once per slice. */
  sliceSeconds?: number;
  /** Gives the event loop a turn between slices (the worker passes a setTimeout-based yield). */
  yieldBetweenSlices?: () => Promise<void>;
}

export function toEpochPoint(e: EpochReport): EpochPoint {
  const n = (x: number | null) => (x === null ? Number.NaN : x);
  return { epoch: e.epoch, trainLoss: n(e.trainLoss), valLoss: n(e.valLoss), trainR2: n(e.trainR2), valR2: n(e.valR2), elapsedSeconds: e.elapsedSeconds };
}

/** The ModelResults the dashboards read, from the core's fit result; the analysis parts are
 * filled by the analysis step when it runs. */
export function toModelResults(core: CoreFitResults, engine: { variant: ModelResults['engine']['variant']; threads: number }): ModelResults {
  const { history, bestEpoch: _best, config: _config, ...rest } = core;
  return {
    ...rest,
    mediaUnit: mediaUnits(core),
    history: history.map(toEpochPoint),
    engine,
    economics: [],
    responseCurves: [],
    budget: null,
    truth: null,
  };
}

/** The core's analysis progress callback (done, total) as AnalysisProgress reports: at most ~10 a
 * second, and always the last one. */
export function analysisProgressReporter(onProgress: (p: AnalysisProgress) => void): (done: number, total: number) => void {
  const started = performance.now();
  let lastReport = -Infinity;
  return (done, total) => {
    const now = performance.now();
    if (done < total && now - lastReport < 100) return;
    lastReport = now;
    onProgress({ phase: 'analysis', done, total, elapsedSeconds: (now - started) / 1000 });
  };
}

/** Fills the analysis parts of the results (economics, response curves, the plan for the current
 * budget) from the session's fitted model. The fit stays usable when the analysis fails: the
 * parts stay empty and results.analysis.error says why. */
export function withAnalysis(engine: Engine, sessionId: number, results: ModelResults, options: AnalysisOptions = {},
  onProgress?: (p: AnalysisProgress) => void): ModelResults {
  try {
    const a = engine.analyze(sessionId, options, onProgress && analysisProgressReporter(onProgress));
    results.economics = a.economics;
    results.responseCurves = a.responseCurves;
    results.budget = a.budget;
    results.analysis = { ...a.window, simulations: a.simulations, seconds: a.seconds, ...(a.budgetMessage ? { budgetMessage: a.budgetMessage } : {}) };
  } catch (err) {
    results.analysis = { from: 0, to: results.shape.weeks, carryoverWeeks: 0, simulations: 0, seconds: 0, error: err instanceof Error ? err.message : String(err) };
  }
  return results;
}

/** A channel's driver is spend when the panel has spend for it (channels mapped with activity
 * only carry zeros in the spend array), else activity. */
export function mediaUnits(r: Pick<CoreFitResults, 'spend' | 'shape'>): ('spend' | 'activity')[] {
  const { regions, weeks, channels } = r.shape;
  const total = new Float64Array(channels);
  if (r.spend) for (let i = 0; i < regions * weeks; i++) for (let c = 0; c < channels; c++) total[c] += r.spend[i * channels + c];
  return Array.from(total, (t) => (t > 0 ? 'spend' : 'activity'));
}

/** What the dashboards show of a demo dataset's truth. */
export function truthSummary(t: DemoTruth): DemoTruthSummary {
  return {
    channels: t.channels.map((c) => ({ channel: c.channel, share: c.share, roi: c.roi, contribution: c.contribution, adstock: c.adstock, hillSlope: c.hillSlope, halfSaturation: c.halfSaturation })),
    edges: t.edges.map((e) => ({ from: e.from, to: e.to, strength: e.strength })),
    mediaShare: t.mediaShare,
  };
}

export async function runFit(engine: Engine, sessionId: number, options: FitOptions, run: FitRunOptions = {}): Promise<CoreFitResults> {
  const slice = run.sliceSeconds ?? 0.1;
  const pause = run.yieldBetweenSlices ?? (() => Promise.resolve());
  const started = performance.now();
  let { totalEpochs } = engine.startFit(sessionId, options);
  let done = false;
  let epochs = 0;
  try {
    while (!done) {
      if (run.cancelled?.()) throw new EngineError('CANCELLED', `training cancelled after ${epochs} epochs; your data and mapping are kept`);
      const step = engine.fitStep(sessionId, 0, slice);
      done = step.done;
      totalEpochs = step.totalEpochs;
      epochs += step.history.length;
      const latest = step.history.at(-1) ?? null;
      const elapsed = (performance.now() - started) / 1000;
      run.onProgress?.({
        epoch: latest ? latest.epoch + 1 : epochs,
        totalEpochs,
        phase: latest?.warmStart ? 'warm-start' : 'training',
        elapsedSeconds: elapsed,
        etaSeconds: epochs > 0 ? (elapsed / epochs) * Math.max(0, totalEpochs - epochs) : Number.NaN,
        points: step.history.map(toEpochPoint),
        latest,
      });
      if (!done) await pause();
    }
    return engine.finishFit(sessionId);
  } catch (err) {
    engine.cancelFit(sessionId);
    throw err;
  }
}
