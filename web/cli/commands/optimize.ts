// `mmm-studio optimize <model.mmm> [options]` (or `--data file.csv` to fit first): the budget
// optimiser on the model's response curves, checked by a full-model simulation — the same engine
// calls as the app's Budget tab.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { BudgetBoundInput, BudgetOptions } from '../../src/engine/core-types';
import type { Engine } from '../../src/engine/engine';
import type { BudgetPlan } from '../../src/engine/results';
import { budgetCsv } from '../../src/export/results-csv';
import { parseCommandArgs, type CommandSpec, type OptionSpec } from '../args';
import { loadBundleForCli } from '../bundle';
import { loadCliEngine } from '../engine';
import { CliUsageError, inputName, type CliIo } from '../io';
import { loadCsv, overridesFrom } from '../load-data';
import { createProgress } from '../progress';
import { fitOptionsFrom, fitWithProgress, revenuePerKpiOf, TRAINING_OPTIONS, TRAINING_USAGE } from './fit';

const OPTIMIZE_OPTIONS = {
  data: { type: 'string' },
  budget: { type: 'string' },
  weeks: { type: 'string' },
  mode: { type: 'string' },
  target: { type: 'string' },
  bounds: { type: 'string' },
  'bound-pct': { type: 'string' },
  'revenue-per-kpi': { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  ...TRAINING_OPTIONS,
} as const satisfies Record<string, OptionSpec>;

const USAGE = `Usage: mmm-studio optimize <model.mmm> [options]
   or: mmm-studio optimize --data <file.csv | -> [training options] [options]

Allocates a budget over the channels with spend so that the model's predicted incremental KPI
(revenue with --revenue-per-kpi) over the next N weeks (default 52) is largest, following the
spend pattern of the data's last N weeks, within per-channel bounds (default ±30 % of current
spend), and checks the plan with a full-model simulation. Prints a table; exit 1 when the request
cannot be met (e.g. bounds that cannot hold the budget), with the reason.
  --budget B           total spend over the N weeks (default: the current spend of those weeks)
  --weeks N            weeks to plan (default 52)
  --mode M             fixed (default), target-roi (largest budget with overall ROI >= --target)
                       or target-mroi (spend until the marginal ROI falls to --target)
  --target T           the ROI or marginal ROI for --mode target-roi / target-mroi
  --bounds FILE        CSV with columns channel,lower,upper,locked (spend over the N weeks; an
                       empty cell = default; locked = true keeps the current spend), or a JSON
                       array of such objects
  --bound-pct P        default bounds as a fraction of current spend (0.5 = ±50 %)
  --revenue-per-kpi V  revenue per KPI unit, to optimise revenue (default: from the data's
                       revenue-per-KPI column when mapped)
  --json               print the plan as JSON
  --csv                print the plan as CSV
  --data FILE          fit this CSV first ('-': standard input) instead of opening a model.mmm,
                       with the training options:
${TRAINING_USAGE}
  -h, --help           this help`;

export const OPTIMIZE: CommandSpec<typeof OPTIMIZE_OPTIONS> = {
  name: 'optimize',
  options: OPTIMIZE_OPTIONS,
  positionals: { min: 0, max: 1, what: 'one model bundle (model.mmm), or none with --data' },
  usage: USAGE,
};

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
  const parsed = Papa.parse<string[]>(t, { skipEmptyLines: 'greedy' });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal) throw new CliUsageError(`${file}: CSV error on line ${(fatal.row ?? 0) + 1}: ${fatal.message}`);
  const [headerRow, ...rows] = parsed.data.map((r) => r.map((c) => c.trim()));
  if (!headerRow) return [];
  const header = headerRow.map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col('channel') < 0) throw new CliUsageError(`${file}: the first line must name the columns, with at least 'channel' (and lower, upper, locked)`);
  return rows.map((c, i) => {
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
  const args = parseCommandArgs(argv, OPTIMIZE, io);
  if (!args) return 0;
  const dataPath = args.string('data');
  if (dataPath ? args.positional.length !== 0 : args.positional.length !== 1)
    throw new CliUsageError('expected a model bundle (model.mmm) or --data file.csv, not both', USAGE);
  const fitOnly = (Object.keys(TRAINING_OPTIONS) as (keyof typeof TRAINING_OPTIONS)[]).filter((k) => k !== 'threads' && k !== 'quiet' && args.has(k));
  if (!dataPath && fitOnly.length) throw new CliUsageError(`${fitOnly.map((k) => `--${k}`).join(', ')} only appl${fitOnly.length > 1 ? 'y' : 'ies'} with --data (a saved model is already fitted)`, USAGE);
  if (args.flag('json') && args.flag('csv')) throw new CliUsageError('--json and --csv cannot be combined: pick one output format', USAGE);
  const mode = args.choice('mode', ['fixed', 'target-roi', 'target-mroi'] as const) ?? 'fixed';
  const target = args.number('target', 0, 1e12);
  if (mode !== 'fixed' && !(target !== undefined && target > 0)) throw new CliUsageError(`--mode ${mode} needs --target with a number > 0`);
  const boundsFile = args.string('bounds');
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
    budget: args.number('budget', 0, 1e15),
    target,
    weeks: args.int('weeks', 1, 520),
    boundPct: args.number('bound-pct', 0, 10),
    bounds,
  };
  const fit = fitOptionsFrom(args);
  const threads = fit.threads ?? 1;
  let revenuePerKpi = args.number('revenue-per-kpi', 0, 1e12);

  const progress = createProgress(io, { quiet: args.flag('quiet'), label: 'optimize' });
  let engine: Engine;
  let sessionId: number;
  if (dataPath) {
    const data = await loadCsv(dataPath, io, overridesFrom(args), fit.holdoutWeeks);
    if (!data.panel) {
      io.stderr(`mmm-studio optimize: ${inputName(dataPath)} cannot be used for training:`);
      for (const e of data.report.errors) io.stderr(`  [${e.code}] ${e.message}`);
      return 1;
    }
    revenuePerKpi ??= revenuePerKpiOf(data.panel);
    engine = await loadCliEngine(threads);
    sessionId = engine.createSession(data.panel).id;
    progress.note(`fitting ${inputName(dataPath)} first (a saved model.mmm skips this)`);
    try {
      await fitWithProgress(engine, sessionId, fit, progress);
    } finally {
      progress.end();
    }
  } else {
    const opened = await loadBundleForCli(args.positional[0], io, threads);
    engine = opened.engine;
    sessionId = opened.sessionId;
  }
  try {
    progress.note('response curves and the plan…');
    engine.analyze(sessionId, { budget: false, ...(revenuePerKpi ? { revenuePerKpi } : {}) });
    const plan = engine.optimizeBudget(sessionId, request);
    progress.end();
    if (args.flag('json')) io.stdout(JSON.stringify(plan, null, 2));
    else if (args.flag('csv')) io.stdout(budgetCsv(plan, { bom: false })); // no BOM in a pipe
    else for (const l of planTable(plan)) io.stdout(l);
  } finally {
    engine.disposeSession(sessionId);
  }
  return 0;
}
