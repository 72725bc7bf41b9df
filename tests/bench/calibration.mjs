#!/usr/bin/env node
// Calibration targets of issue 13, measured through the CLI (`fit --experiments`):
//  (a) PyMC-Marketing's mmm_roas_data (confounded through the hidden z, which the model does not
//      see; true ROAS x1 93.4, x2 171.4 over all weeks): one lift test on x1 over 8 training weeks,
//      lift = Σ (y − y01) over those weeks (the file's counterfactual without x1), SE 10 % of it.
//      Target: x1's ROAS error falls by ≥ 50 % against the uncalibrated fit, and x2 ranks above x1.
//  (b) the example data: the lift test shipped with it (`demo --out`: Search, 8 weeks, half of the
//      regions, from the generator's truth). Target: Search's ROI error falls by ≥ 50 %.
//  (c) in both, holdout skill (vs the recent mean and vs last year) falls by at most 0.05.
// ROAS / ROI is the analysis's: contribution / spend over the whole data (summary.json economics).
// Each case is two fits with the same seed: without the experiment, and with it.
//
//   node tests/bench/calibration.mjs            (needs the CLI: npm run build)
//   MMM_CAL_SEEDS=42,7,3 node tests/bench/calibration.mjs   (more seeds; default 42)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'web/cli/bin.mjs');
const dataDir = process.env.MMM_DATA_DIR ?? '/work/shared/data';
const seeds = (process.env.MMM_CAL_SEEDS ?? '42').split(',').map(Number);
const work = mkdtempSync(join(tmpdir(), 'mmm-calibration-'));
const HOLDOUT_WEEKS = 13;
const TEST_WEEKS = 8;

function fit(args) {
  const out = execFileSync(process.execPath, [cli, 'fit', ...args, '--json', '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return JSON.parse(out);
}

const roiOf = (summary, channel) => summary.economics.find((e) => e.channel === channel)?.roi ?? null;
const skill = (summary) => summary.holdout.skill;

/** Before/after figures of one case. */
function compare(name, target, truth, plain, calibrated) {
  const channels = Object.keys(truth).map((c) => {
    const before = roiOf(plain, c);
    const after = roiOf(calibrated, c);
    return { channel: c, truth: truth[c], before, after, errorBefore: Math.abs(before - truth[c]) / truth[c], errorAfter: Math.abs(after - truth[c]) / truth[c] };
  });
  const t = channels.find((c) => c.channel === target);
  const reduction = 1 - t.errorAfter / t.errorBefore;
  const skillDrop = {
    recent_mean: skill(plain).recent_mean - skill(calibrated).recent_mean,
    seasonal_naive: skill(plain).seasonal_naive - skill(calibrated).seasonal_naive,
  };
  const x = calibrated.experiments[0];
  return {
    name, channels, target, errorReduction: reduction,
    experiment: { measured: x.measured, se: x.measured_se, modelBefore: x.model_before, modelAfter: x.model_after, zBefore: x.z_before, zAfter: x.z_after, roiGapSe: x.roi_gap_se, agrees: x.agrees },
    calibrationWarning: calibrated.verdict.calibration_warning,
    holdoutSkillBefore: skill(plain), holdoutSkillAfter: skill(calibrated), skillDrop,
    passes: { errorHalved: reduction >= 0.5, skillKept: Math.max(skillDrop.recent_mean, skillDrop.seasonal_naive) <= 0.05 },
    seconds: { plain: plain.fit_seconds, calibrated: calibrated.fit_seconds },
  };
}

function pymcCase(seed) {
  const file = join(dataDir, 'pymc-marketing/mmm_roas_data.csv');
  const rows = Papa.parse(readFileSync(file, 'utf8'), { header: true, dynamicTyping: true, skipEmptyLines: true }).data;
  const trainWeeks = rows.length - HOLDOUT_WEEKS;
  // 8 weeks in the middle of the training weeks.
  const start = Math.floor(trainWeeks / 2) - TEST_WEEKS / 2;
  const window = rows.slice(start, start + TEST_WEEKS);
  const lift = window.reduce((s, r) => s + (r.y - r.y01), 0);
  const experiments = join(work, 'pymc.experiments.csv');
  writeFileSync(experiments, `channel,start,end,lift,lift_se\nx1,${window[0].date},${window.at(-1).date},${lift},${0.1 * lift}\n`);
  // True ROAS over all weeks: Σ (y − y0k) / Σ xk.
  const roas = (k) => rows.reduce((s, r) => s + (r.y - r[`y0${k}`]), 0) / rows.reduce((s, r) => s + r[`x${k}`], 0);
  const truth = { x1: roas(1), x2: roas(2) };
  const base = [file, '--time', 'date', '--kpi', 'y', '--media', 'x1,x2', '--controls', 'cs,cc', '--region', 'none', '--seed', String(seed), '--holdout-weeks', String(HOLDOUT_WEEKS)];
  const plain = fit(base);
  const calibrated = fit([...base, '--experiments', experiments, '--skip-uncalibrated']);
  const result = compare(`pymc/mmm_roas_data seed ${seed}`, 'x1', truth, plain, calibrated);
  const after = Object.fromEntries(result.channels.map((c) => [c.channel, c.after]));
  result.passes.x2AboveX1 = after.x2 > after.x1;
  result.test = { weeks: `${window[0].date}..${window.at(-1).date}`, lift };
  return result;
}

function demoCase(seed) {
  const csv = join(work, `demo-${seed}.csv`);
  execFileSync(process.execPath, [cli, 'demo', '--out', csv, '--seed', String(seed)], { encoding: 'utf8' });
  const truthJson = JSON.parse(readFileSync(csv.replace(/\.csv$/, '.truth.json'), 'utf8'));
  const truth = Object.fromEntries(truthJson.channels.map((c) => [c.channel, c.roi]));
  const experiments = csv.replace(/\.csv$/, '.experiments.csv');
  const base = [csv, '--seed', String(seed), '--holdout-weeks', String(HOLDOUT_WEEKS)];
  const plain = fit(base);
  const calibrated = fit([...base, '--experiments', experiments, '--skip-uncalibrated']);
  return compare(`demo seed ${seed}`, 'Search', truth, plain, calibrated);
}

const f = (x, d = 2) => (x === null || x === undefined ? 'n/a' : x.toFixed(d));
const results = [];
for (const seed of seeds) for (const run of [pymcCase, demoCase]) {
  const r = run(seed);
  results.push(r);
  const t = r.channels.find((c) => c.channel === r.target);
  console.log(`${r.name}: ${r.target} ROI ${f(t.before)} → ${f(t.after)} (true ${f(t.truth)}), error ${f(100 * t.errorBefore, 1)} % → ${f(100 * t.errorAfter, 1)} % `
    + `(cut by ${f(100 * r.errorReduction, 0)} %, target ≥ 50 %: ${r.passes.errorHalved ? 'met' : 'MISSED'})`);
  for (const c of r.channels.filter((c) => c.channel !== r.target && (r.name.startsWith('pymc') || c.channel === 'TV')))
    console.log(`  ${c.channel} ROI ${f(c.before)} → ${f(c.after)} (true ${f(c.truth)})`);
  if ('x2AboveX1' in r.passes) console.log(`  x2 ranks above x1 after calibration: ${r.passes.x2AboveX1 ? 'yes' : 'NO'}`);
  console.log(`  lift test: measured ${f(r.experiment.measured, 0)} ± ${f(r.experiment.se, 0)}, model ${f(r.experiment.modelAfter, 0)} after (z ${f(r.experiment.zAfter)}); `
    + `whole-period ROI vs the test's: ${f(r.experiment.roiGapSe)} SE; ${r.experiment.agrees ? 'agrees (no warning)' : 'the model warns that it disagrees'}`);
  console.log(`  holdout skill vs recent mean ${f(r.holdoutSkillBefore.recent_mean, 3)} → ${f(r.holdoutSkillAfter.recent_mean, 3)}, vs last year ${f(r.holdoutSkillBefore.seasonal_naive, 3)} → ${f(r.holdoutSkillAfter.seasonal_naive, 3)} `
    + `(fall ≤ 0.05: ${r.passes.skillKept ? 'met' : 'MISSED'}); fits ${f(r.seconds.plain, 1)} s and ${f(r.seconds.calibrated, 1)} s`);
}
writeFileSync(join(work, 'calibration.json'), JSON.stringify(results, null, 2));
console.log(`\nAll figures: ${join(work, 'calibration.json')}`);
