// `mmm-studio fit <file.csv> [options]`: the same inference, validation and wasm core as the app.
import { basename, join } from 'node:path';
import type { AnalysisOptions, CoreFitResults, ExperimentFit, FitOptions } from '../../src/engine/core-types';
import type { Engine } from '../../src/engine/engine';
import { DEFAULT_ENSEMBLE_SIZE, DEFAULT_INTERVAL_LEVEL, runEnsemble, type EnsembleIntervals } from '../../src/engine/ensemble';
import { runFit, toModelResults, withAnalysis } from '../../src/engine/fit-runner';
import type { Metrics, ModelResults } from '../../src/engine/results';
import { forecastVerdict, type ScoredWindow } from '../../src/engine/verdict';
import { exportModelBundle } from '../../src/export/model-bundle';
import { budgetCsv, channelsCsv, contributionsCsv, responseCurvesCsv } from '../../src/export/results-csv';
import { APP_VERSION } from '../../src/version';
import { CommandArgs, parseCommandArgs, type CommandSpec, type OptionSpec } from '../args';
import { loadCliEngine } from '../engine';
import { CliUsageError, inputName, makeOutputDir, writeOutput, type CliIo } from '../io';
import { loadCsv, MAPPING_OPTIONS, MAPPING_USAGE, overridesFrom } from '../load-data';
import { createProgress, type Progress } from '../progress';
import { calibrationShiftJson, experimentsCsv, experimentsJson, priorsJson, readCalibrationFiles } from '../calibration';
import { calibrationReport, roisOf, type CalibrationReport } from '../../src/calibration/report';

/** The training options, spelt the same by every command that trains (fit, optimize --data;
 * batch manifests use them as column names). */
export const TRAINING_OPTIONS = {
  'holdout-weeks': { type: 'string' },
  seed: { type: 'string' },
  epochs: { type: 'string' },
  hidden: { type: 'string' },
  dag: { type: 'string' },
  threads: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  ...MAPPING_OPTIONS,
} as const satisfies Record<string, OptionSpec>;

export const TRAINING_USAGE = `  --holdout-weeks N    the last N weeks are held out to measure accuracy (default 13)
  --seed S             random seed: the same data, options and seed give identical results
  --epochs N           most training epochs after the warm start (early stopping usually
                       ends sooner)
  --hidden H           width of the recurrent network
  --dag triangular|notears
                       channel interactions: fixed channel order, or a learned structure
  --threads N          1-4; more than 1 runs the threaded engine (core-mt)
  -q, --quiet          no progress on stderr
${MAPPING_USAGE}`;

export const FIT: CommandSpec<typeof TRAINING_OPTIONS & { out: OptionSpec; json: OptionSpec; ensemble: OptionSpec; interval: OptionSpec; experiments: OptionSpec; priors: OptionSpec; 'skip-uncalibrated': OptionSpec }> = {
  name: 'fit',
  options: { ...TRAINING_OPTIONS, out: { type: 'string' }, json: { type: 'boolean' }, ensemble: { type: 'string' }, interval: { type: 'string' },
    experiments: { type: 'string' }, priors: { type: 'string' }, 'skip-uncalibrated': { type: 'boolean' } },
  positionals: { min: 1, max: 1, what: "one CSV file ('-' reads standard input)" },
  usage: `Usage: mmm-studio fit <file.csv | -> [options]

Trains the model on the CSV ('-': standard input; columns detected as in the app, the options
below override the detection) and prints train and holdout accuracy. Progress goes to stderr.
  --out DIR            also write summary.json (with channel economics), contributions.csv,
                       channels.csv (totals, shares, ROI, marginal ROI), response_curves.csv,
                       budget.csv (optimal allocation of the current budget over the last 52
                       weeks) and the model bundle model.mmm
  --json               print the summary as JSON on stdout (progress stays on stderr)
  --ensemble K         uncertainty intervals from K fits (2-100; ${DEFAULT_ENSEMBLE_SIZE} is a good start): the main
                       fit plus K-1 fits with other seeds on block-bootstrapped weeks; adds
                       *_lo/*_hi columns to channels.csv, response_curves.csv and budget.csv
  --interval L         level of the intervals (default ${DEFAULT_INTERVAL_LEVEL}); needs --ensemble
  --experiments FILE   calibrate to lift tests (CSV: channel, start, end, regions, and lift +
                       lift_se or roi + roi_se; see the README); also fits the model without
                       them first to report measured vs model before and after calibration
                       (experiments.csv with --out, "experiments" in --json)
  --priors FILE        ROI priors (CSV: channel, roi_mean, roi_sd), a penalty per channel; with
                       either file, every channel's ROI before and after ("calibration_shift")
  --skip-uncalibrated  with --experiments or --priors: no uncalibrated fit (half the time; no "before")
${TRAINING_USAGE}
  -h, --help           this help`,
};

/** FitOptions from the training options (shared with optimize --data). */
export function fitOptionsFrom(args: CommandArgs<typeof TRAINING_OPTIONS>): FitOptions {
  return {
    holdoutWeeks: args.int('holdout-weeks', 0, 520),
    seed: args.int('seed', 0, 2 ** 31),
    epochs: args.int('epochs', 1, 100000),
    hidden: args.int('hidden', 1, 4096),
    dagMode: args.choice('dag', ['triangular', 'notears'] as const),
    threads: args.int('threads', 1, 4) ?? 1,
  };
}

/** Runs the fit with progress: the bar or lines on stderr, one update per slice. */
export async function fitWithProgress(engine: Engine, sessionId: number, options: FitOptions, progress: Progress): Promise<CoreFitResults> {
  const core = await runFit(engine, sessionId, options, {
    sliceSeconds: 0.5,
    onProgress: (p) => {
      const left = p.epoch < p.totalEpochs && Number.isFinite(p.etaSeconds) ? `, at most ${p.etaSeconds.toFixed(0)} s left` : '';
      progress.update(p.epoch, p.totalEpochs, `epoch ${p.epoch} of at most ${p.totalEpochs}${p.phase === 'warm-start' ? ' (warm start)' : ''}, ${p.elapsedSeconds.toFixed(0)} s${left}`);
    },
  });
  progress.note(`trained ${core.epochs} epochs in ${core.fitSeconds.toFixed(1)} s`);
  return core;
}

/** The analysis after a fit (economics, response curves, budget plan), on stderr: a start, the
 * share of its scenario simulations done (region chunks, reported from inside the engine call)
 * and an end. */
export function analysisWithProgress(engine: Engine, sessionId: number, results: ModelResults, options: AnalysisOptions, progress: Progress): ModelResults {
  progress.note('analysing: contributions, response curves and the budget plan…');
  const analysed = withAnalysis(engine, sessionId, results, options, (p) =>
    progress.update(p.done, p.total, `analysis: ${p.done} of ${p.total} region chunks simulated, ${p.elapsedSeconds.toFixed(0)} s`));
  const a = analysed.analysis;
  progress.note(a?.error ? `analysis failed: ${a.error}` : `analysis done in ${(a?.seconds ?? 0).toFixed(1)} s (${a?.simulations ?? 0} simulations)`);
  return analysed;
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const num = (x: number | null, d = 3) => (x === null ? 'n/a' : x.toFixed(d));

function metricsJson(m: Metrics) {
  return { r2: m.r2, r2_within: m.r2_within, rmse: m.rmse, mae: m.mae, wape: m.wape, rel_error: m.rel_error, r2_region_median: m.r2_region_median, skill: m.skill, n: m.n };
}

/** Mean revenue per KPI unit when the data maps one (ROI in revenue then), else undefined. */
export function revenuePerKpiOf(panel: { revenuePerKpi?: Float32Array | null }): number | undefined {
  const v = panel.revenuePerKpi;
  if (!v) return undefined;
  let s = 0;
  let n = 0;
  for (const x of v) if (Number.isFinite(x) && x > 0) (s += x), n++;
  return n ? s / n : undefined;
}

/** A scored forecast window (a backtest origin's validation slice) in the summary's spelling. */
function windowJson(w: ScoredWindow) {
  return { first_week: w.firstWeek, first_date: w.firstDate, weeks: w.weeks, r2: w.r2, wape: w.wape, skill: { recent_mean: w.skillRecent, seasonal_naive: w.skillSeasonal }, n: w.n };
}

/** What summary.json records of an ensemble: its size, level and widening, the per-channel
 * intervals, the budget uplift's, and each member's ROI (member 1 = the main fit). */
function ensembleJson(e: EnsembleIntervals) {
  return { k: e.k, level: e.level, widen: e.widen, seconds: e.seconds, channels: e.channels, budget: e.budget, member_roi: e.memberRoi };
}

export function fitSummary(r: ModelResults) {
  const v = forecastVerdict(r);
  const naive = v.fallbackForecast?.holdout ?? null;
  return {
    shape: r.shape,
    train: metricsJson(r.metrics.train),
    holdout: metricsJson(r.metrics.holdout),
    /** Backtest origins, oldest first: the weeks scored before the holdout (see engine/verdict.ts). */
    validation: v.validation.map(windowJson),
    /** Σ media / Σ prediction over the training weeks. */
    media_share: v.mediaShare,
    verdict: {
      beats_naive: v.beatsNaive,
      fallback: v.fallback,
      text: v.text,
      media_share_warning: v.mediaShareWarning,
      /** Set when the calibrated model is still > 2 SE from an experiment (calibration/agreement.ts). */
      calibration_warning: v.calibrationWarning,
      /** Set when calibration moved an untested channel's ROI by more than a fifth (calibration/shift.ts). */
      calibration_shift_notice: v.calibrationShiftNotice,
      /** The naive forecast shown instead of the model's, scored on the holdout (fallback only). */
      fallback_holdout: naive ? { r2: naive.r2, wape: naive.wape, skill: { recent_mean: naive.skillRecent, seasonal_naive: naive.skillSeasonal }, n: naive.n } : null,
    },
    epochs: r.epochs,
    fit_seconds: r.fitSeconds,
    engine: r.engine,
    seed: r.seed,
    analysis: r.analysis ?? null,
    economics: r.economics,
    budget: r.budget
      ? {
          mode: r.budget.mode,
          weeks: r.budget.weeks,
          budget: r.budget.budget,
          currentKpi: r.budget.currentKpi,
          optimalKpi: r.budget.optimalKpi,
          upliftPct: r.budget.upliftPct,
          simulatedCurrentKpi: r.budget.simulatedCurrentKpi,
          simulatedOptimalKpi: r.budget.simulatedOptimalKpi,
          simulatedUpliftPct: r.budget.simulatedUpliftPct,
        }
      : null,
    ensemble: r.intervals ? ensembleJson(r.intervals) : null,
  };
}

export async function fitCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, FIT, io);
  if (!args) return 0;
  const file = args.positional[0];
  const fitOptions = fitOptionsFrom(args);
  const threads = fitOptions.threads ?? 1;
  const ensembleSize = args.int('ensemble', 2, 100);
  const level = args.number('interval', 0.5, 0.99);
  if (level !== undefined && ensembleSize === undefined) throw new CliUsageError('--interval needs --ensemble K (the intervals come from K fits)', FIT.usage);
  const skipUncalibrated = args.flag('skip-uncalibrated');
  if (skipUncalibrated && !args.has('experiments') && !args.has('priors'))
    throw new CliUsageError('--skip-uncalibrated needs --experiments FILE or --priors FILE (it skips the fit without them)', FIT.usage);
  const data = await loadCsv(file, io, overridesFrom(args), fitOptions.holdoutWeeks);
  if (!data.panel) {
    io.stderr(`mmm-studio fit: ${inputName(file)} cannot be used for training:`);
    for (const e of data.report.errors) io.stderr(`  [${e.code}]${e.column ? ` (column "${e.column}")` : ''}${e.rows?.length ? ` rows ${e.rows.slice(0, 8).join(', ')}` : ''} ${e.message}`);
    io.stderr(`Run 'mmm-studio inspect ${file}' for the full report.`);
    return 1;
  }
  // Checked before any fit, so a bad file fails in a second with every problem listed.
  const calibration = await readCalibrationFiles({ experiments: args.string('experiments'), priors: args.string('priors') }, data, fitOptions.holdoutWeeks, io);
  if (calibration.experiments.length) fitOptions.experiments = calibration.experiments.map((x) => x.experiment);
  if (calibration.priors.length) fitOptions.roiPriors = calibration.priors.map((p) => p.prior);
  const json = args.flag('json');
  const out = args.string('out');
  // Before the fit, so an unusable --out fails in a second rather than after the training.
  if (out) makeOutputDir(out);
  const progress = createProgress(io, { quiet: args.flag('quiet'), label: 'fit' });
  const p = data.panel;
  progress.note(`${inputName(file)}: ${p.regions} regions × ${p.weeks} weeks × ${p.channels} channels × ${p.controls} controls, ${threads} thread${threads > 1 ? 's' : ''}`);
  const engine = await loadCliEngine(threads);
  const session = engine.createSession(data.panel);
  let results: ModelResults;
  let uncalibrated: { experiments: ExperimentFit[]; holdout: Metrics; roi: NonNullable<CalibrationReport['roiBefore']> } | null = null;
  const analysis = { revenuePerKpi: revenuePerKpiOf(data.panel) };
  try {
    if ((fitOptions.experiments || fitOptions.roiPriors) && !skipUncalibrated) {
      progress.note('fitting without the experiments and priors first (the "before" of calibration)…');
      const { experiments: _e, roiPriors: _p, ...plain } = fitOptions;
      const before = await fitWithProgress(engine, session.id, plain, progress);
      // Its ROIs (economics only): what calibration moved (calibration/shift.ts).
      const economics = withAnalysis(engine, session.id, toModelResults(before, { variant: engine.variant, threads }), { ...analysis, curves: false, budget: false });
      const experiments = fitOptions.experiments ? engine.experimentFits(session.id, fitOptions.experiments) : [];
      uncalibrated = { experiments, holdout: before.metrics.holdout, roi: roisOf(economics) };
      progress.note('fitting with them…');
    }
    const core = await fitWithProgress(engine, session.id, fitOptions, progress);
    results = analysisWithProgress(engine, session.id, toModelResults(core, { variant: engine.variant, threads }), analysis, progress);
    if (ensembleSize) {
      progress.note(`uncertainty: ${ensembleSize - 1} more fits on block-bootstrapped weeks…`);
      results.intervals = await runEnsemble(engine, data.panel, results, fitOptions, {
        k: ensembleSize, level, analysis, sliceSeconds: 0.5,
        onProgress: (e) => {
          if (e.fit) progress.update(e.member - 1, ensembleSize, `ensemble fit ${e.member} of ${ensembleSize}: epoch ${e.fit.epoch} of at most ${e.fit.totalEpochs}`);
          else if (e.analysis) progress.update(e.member - 1, ensembleSize, `ensemble fit ${e.member} of ${ensembleSize}: analysis ${e.analysis.done} of ${e.analysis.total} region chunks`);
        },
      });
      progress.note(`uncertainty: ${ensembleSize} fits, ${Math.round(100 * results.intervals.level)} % intervals, in ${results.intervals.seconds.toFixed(1)} s more`);
    }
  } finally {
    progress.end();
  }
  // The bundle keeps the experiments and priors with measured vs model (model-bundle.ts).
  if (calibration.experiments.length || calibration.priors.length)
    results.calibration = calibrationReport(calibration.experiments, calibration.priors, results.experiments ?? [], uncalibrated?.experiments ?? null, uncalibrated?.roi ?? null);
  const summary = {
    ...fitSummary(results),
    ...(calibration.experiments.length ? { experiments: experimentsJson(calibration, results, uncalibrated?.experiments ?? null) } : {}),
    ...(calibration.priors.length ? { priors: priorsJson(calibration, results) } : {}),
    ...(calibration.experiments.length || calibration.priors.length
      ? { uncalibrated_holdout: uncalibrated ? metricsJson(uncalibrated.holdout) : null, calibration_shift: uncalibrated ? calibrationShiftJson(results) : null }
      : {}),
  };
  if (out) {
    writeOutput(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    writeOutput(join(out, 'contributions.csv'), contributionsCsv(results));
    writeOutput(join(out, 'channels.csv'), channelsCsv(results));
    writeOutput(join(out, 'response_curves.csv'), responseCurvesCsv(results));
    if (summary.experiments) writeOutput(join(out, 'experiments.csv'), experimentsCsv(summary.experiments));
    if (results.budget) writeOutput(join(out, 'budget.csv'), budgetCsv(results.budget, undefined, results.intervals?.budget ?? undefined));
    const dataName = file === '-' ? 'stdin.csv' : basename(file);
    const bundle = await exportModelBundle(engine, session.id, results, { dataName, mapping: data.mapping, data: null, appVersion: APP_VERSION });
    writeOutput(join(out, 'model.mmm'), bundle);
  }
  engine.disposeSession(session.id);
  if (json) {
    io.stdout(JSON.stringify(summary, null, 2));
  } else {
    const s = results.shape;
    const t = results.metrics.train;
    const h = results.metrics.holdout;
    io.stdout(`Fitted ${s.regions} regions × ${s.weeks} weeks × ${s.channels} channels × ${s.controls} controls in ${results.fitSeconds.toFixed(1)} s (${results.epochs} epochs, ${results.engine.variant}, ${threads} thread${threads > 1 ? 's' : ''}).`);
    io.stdout(`             R²      within-region R²   WAPE     skill vs recent mean   skill vs last year`);
    io.stdout(`  train     ${num(t.r2)}   ${num(t.r2_within).padStart(8)}          ${pct(t.wape).padStart(6)}   ${num(t.skill.recent_mean).padStart(8)}               ${num(t.skill.seasonal_naive).padStart(8)}`);
    for (const w of summary.validation)
      io.stdout(`  validation from ${w.first_date} (${w.weeks} weeks): R² ${num(w.r2)}, WAPE ${pct(w.wape)}, skill vs recent mean ${num(w.skill.recent_mean)}, vs last year ${num(w.skill.seasonal_naive)}`);
    io.stdout(`  holdout   ${num(h.r2)}   ${num(h.r2_within).padStart(8)}          ${pct(h.wape).padStart(6)}   ${num(h.skill.recent_mean).padStart(8)}               ${num(h.skill.seasonal_naive).padStart(8)}`);
    io.stdout(`Verdict: ${summary.verdict.text}`);
    const naive = summary.verdict.fallback_holdout;
    if (naive) io.stdout(`  naive forecast on the holdout: R² ${num(naive.r2)}, WAPE ${pct(naive.wape)}`);
    io.stdout(`Media share of the prediction (training weeks): ${pct(summary.media_share)}`);
    if (summary.verdict.media_share_warning) io.stdout(`Warning: ${summary.verdict.media_share_warning}`);
    if (summary.verdict.calibration_warning) io.stdout(`Warning: ${summary.verdict.calibration_warning}`);
    if (summary.verdict.calibration_shift_notice) io.stdout(`Warning: ${summary.verdict.calibration_shift_notice}`);
    if (out) {
      const files = ['summary.json', 'contributions.csv', 'channels.csv', 'response_curves.csv', ...(summary.experiments ? ['experiments.csv'] : []), ...(results.budget ? ['budget.csv'] : []), 'model.mmm'];
      io.stdout(`Wrote ${files.map((f) => join(out, f)).join(', ')}.`);
      if (!results.budget && results.analysis?.budgetMessage) io.stdout(`No budget.csv: ${results.analysis.budgetMessage}`);
    }
  }
  return 0;
}
