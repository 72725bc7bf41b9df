// `mmm-studio fit <file.csv> [options]`: the same inference, validation and wasm core as the app.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FitOptions } from '../../src/engine/core-types';
import { runFit, toModelResults, withAnalysis } from '../../src/engine/fit-runner';
import type { Metrics, ModelResults } from '../../src/engine/results';
import { exportModelBundle } from '../../src/export/model-bundle';
import { budgetCsv, channelsCsv, contributionsCsv, responseCurvesCsv } from '../../src/export/results-csv';
import { APP_VERSION } from '../../src/version';
import { loadCliEngine } from '../engine';
import { CliUsageError, parseArgs, type CliIo } from '../io';
import { loadCsv, overridesFrom } from '../load-data';

const USAGE = `Usage: mmm-studio fit <file.csv> [--holdout-weeks N] [--seed S] [--epochs N] [--hidden H]
       [--dag triangular|notears] [--threads N] [--out DIR] [--json]
       [--time COL] [--region COL|none] [--kpi COL] [--media COL,COL,...] [--controls COL,...]

Trains the model on the CSV (columns detected as in the app; the options override the detection)
and prints train and holdout accuracy. With --out, writes summary.json (with channel economics),
contributions.csv, channels.csv (totals, shares, ROI, marginal ROI), response_curves.csv,
budget.csv (optimal allocation of the current budget over the last 52 weeks) and the model
bundle model.mmm.`;

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

export function fitSummary(r: ModelResults) {
  return {
    shape: r.shape,
    train: metricsJson(r.metrics.train),
    holdout: metricsJson(r.metrics.holdout),
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
  };
}

export async function fitCommand(argv: string[], io: CliIo): Promise<number> {
  const { positional, options } = parseArgs(argv, ['json', 'help']);
  if (options.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  if (positional.length !== 1) throw new CliUsageError(`expected one CSV file.\n${USAGE}`);
  const int = (key: string, min: number, max: number) => {
    const v = options.get(key);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new CliUsageError(`--${key} must be a whole number from ${min} to ${max} (got '${v}')`);
    return n;
  };
  const dag = options.get('dag');
  if (dag !== undefined && dag !== 'triangular' && dag !== 'notears') throw new CliUsageError(`--dag must be 'triangular' or 'notears' (got '${dag}')`);
  const threads = int('threads', 1, 4) ?? 1;
  const fitOptions: FitOptions = {
    holdoutWeeks: int('holdout-weeks', 0, 520),
    seed: int('seed', 0, 2 ** 31),
    epochs: int('epochs', 1, 100000),
    hidden: int('hidden', 1, 4096),
    dagMode: dag as FitOptions['dagMode'],
    threads,
  };
  const data = loadCsv(positional[0], overridesFrom(options), fitOptions.holdoutWeeks);
  if (!data.panel) {
    io.stderr(`mmm-studio fit: ${positional[0]} cannot be used for training:`);
    for (const e of data.report.errors) io.stderr(`  [${e.code}]${e.column ? ` (column "${e.column}")` : ''}${e.rows?.length ? ` rows ${e.rows.slice(0, 8).join(', ')}` : ''} ${e.message}`);
    io.stderr(`Run 'mmm-studio inspect ${positional[0]}' for the full report.`);
    return 1;
  }
  const engine = await loadCliEngine(threads);
  const session = engine.createSession(data.panel);
  const json = options.has('json');
  let lastPrint = 0;
  const core = await runFit(engine, session.id, fitOptions, {
    sliceSeconds: 0.5,
    onProgress: (p) => {
      if (json || p.elapsedSeconds - lastPrint < 2) return;
      lastPrint = p.elapsedSeconds;
      io.stderr(`  epoch ${p.epoch}/${p.totalEpochs}  ${p.elapsedSeconds.toFixed(0)} s`);
    },
  });
  const results = withAnalysis(engine, session.id, toModelResults(core, { variant: engine.variant, threads }), { revenuePerKpi: revenuePerKpiOf(data.panel) });
  const summary = fitSummary(results);
  const out = options.get('out');
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    writeFileSync(join(out, 'contributions.csv'), contributionsCsv(results));
    writeFileSync(join(out, 'channels.csv'), channelsCsv(results));
    writeFileSync(join(out, 'response_curves.csv'), responseCurvesCsv(results));
    if (results.budget) writeFileSync(join(out, 'budget.csv'), budgetCsv(results.budget));
    const csvName = basename(positional[0]);
    const bundle = await exportModelBundle(engine, session.id, results, { dataName: csvName, mapping: data.mapping, data: null, appVersion: APP_VERSION });
    writeFileSync(join(out, 'model.mmm'), bundle);
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
    io.stdout(`  holdout   ${num(h.r2)}   ${num(h.r2_within).padStart(8)}          ${pct(h.wape).padStart(6)}   ${num(h.skill.recent_mean).padStart(8)}               ${num(h.skill.seasonal_naive).padStart(8)}`);
    if (out) {
      const files = ['summary.json', 'contributions.csv', 'channels.csv', 'response_curves.csv', ...(results.budget ? ['budget.csv'] : []), 'model.mmm'];
      io.stdout(`Wrote ${files.map((f) => join(out, f)).join(', ')}.`);
      if (!results.budget && results.analysis?.budgetMessage) io.stdout(`No budget.csv: ${results.analysis.budgetMessage}`);
    }
  }
  return 0;
}
