// Calibration to lift experiments on the TUNING set (datasets.mjs), so that calibration defaults
// (calibration_weight, experiment_roi_prior_weight, ...) are chosen on data that is not the
// reporting data (tests/bench/calibration.mjs measures the reporting targets).
//
// For every tuning dataset with truth and priced channels, the last 13 weeks are held out and, for
// each of its (up to) 3 priced channels with the largest training spend, one lift test is built from
// the truth: 8 consecutive weeks centred in the training weeks, in every other region (regions
// 0, 2, 4, ... in the driver's order; a single-region panel: all of it), lift = Σ of the channel's
// true weekly contribution over those regions and weeks (the demo's shipped test is built the same
// way, web/src/calibration/example-experiment.ts), SE = 10 % of the lift. Each test is fitted twice
// by mmm_bench with the same seed: (a) uncalibrated: the experiment given with calibration_weight=0
// and experiment_roi_prior_weight=0 (UNCALIBRATED below: no term is weighted and no ROI prior is
// derived from the test; the model's lift is still reported), (b) calibrated: the experiment with the default weights plus the command line's
// key=value overrides. Scored: the tested channel's ROI error |roi/roi_true − 1| over
// the training weeks (model: the driver's decomposition contribution / spend; truth: Σ true
// contribution / Σ spend, all regions), the mean error of the dataset's other priced channels,
// holdout skill vs the recent-mean naive forecast, the model's lift vs the measured one (z), and
// whether each fit kept the local level.
// Writes bench-results/calibration-tuning-<label>.json; the table goes to stdout, progress to stderr.
// The driver is copied once (under the build lock) and that copy runs every fit, so a rebuild by
// someone else during the run cannot mix two builds (MMM_BENCH_BIN set: that binary, not copied).
//
// `--set reporting` runs the same design on the reporting datasets with truth, to report what a
// setting chosen here does there (never to choose one).
//
// Usage: node tests/bench/quality/calibration-tuning.mjs [--set tuning|reporting] [--label L] [--only SUBSTR,SUBSTR] [--keep] [key=value ...]
//   key=value  FitConfig overrides for the calibrated fit (b) only, e.g. experiment_roi_prior_weight=0.5;
//              seed=N replaces the seed of both fits.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allDatasets } from './datasets.mjs';
import { BENCH_BIN, ensureDriverBuilt, root, runDriver, useDriverBinary } from './driver.mjs';
import { attributionScores, mean, median } from './metrics.mjs';
import { panelShape, writeFitCsv } from './panel-io.mjs';
import { commandLine, DEFAULT_SEED, HORIZON, selectDatasets } from './run-quality.mjs';

export const TEST_WEEKS = 8;
export const RELATIVE_SE = 0.1;
export const REGION_STEP = 2;
export const CHANNELS_PER_DATASET = 3;
export const UNCALIBRATED = ['calibration_weight=0', 'experiment_roi_prior_weight=0'];
// Keys the script sets itself (or that name the data).
const RESERVED = new Set(['holdout_weeks', 'holdout_ratio', 'detail', 'path', 'kpi', 'region', 'time', 'media', 'controls', 'spend', 'experiment', 'threads']);

const USAGE = `Usage: node tests/bench/quality/calibration-tuning.mjs [--set tuning|reporting] [--label L] [--only SUBSTR,SUBSTR] [--keep] [key=value ...]
  --set      the datasets: tuning (default; choose settings here) or reporting (report them only)
  --label    output name: bench-results/calibration-tuning-<label>.json (default 'default')
  --only     comma-separated parts of the set's dataset names (e.g. demo/seed1,multiplicative)
  --keep     keep the CSV and detail files of every fit (printed at the end)
  key=value  FitConfig overrides for the calibrated fit only, e.g. experiment_roi_prior_weight=0.5
             (seed=N replaces the seed ${DEFAULT_SEED} of both fits)`;

export function parseArgs(argv) {
  const opts = { set: 'tuning', label: 'default', only: null, keep: false, seed: DEFAULT_SEED, overrides: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value\n${USAGE}`);
      return argv[++i];
    };
    if (a === '--help' || a === '-h') opts.help = true;
    else if (a === '--set') {
      opts.set = value();
      if (!['tuning', 'reporting'].includes(opts.set)) throw new Error(`--set must be tuning or reporting (got '${opts.set}')`);
    } else if (a === '--label') {
      opts.label = value();
      if (!/^[\w.-]+$/.test(opts.label)) throw new Error(`--label may use letters, digits, '.', '_' and '-' only (got '${opts.label}')`);
    } else if (a === '--only') opts.only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--keep') opts.keep = true;
    else if (/^[a-z_]+=/.test(a)) {
      const key = a.slice(0, a.indexOf('='));
      if (RESERVED.has(key)) throw new Error(`'${key}' is set by the script and cannot be overridden`);
      if (key === 'seed') {
        opts.seed = Number(a.slice(5));
        if (!Number.isInteger(opts.seed) || opts.seed < 0) throw new Error(`seed must be a whole number (got '${a}')`);
      } else opts.overrides.push(a);
    } else throw new Error(`unknown argument '${a}'\n${USAGE}`);
  }
  return opts;
}

// Tuning datasets also fitted as one national series (regions summed), the shape of PyMC-Marketing's
// single-series examples: few weeks, spend confounded with demand, media share near the cap.
export const NATIONAL_FROM = ['gen/confounded_spend/seed1', 'gen/drifting_baseline/seed1', 'demo/seed1'];

/** A panel's regions summed into one (KPI, media, spend and truth summed; controls averaged). */
export function nationalPanel(panel) {
  const sum = (rows) => [Float64Array.from(rows[0], (_, t) => rows.reduce((s, row) => s + row[t], 0))];
  const avg = (rows) => [Float64Array.from(rows[0], (_, t) => rows.reduce((s, row) => s + row[t], 0) / rows.length)];
  return {
    ...panel,
    regions: ['national'],
    kpi: sum(panel.kpi),
    channels: panel.channels.map((c) => ({ ...c, media: sum(c.media), spend: c.spend ? sum(c.spend) : c.spend })),
    controls: panel.controls.map((k) => ({ ...k, values: avg(k.values) })),
    truth: panel.truth ? { ...panel.truth, contribution: panel.truth.contribution.map(sum) } : panel.truth,
    national: true,
  };
}

/** The datasets plus a national aggregate of each NATIONAL_FROM dataset (same set). */
export function withNationalAggregates(list) {
  const extra = list
    .filter((d) => NATIONAL_FROM.includes(d.name))
    .map((d) => ({ ...d, name: `${d.name}/national`, source: `${d.source}, regions summed`, load: async (dir) => nationalPanel(await d.load(dir)) }));
  return [...list, ...extra];
}

/** Panel indices of the regions the driver sees, in its order (first seen in the file = panel order; a region without rows is dropped). */
export function driverRegions(panel, weeks) {
  const out = [];
  panel.kpi.forEach((row, r) => {
    for (let t = 0; t < weeks; t++)
      if (!Number.isNaN(row[t])) {
        out.push(r);
        return;
      }
  });
  return out;
}

/** Σ over regions and weeks [0, weeks) of a grid, counting only region-weeks with a KPI. */
function observedTotal(panel, grid, weeks, regions = null) {
  let s = 0;
  for (const r of regions ?? grid.keys()) for (let t = 0; t < weeks; t++) if (!Number.isNaN(panel.kpi[r][t])) s += grid[r][t];
  return s;
}

/** The priced channels (spend known, training spend > 0, non-zero true contribution), largest training spend first. */
export function pricedChannels(panel, trainWeeks) {
  return panel.channels
    .map((ch, c) => ({ index: c, name: ch.name, spend: ch.spend ? observedTotal(panel, ch.spend, trainWeeks) : 0, truth: observedTotal(panel, panel.truth.contribution[c], trainWeeks) }))
    .filter((c) => c.spend > 0 && c.truth !== 0)
    .sort((a, b) => b.spend - a.spend);
}

/**
 * The lift test of channel c: TEST_WEEKS weeks centred in the training weeks, in every
 * REGION_STEP-th region of the driver's order (all regions when the driver sees one), lift = Σ of
 * the channel's true contribution there (region-weeks with a KPI), SE = RELATIVE_SE of it.
 * Returns { channel, start, end, step, regions (panel indices), lift, se, spend, arg } (arg: mmm_bench's experiment=).
 */
export function liftTest(panel, c, trainWeeks) {
  if (trainWeeks < 2 * TEST_WEEKS) throw new Error(`${trainWeeks} training weeks are too few for a ${TEST_WEEKS}-week test`);
  const start = Math.floor(trainWeeks / 2) - TEST_WEEKS / 2;
  const end = start + TEST_WEEKS - 1;
  const order = driverRegions(panel, panel.dates.length);
  const step = order.length > 1 ? REGION_STEP : 0;
  const regions = step ? order.filter((_, k) => k % step === 0) : order;
  let lift = 0;
  let spend = 0;
  for (const r of regions)
    for (let t = start; t <= end; t++)
      if (!Number.isNaN(panel.kpi[r][t])) {
        lift += panel.truth.contribution[c][r][t];
        spend += panel.channels[c].spend ? panel.channels[c].spend[r][t] : 0;
      }
  const se = RELATIVE_SE * Math.abs(lift);
  const arg = `experiment=${c}:${start}:${end}:${lift}:${se}${step ? `:${step}` : ''}`;
  return { channel: c, start, end, step, regions, lift, se, spend, arg };
}

const relError = (roi, truth) => (Number.isFinite(roi) && truth ? Math.abs(roi / truth - 1) : null);

/** Fits the panel with the lift test and extra arguments; the scores of one run. */
async function fitOnce(panel, test, priced, trueRoi, extra, files, seed) {
  const T = panel.dates.length;
  const args = ['csv', ...writeFitCsv(panel, T, files.csv), `holdout_weeks=${HORIZON}`, `seed=${seed}`, 'threads=1', `detail=${files.detail}`, test.arg, ...extra];
  const out = await runDriver(args);
  const detail = JSON.parse(readFileSync(files.detail, 'utf8'));
  const order = driverRegions(panel, T).map((r) => `r${r}`);
  if (!panel.national && detail.regions.join() !== order.join())
    throw new Error(`the driver's regions (${detail.regions.slice(0, 5).join(',')}…) are not in the expected order (${order.slice(0, 5).join(',')}…)`);
  if (out.fit.train_weeks !== T - HORIZON) throw new Error(`the driver trained on ${out.fit.train_weeks} weeks, expected ${T - HORIZON}`);
  const roi = (c) => detail.channels[c].roi;
  const errors = Object.fromEntries(priced.map((p) => [p.index, relError(roi(p.index), trueRoi[p.index])]));
  const x = out.fit.experiments[0];
  return {
    roi: roi(test.channel),
    error: errors[test.channel],
    othersError: mean(priced.filter((p) => p.index !== test.channel).map((p) => errors[p.index])),
    errors,
    skillRecent: out.fit.holdout.skill_recent_mean,
    skillSeasonal: out.fit.holdout.skill_seasonal_naive,
    lift: x?.model ?? null,
    z: x && x.se > 0 ? (x.model - x.measured) / x.se : null,
    measured: x?.measured ?? null,
    decay: out.fit.adstock_decay?.[test.channel] ?? null,
    mediaShare: out.fit.media_share,
    // Whether the fit kept the local level (FitConfig::select_level chooses it on the validation
    // slice): on national series the choice can flip with calibration and decides the result.
    localLevel: out.fit.local_level ?? null,
    // The media share of the candidate with the level and of the one without it (null when no
    // choice was made): a candidate near FitConfig::media_share_cap is held by the cap.
    shareWithLevel: out.fit.media_share_with_level ?? null,
    shareWithoutLevel: out.fit.media_share_without_level ?? null,
    seconds: out.fit.seconds,
  };
}

/** Summary over tests that have both runs. */
export function summarise(tests) {
  const ok = tests.filter((t) => t.before && t.after && t.before.error !== null && t.after.error !== null);
  const cut = ok.map((t) => (t.before.error > 0 ? 1 - t.after.error / t.before.error : NaN));
  const others = ok.filter((t) => t.before.othersError !== null && t.after.othersError !== null).map((t) => t.after.othersError - t.before.othersError);
  const skill = ok.filter((t) => Number.isFinite(t.before.skillRecent) && Number.isFinite(t.after.skillRecent)).map((t) => t.after.skillRecent - t.before.skillRecent);
  const absZ = (k) => median(ok.map((t) => (t[k].z === null ? NaN : Math.abs(t[k].z))));
  return {
    tests: ok.length,
    failed: tests.length - ok.length,
    medianCut: median(cut),
    meanCut: mean(cut.filter(Number.isFinite)),
    improved: ok.filter((t) => t.after.error < t.before.error).length,
    worsened: ok.filter((t) => t.after.error > t.before.error).length,
    medianErrorBefore: median(ok.map((t) => t.before.error)),
    medianErrorAfter: median(ok.map((t) => t.after.error)),
    medianOthersChange: median(others),
    meanSkillChange: mean(skill),
    worstSkillChange: skill.length ? Math.min(...skill) : null,
    medianAbsZBefore: absZ('before'),
    medianAbsZAfter: absZ('after'),
    levelChanged: ok.filter((t) => t.before.localLevel !== t.after.localLevel).length,
  };
}

const f = (x, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));
const pct = (x, d = 0) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(d)}%`);
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

export function renderTable(result) {
  const lines = [];
  const head = `${pad('dataset', 34)} ${pad('channel', 10)} ${lpad('trueROI', 8)} ${lpad('err before→after', 17)} ${lpad('cut', 6)} ${lpad('others b→a', 12)} ${lpad('skill b→a', 13)} ${lpad('lift meas', 10)} ${lpad('model b (z)', 17)} ${lpad('model a (z)', 17)} ${lpad('level', 6)} ${lpad('s', 5)}`;
  lines.push(head, '-'.repeat(head.length));
  for (const t of result.tests) {
    const left = `${pad(t.dataset, 34)} ${pad(t.channelName, 10)} ${lpad(f(t.trueRoi, 3), 8)}`;
    if (!t.before || !t.after) {
      lines.push(`${left} FAILED: ${t.error}`);
      continue;
    }
    const b = t.before;
    const a = t.after;
    const cut = b.error > 0 ? 1 - a.error / b.error : NaN;
    const model = (r) => `${f(r.lift, 0)} (${f(r.z, 1)})`;
    const level = (r) => (r.localLevel === null ? '?' : r.localLevel ? 'y' : 'n');
    lines.push(`${left} ${lpad(`${pct(b.error)} → ${pct(a.error)}`, 17)} ${lpad(pct(cut), 6)} ${lpad(`${pct(b.othersError)}→${pct(a.othersError)}`, 12)} ${lpad(`${f(b.skillRecent)}→${f(a.skillRecent)}`, 13)} ${lpad(f(t.test.lift, 0), 10)} ${lpad(model(b), 17)} ${lpad(model(a), 17)} ${lpad(`${level(b)}→${level(a)}`, 6)} ${lpad(f(b.seconds + a.seconds, 1), 5)}`);
  }
  const s = result.summary;
  lines.push('', `Summary (${result.set ?? 'tuning'} set, ${s.tests} tests${s.failed ? `, ${s.failed} failed` : ''}; uncalibrated: ${result.uncalibrated.join(' ')}; calibrated: defaults${result.overrides.length ? ` + ${result.overrides.join(' ')}` : ''}; seed ${result.seed}):`);
  lines.push(`  tested channel's ROI error: median ${pct(s.medianErrorBefore, 1)} → ${pct(s.medianErrorAfter, 1)}; relative cut median ${pct(s.medianCut)}, mean ${pct(s.meanCut)}; improved ${s.improved}, worsened ${s.worsened}`);
  lines.push(`  other priced channels' mean ROI error: median change ${s.medianOthersChange === null ? '—' : `${s.medianOthersChange >= 0 ? '+' : ''}${(100 * s.medianOthersChange).toFixed(1)} pt`}`);
  lines.push(`  holdout skill vs recent mean: mean change ${f(s.meanSkillChange, 3)}, worst ${f(s.worstSkillChange, 3)}`);
  lines.push(`  |z| of the model's lift: median ${f(s.medianAbsZBefore, 1)} → ${f(s.medianAbsZAfter, 1)}`);
  lines.push(`  local level kept (y) or not (n), uncalibrated → calibrated: the choice changed in ${s.levelChanged} of ${s.tests} tests`);
  lines.push(`  ${result.seconds.toFixed(0)} s in all`);
  return lines.join('\n') + '\n';
}

async function main() {
  const t0 = Date.now();
  const log = (m) => process.stderr.write(`[cal-tuning] ${m}\n`);
  const opts = commandLine(parseArgs, USAGE, log);
  if (!opts) return;
  let datasets;
  try {
    datasets = selectDatasets(withNationalAggregates(allDatasets()), { set: opts.set, only: opts.only });
  } catch (e) {
    log(e.message);
    process.exit(2);
  }
  const skipped = datasets.filter((d) => !d.truth).map((d) => ({ dataset: d.name, reason: 'no truth' }));
  datasets = datasets.filter((d) => d.truth);
  // The driver is used as built (rebuilt only when missing, not when stale), from a copy taken under
  // the build lock, which every fit of this run uses (MMM_BENCH_BIN set: that binary, not copied).
  if (!existsSync(BENCH_BIN)) ensureDriverBuilt(log);
  const driver = `${BENCH_BIN} (built ${new Date(statSync(BENCH_BIN).mtimeMs).toISOString()})`;
  let snapDir = null;
  if (!process.env.MMM_BENCH_BIN) {
    snapDir = mkdtempSync(join(tmpdir(), 'mmm-cal-tuning-bin-'));
    const snap = join(snapDir, 'mmm_bench');
    const hasFlock = spawnSync('sh', ['-c', 'command -v flock'], { stdio: 'ignore' }).status === 0;
    if (hasFlock) spawnSync('flock', ['/tmp/mmm-build.lock', 'cp', BENCH_BIN, snap], { stdio: 'inherit' });
    else copyFileSync(BENCH_BIN, snap);
    chmodSync(snap, 0o755);
    useDriverBinary(snap);
  }
  const dir = mkdtempSync(join(tmpdir(), 'mmm-cal-tuning-'));
  log(`${datasets.length} ${opts.set} dataset(s) with truth; seed ${opts.seed}; calibrated-fit overrides: ${opts.overrides.join(' ') || 'none'}; work dir ${dir}`);

  const tests = [];
  let abort = null;
  for (const ds of datasets) {
    if (abort) break;
    let panel;
    try {
      panel = await ds.load(dir);
    } catch (e) {
      log(`${ds.name}: cannot load: ${e.message}`);
      skipped.push({ dataset: ds.name, reason: `cannot load: ${e.message}` });
      continue;
    }
    if (!panel.truth) {
      skipped.push({ dataset: ds.name, reason: 'no truth' });
      continue;
    }
    const T = panel.dates.length;
    const trainWeeks = T - HORIZON;
    const priced = pricedChannels(panel, trainWeeks);
    if (!priced.length) {
      skipped.push({ dataset: ds.name, reason: 'no priced channel' });
      continue;
    }
    const trueRoi = Object.fromEntries(attributionScores(panel, panel.truth.contribution, trainWeeks).channels.map((c, i) => [i, c.trueRoas]));
    for (const p of priced.slice(0, CHANNELS_PER_DATASET)) {
      if (abort) break;
      const tag = `${ds.name.replace(/[^\w]+/g, '_')}_c${p.index}`;
      const entry = { dataset: ds.name, shape: panelShape(panel), channel: p.index, channelName: p.name, trueRoi: trueRoi[p.index], trainWeeks };
      tests.push(entry);
      try {
        const test = liftTest(panel, p.index, trainWeeks);
        entry.test = { start: test.start, end: test.end, startDate: panel.dates[test.start], endDate: panel.dates[test.end], step: test.step, regions: test.regions.length, lift: test.lift, se: test.se, spend: test.spend, arg: test.arg };
        if (!(test.lift > 0)) throw new Error(`the true lift is ${test.lift}; a lift test needs a positive effect`);
        const files = (k) => ({ csv: join(dir, `${tag}.csv`), detail: join(dir, `${tag}.${k}.detail.json`) });
        entry.before = await fitOnce(panel, test, priced, trueRoi, UNCALIBRATED, files('before'), opts.seed);
        entry.after = await fitOnce(panel, test, priced, trueRoi, opts.overrides, files('after'), opts.seed);
        const b = entry.before;
        const a = entry.after;
        log(`${tests.length} ${ds.name} ${p.name}: ROI err ${pct(b.error)} → ${pct(a.error)}, others ${pct(b.othersError)} → ${pct(a.othersError)}, skill ${f(b.skillRecent)} → ${f(a.skillRecent)}, lift ${f(test.lift, 0)}: model ${f(b.lift, 0)} (z ${f(b.z, 1)}) → ${f(a.lift, 0)} (z ${f(a.z, 1)}); ${f(b.seconds + a.seconds, 1)} s`);
      } catch (e) {
        if (/unknown config key|^(mmm_bench: )?option /.test(e.message)) abort = e.message;
        entry.error = e.message;
        log(`${tests.length} ${ds.name} ${p.name}: FAILED: ${e.message}`);
      }
    }
  }
  if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  if (snapDir) rmSync(snapDir, { recursive: true, force: true });
  if (abort) {
    log(`stopped: ${abort}`);
    process.exit(2);
  }
  const result = {
    date: new Date().toISOString(),
    command: `node tests/bench/quality/calibration-tuning.mjs${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    label: opts.label,
    set: opts.set,
    seed: opts.seed,
    overrides: opts.overrides,
    driver,
    uncalibrated: UNCALIBRATED,
    design: { holdoutWeeks: HORIZON, testWeeks: TEST_WEEKS, regionStep: REGION_STEP, relativeSe: RELATIVE_SE, channelsPerDataset: CHANNELS_PER_DATASET },
    seconds: (Date.now() - t0) / 1000,
    summary: summarise(tests),
    skipped,
    tests,
  };
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  const out = join(root, 'bench-results', `calibration-tuning-${opts.label}.json`);
  writeFileSync(out, JSON.stringify(result, null, 1) + '\n');
  process.stdout.write(renderTable(result));
  for (const s of skipped) process.stdout.write(`  skipped ${s.dataset}: ${s.reason}\n`);
  log(`wrote ${out}${opts.keep ? `; fit files kept in ${dir}` : ''}`);
  if (tests.some((t) => t.error)) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
