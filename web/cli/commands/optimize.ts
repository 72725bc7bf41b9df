// `mmm-studio optimize <model.mmm> [options]` (or `--data file.csv` to fit first): the budget
// optimiser on the model's response curves, checked by a full-model simulation — the same engine
// calls as the app's Budget tab.
import { readFileSync } from 'node:fs';
import type { BudgetBoundInput, BudgetOptions, FitOptions } from '../../src/engine/core-types';
import type { Engine } from '../../src/engine/engine';
import { runFit } from '../../src/engine/fit-runner';
import type { BudgetPlan } from '../../src/engine/results';
import { budgetCsv } from '../../src/export/results-csv';
import { loadBundleForCli } from '../bundle';
import { loadCliEngine } from '../engine';
import { CliUsageError, parseArgs, type CliIo } from '../io';
import { loadCsv, overridesFrom } from '../load-data';
import { revenuePerKpiOf } from './fit';

const USAGE = `Usage: mmm-studio optimize <model.mmm> [--budget B] [--weeks N] [--mode fixed|target-roi|target-mroi]
       [--target T] [--bounds FILE] [--bound-pct P] [--revenue-per-kpi V] [--threads N] [--json | --csv]
   or: mmm-studio optimize --data <file.csv> [--epochs N] [--hidden H] [--seed S] [--holdout-weeks N]
       [--time COL] [--region COL|none] [--kpi COL] [--media COL,...] [--controls COL,...] [same options]

Allocates a budget over the channels with spend so that the model's predicted incremental KPI
(revenue with --revenue-per-kpi) over the next N weeks (default 52) is largest, following the
spend pattern of the data's last N weeks, within per-channel bounds (default ±30 % of current
spend; --bound-pct 0.5 for ±50 %), and checks the plan with a full-model simulation.
  --budget B      total spend over the N weeks (default: the current spend of the last N weeks)
  --mode          fixed (default), target-roi (largest budget with overall ROI >= --target),
                  target-mroi (spend until the marginal ROI falls to --target)
  --bounds FILE   CSV with columns channel,lower,upper,locked (spend over the N weeks; empty cell =
                  default; locked = true keeps the current spend), or a JSON array of such objects
Prints a table (or the plan as JSON with --json, as CSV with --csv). Exit 1 when the request
cannot be met (e.g. bounds that cannot hold the budget), with the reason.`;

/** Splits one CSV line (RFC 4180 quotes). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(cur), (cur = '');
    else cur += ch;
  }
  out.push(cur);
  return out.map((c) => c.trim());
}

export function parseBounds(text: string, file: string): BudgetBoundInput[] {
  const t = text.trim();
  const num = (v: unknown, what: string, line: number): number | null => {
    if (v === null || v === undefined || v === '') return null;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new CliUsageError(`${file}: ${what} on ${line ? `line ${line}` : 'an entry'} is '${v}'; use a number >= 0 or leave it empty`);
    return n;
  };
  const bool = (v: unknown) => v === true || (typeof v === 'string' && /^(true|yes|1|locked)$/i.test(v.trim()));
  if (t.startsWith('[')) {
    let list: unknown;
    try {
      list = JSON.parse(t);
    } catch (err) {
      throw new CliUsageError(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (!Array.isArray(list)) throw new CliUsageError(`${file}: expected a JSON array of {channel, lower, upper, locked}`);
    return list.map((o: Record<string, unknown>, i) => {
      if (!o || typeof o.channel !== 'string') throw new CliUsageError(`${file}: entry ${i + 1} has no "channel"`);
      return { channel: o.channel, lower: num(o.lower, 'lower', 0), upper: num(o.upper, 'upper', 0), locked: bool(o.locked) };
    });
  }
  const lines = t.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!lines.length) return [];
  const header = cells(lines[0]).map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col('channel') < 0) throw new CliUsageError(`${file}: the first line must name the columns, with at least 'channel' (and lower, upper, locked)`);
  return lines.slice(1).map((line, i) => {
    const c = cells(line);
    const at = (name: string) => (col(name) >= 0 ? c[col(name)] ?? '' : '');
    return { channel: at('channel'), lower: num(at('lower'), 'lower', i + 2), upper: num(at('upper'), 'upper', i + 2), locked: bool(at('locked')) };
  });
}

const fmt = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const pct = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(1)} %` : 'n/a');

export function planTable(plan: BudgetPlan): string[] {
  const head = ['channel', 'current', 'optimal', 'change', 'lower', 'upper', 'KPI current', 'KPI optimal', 'mROI'];
  const rows = plan.rows.map((r) => [
    r.channel + (r.locked ? ' (locked)' : ''),
    fmt(r.currentSpend),
    fmt(r.optimalSpend),
    pct(r.changePct),
    fmt(r.lower),
    fmt(r.upper),
    fmt(r.currentKpi),
    fmt(r.predictedKpi),
    Number.isFinite(r.marginalRoi) ? r.marginalRoi.toFixed(3) : 'n/a',
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
  const mode = plan.mode === 'fixed' ? 'fixed budget' : plan.mode === 'target-roi' ? 'target ROI' : 'target marginal ROI';
  const out = [
    `Budget plan (${mode}): ${fmt(plan.budget)} over ${plan.weeks} weeks (current ${fmt(plan.currentBudget ?? plan.rows.reduce((a, r) => a + r.currentSpend, 0))}).`,
    line(head),
    ...rows.map(line),
    `Predicted incremental KPI on the fitted curves: ${fmt(plan.currentKpi)} -> ${fmt(plan.optimalKpi)} (${pct(plan.upliftPct)}).`,
    `Full-model simulation (the last ${plan.weeks} weeks' spend pattern, scaled per channel): ${fmt(plan.simulatedCurrentKpi)} -> ${fmt(plan.simulatedOptimalKpi)} (${pct(plan.simulatedUpliftPct)}).`,
  ];
  if (plan.fixedChannels?.length) out.push(`Kept as they are (no spend or no response curve): ${plan.fixedChannels.join(', ')}.`);
  if (plan.message) out.push(plan.message);
  return out;
}

export async function optimizeCommand(argv: string[], io: CliIo): Promise<number> {
  const { positional, options } = parseArgs(argv, ['json', 'csv', 'help']);
  if (options.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  const dataPath = options.get('data');
  if (dataPath ? positional.length !== 0 : positional.length !== 1)
    throw new CliUsageError(`expected a model bundle (model.mmm) or --data file.csv, not both.\n${USAGE}`);
  const number = (key: string, min: number, max: number, integer = false) => {
    const v = options.get(key);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
      throw new CliUsageError(`--${key} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got '${v}')`);
    return n;
  };
  const mode = (options.get('mode') ?? 'fixed') as BudgetOptions['mode'];
  if (mode !== 'fixed' && mode !== 'target-roi' && mode !== 'target-mroi') throw new CliUsageError(`--mode must be fixed, target-roi or target-mroi (got '${mode}')`);
  const target = number('target', 0, 1e12);
  if (mode !== 'fixed' && !(target !== undefined && target > 0)) throw new CliUsageError(`--mode ${mode} needs --target with a number > 0`);
  const boundsFile = options.get('bounds');
  let bounds: BudgetBoundInput[] | undefined;
  if (boundsFile) {
    let text: string;
    try {
      text = readFileSync(boundsFile, 'utf8');
    } catch {
      throw new CliUsageError(`cannot read '${boundsFile}': no such file`);
    }
    bounds = parseBounds(text, boundsFile);
  }
  const request: BudgetOptions = {
    mode,
    budget: number('budget', 0, 1e15),
    target,
    weeks: number('weeks', 1, 520, true),
    boundPct: number('bound-pct', 0, 10),
    bounds,
  };
  const threads = number('threads', 1, 4, true) ?? 1;
  let revenuePerKpi = number('revenue-per-kpi', 0, 1e12);

  let engine: Engine;
  let sessionId: number;
  if (dataPath) {
    const data = loadCsv(dataPath, overridesFrom(options), number('holdout-weeks', 0, 520, true));
    if (!data.panel) {
      io.stderr(`mmm-studio optimize: ${dataPath} cannot be used for training:`);
      for (const e of data.report.errors) io.stderr(`  [${e.code}] ${e.message}`);
      return 1;
    }
    revenuePerKpi ??= revenuePerKpiOf(data.panel);
    engine = await loadCliEngine(threads);
    sessionId = engine.createSession(data.panel).id;
    const fit: FitOptions = {
      holdoutWeeks: number('holdout-weeks', 0, 520, true),
      seed: number('seed', 0, 2 ** 31, true),
      epochs: number('epochs', 1, 100000, true),
      hidden: number('hidden', 1, 4096, true),
      threads,
    };
    if (!options.has('json')) io.stderr(`Fitting ${dataPath} first (use a saved model.mmm to skip this)…`);
    await runFit(engine, sessionId, fit, { sliceSeconds: 0.5 });
  } else {
    const opened = await loadBundleForCli(positional[0], threads);
    engine = opened.engine;
    sessionId = opened.sessionId;
  }
  try {
    engine.analyze(sessionId, { budget: false, ...(revenuePerKpi ? { revenuePerKpi } : {}) });
    const plan = engine.optimizeBudget(sessionId, request);
    if (options.has('json')) io.stdout(JSON.stringify(plan, null, 2));
    else if (options.has('csv')) io.stdout(budgetCsv(plan, { bom: false })); // no BOM in a pipe
    else for (const l of planTable(plan)) io.stdout(l);
  } finally {
    engine.disposeSession(sessionId);
  }
  return 0;
}
