// `npm run bench:quality`: rolling-origin backtest of the model's forecasts and attribution (issue 12).
//
// For every dataset (datasets.mjs) and each forecast origin o ∈ {T−39, T−26, T−13} (T = the
// dataset's weeks; --origins 1 keeps T−13), weeks [0, o + 13) are written to a CSV and fitted by the
// native driver mmm_bench with holdout_weeks=13 and a fixed seed; the 13 weeks after o are scored:
// the model's pooled R², WAPE, skill vs both naive forecasts and media share (from the driver), and,
// where the truth is known, channel ROAS error and weekly contribution R² (over the training
// weeks). The naive forecasts and an anchored linear baseline (baselines.mjs) are scored on the
// same weeks. Writes bench-results/quality[-label].json and .md; progress goes to stderr.
//
// Usage: node tests/bench/quality/run-quality.mjs [--set tuning|reporting|all] [--only NAME,NAME]
//          [--origins 1|3] [--label L] [--jobs J] [--keep] [--compare LABEL] [key=value ...]
// key=value pairs are FitConfig overrides passed to every fit (e.g. hidden=16 trend=0).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anchoredRidgeForecast, recentMeanForecast, seasonalNaiveForecast } from './baselines.mjs';
import { allDatasets } from './datasets.mjs';
import { BENCH_BIN, ensureDriverBuilt, root, runDriver } from './driver.mjs';
import { attributionScores, scoreForecast } from './metrics.mjs';
import { panelShape, writeFitCsv } from './panel-io.mjs';
import { renderComparison, renderMarkdown, summariseDataset, summariseSet } from './report.mjs';

export const HORIZON = 13;
export const DEFAULT_SEED = 1;
// Keys the harness sets itself (or that name the data): not allowed as overrides.
const RESERVED = new Set(['holdout_weeks', 'holdout_ratio', 'detail', 'path', 'kpi', 'region', 'time', 'media', 'controls', 'spend']);

const USAGE = `Usage: npm run bench:quality -- [--set tuning|reporting|all] [--only NAME,NAME] [--origins 1|3]
         [--label L] [--jobs J] [--keep] [--compare LABEL] [key=value ...]
  --set      datasets to run (default all); tuning chooses defaults, reporting is what the README shows
  --only     comma-separated parts of dataset names (e.g. demo/seed1,roas)
  --origins  3 (default: the 13 weeks after T-39, T-26 and T-13) or 1 (after T-13 only)
  --label    output name: bench-results/quality-<label>.{json,md}
  --jobs     fits run in parallel (default 1)
  --keep     keep the CSV and detail files of every fit (printed at the end)
  --compare  add a table of changes against an earlier run: bench-results/quality-LABEL.json
             ('-' for the unlabelled bench-results/quality.json)
  key=value  FitConfig overrides for every fit, e.g. hidden=16 trend=0 (seed=N replaces the default ${DEFAULT_SEED})`;

export function parseArgs(argv) {
  const opts = { set: 'all', only: null, origins: 3, label: null, jobs: 1, keep: false, compare: null, overrides: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value\n${USAGE}`);
      return argv[++i];
    };
    if (a === '--help' || a === '-h') opts.help = true;
    else if (a === '--set') {
      opts.set = value();
      if (!['tuning', 'reporting', 'all'].includes(opts.set)) throw new Error(`--set must be tuning, reporting or all (got '${opts.set}')`);
    } else if (a === '--only') opts.only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--origins') {
      opts.origins = Number(value());
      if (opts.origins !== 1 && opts.origins !== 3) throw new Error(`--origins must be 1 or 3 (got '${argv[i]}')`);
    } else if (a === '--label') {
      opts.label = value();
      if (!/^[\w.-]+$/.test(opts.label)) throw new Error(`--label may use letters, digits, '.', '_' and '-' only (got '${opts.label}')`);
    } else if (a === '--jobs') {
      opts.jobs = Number(value());
      if (!Number.isInteger(opts.jobs) || opts.jobs < 1 || opts.jobs > 16) throw new Error(`--jobs must be a whole number 1..16 (got '${argv[i]}')`);
    } else if (a === '--keep') opts.keep = true;
    else if (a === '--compare') {
      opts.compare = value();
      if (!/^([\w.-]+|-)$/.test(opts.compare)) throw new Error(`--compare takes a label (letters, digits, '.', '_', '-') or '-' (got '${opts.compare}')`);
    }
    else if (/^[a-z_]+=/.test(a)) {
      const key = a.slice(0, a.indexOf('='));
      if (RESERVED.has(key)) throw new Error(`'${key}' is set by the harness and cannot be overridden`);
      opts.overrides.push(a);
    } else throw new Error(`unknown argument '${a}'\n${USAGE}`);
  }
  return opts;
}

/** The datasets --set and --only select; an --only part that matches nothing is an error. */
/** The options of a bench script's command line (parse throws on a bad one): a bad command line is
 * logged and exits 2; --help prints the usage and gives null. */
export function commandLine(parse, usage, log) {
  let opts;
  try {
    opts = parse(process.argv.slice(2));
  } catch (e) {
    log(e.message);
    process.exit(2);
  }
  if (!opts.help) return opts;
  console.log(usage);
  return null;
}

export function selectDatasets(all, opts) {
  let list = opts.set === 'all' ? all : all.filter((d) => d.set === opts.set);
  if (opts.only) {
    for (const part of opts.only)
      if (!list.some((d) => d.name.includes(part)))
        throw new Error(`--only '${part}' matches no dataset of set '${opts.set}'; names: ${list.map((d) => d.name).join(', ')}`);
    list = list.filter((d) => opts.only.some((part) => d.name.includes(part)));
  }
  return list;
}

/** Forecast origins (first forecast week) for a panel of T weeks. */
export const originsFor = (T, count) => (count === 1 ? [T - HORIZON] : [T - 3 * HORIZON, T - 2 * HORIZON, T - HORIZON]);

/** Weeks [0, weeks) of a panel, sharing nothing mutable with it. */
function truncate(panel, weeks) {
  const cut = (g) => g.map((row) => row.slice(0, weeks));
  return {
    ...panel,
    dates: panel.dates.slice(0, weeks),
    kpi: cut(panel.kpi),
    channels: panel.channels.map((ch) => ({ ...ch, media: cut(ch.media), spend: ch.spend ? cut(ch.spend) : null })),
    controls: panel.controls.map((k) => ({ ...k, values: cut(k.values) })),
    truth: panel.truth ? { contribution: panel.truth.contribution.map(cut) } : null,
  };
}

/** Fits one origin and scores it; throws with the driver's message when the fit fails. */
export async function runOrigin(panel, origin, overrides, dir, tag) {
  const weeks = origin + HORIZON;
  const part = truncate(panel, weeks);
  const csv = join(dir, `${tag}.csv`);
  const detailPath = join(dir, `${tag}.detail.json`);
  const args = ['csv', ...writeFitCsv(part, weeks, csv), `holdout_weeks=${HORIZON}`, `seed=${DEFAULT_SEED}`, 'threads=1', `detail=${detailPath}`, ...overrides];
  const out = await runDriver(args);
  const detail = JSON.parse(readFileSync(detailPath, 'utf8'));
  const trainWeeks = out.fit.train_weeks;
  if (trainWeeks !== origin) throw new Error(`the driver trained on ${trainWeeks} weeks; the origin is week ${origin}`);
  const h = out.fit.holdout;
  const model = {
    r2: h.r2, wape: h.wape, skillRecent: h.skill_recent_mean, skillSeasonal: h.skill_seasonal_naive, r2Within: h.r2_within,
    mediaShare: out.fit.media_share, seconds: out.fit.seconds, epochs: out.fit.epochs_run,
    roasError: null, contributionR2: null, trueMediaShare: null,
  };
  let channels;
  if (part.truth) {
    const contributions = detail.channels.map((c) => detail.contribution[c.name]);
    const a = attributionScores(part, contributions, trainWeeks);
    Object.assign(model, { roasError: a.roasError, contributionR2: a.contributionR2, trueMediaShare: a.trueMediaShare });
    channels = a.channels;
  }
  const score = (forecast) => scoreForecast(part.kpi, forecast, origin, weeks, origin);
  const baselines = {
    recentMean: score(recentMeanForecast(part.kpi, origin)),
    seasonalNaive: score(seasonalNaiveForecast(part.kpi, origin)),
    linear: score(anchoredRidgeForecast(part.kpi, part.controls, origin)),
  };
  return { origin, originDate: panel.dates[origin], trainWeeks, model, baselines, channels, files: [csv, detailPath] };
}

async function main() {
  const t0 = Date.now();
  const log = (m) => process.stderr.write(`[quality] ${m}\n`);
  const opts = commandLine(parseArgs, USAGE, log);
  if (!opts) return;
  const datasets = selectDatasets(allDatasets(), opts);
  const resultPath = (label) => join(root, 'bench-results', `quality${label && label !== '-' ? `-${label}` : ''}`);
  let previous = null;
  if (opts.compare) {
    const file = `${resultPath(opts.compare)}.json`;
    if (!existsSync(file)) {
      log(`--compare ${opts.compare}: ${file} does not exist; run with --label ${opts.compare} first`);
      process.exit(2);
    }
    previous = JSON.parse(readFileSync(file, 'utf8'));
  }
  ensureDriverBuilt(log);
  const dir = mkdtempSync(join(tmpdir(), 'mmm-quality-'));
  log(`${datasets.length} dataset(s), ${opts.origins} origin(s) each, ${opts.jobs} job(s); overrides: ${opts.overrides.join(' ') || 'none'}; work dir ${dir}`);

  const results = [];
  const jobs = [];
  for (const ds of datasets) {
    const entry = { name: ds.name, set: ds.set, source: ds.source, truth: ds.truth, origins: [] };
    results.push(entry);
    try {
      const panel = await ds.load(dir);
      entry.shape = panelShape(panel);
      for (const [i, origin] of originsFor(panel.dates.length, opts.origins).entries())
        jobs.push({ entry, panel, origin, tag: `${ds.name.replace(/[^\w]+/g, '_')}_o${i}` });
    } catch (e) {
      entry.error = e.message;
      log(`${ds.name}: cannot load: ${e.message}`);
    }
  }

  let next = 0;
  let done = 0;
  let abort = null;
  const worker = async () => {
    while (next < jobs.length && !abort) {
      const job = jobs[next++];
      const label = `${job.entry.name} @ ${job.panel.dates[job.origin]}`;
      try {
        const r = await runOrigin(job.panel, job.origin, opts.overrides, dir, job.tag);
        if (!opts.keep) for (const f of r.files) rmSync(f, { force: true });
        delete r.files;
        job.entry.origins.push(r);
        const m = r.model;
        log(`${++done}/${jobs.length} ${label}: ${m.seconds.toFixed(1)} s, R² ${m.r2?.toFixed(3)}, WAPE ${(100 * m.wape).toFixed(1)} %, skill ${m.skillRecent?.toFixed(2)} / ${m.skillSeasonal?.toFixed(2) ?? '—'}, media ${m.mediaShare.toFixed(2)}` +
          `${m.roasError !== null ? `, ROAS err ${(100 * m.roasError).toFixed(0)} %` : ''}; linear skill ${r.baselines.linear.skillRecent.toFixed(2)}`);
      } catch (e) {
        // A bad override fails every fit the same way: stop at the first.
        if (/unknown config key|^option /.test(e.message)) abort = e.message;
        job.entry.origins.push({ origin: job.origin, originDate: job.panel.dates[job.origin], error: e.message });
        log(`${++done}/${jobs.length} ${label}: FAILED: ${e.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.jobs }, worker));
  if (abort) {
    log(`stopped: ${abort}`);
    process.exit(2);
  }
  for (const entry of results) {
    entry.origins.sort((a, b) => a.origin - b.origin);
    if (entry.origins.length) entry.mean = summariseDataset(entry);
  }
  if (!opts.keep) rmSync(dir, { recursive: true, force: true });

  const sets = opts.set === 'all' ? ['tuning', 'reporting'] : [opts.set];
  const result = {
    date: new Date().toISOString(),
    command: `npm run bench:quality --${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    label: opts.label,
    set: opts.set,
    origins: opts.origins,
    overrides: opts.overrides,
    seed: DEFAULT_SEED,
    driver: BENCH_BIN.slice(root.length),
    seconds: (Date.now() - t0) / 1000,
    summary: Object.fromEntries(sets.map((s) => [s, summariseSet(results.filter((d) => d.set === s))])),
    datasets: results,
  };
  const base = resultPath(opts.label);
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(`${base}.json`, JSON.stringify(result, null, 1) + '\n');
  const md = renderMarkdown(result) + (previous ? renderComparison(result, previous, `quality${opts.compare === '-' ? '' : `-${opts.compare}`}.json`) : '');
  writeFileSync(`${base}.md`, md);
  process.stdout.write(md);
  log(`wrote ${base}.json and ${base}.md in ${result.seconds.toFixed(0)} s${opts.keep ? `; fit files kept in ${dir}` : ''}`);
  const failures = results.filter((d) => d.error || d.origins.some((o) => o.error)).length;
  if (failures) {
    log(`${failures} dataset(s) had failures (see the table)`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
