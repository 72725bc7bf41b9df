// Coverage of the ensemble's ROI intervals on data with known truth (issue 13): the share of true
// channel ROIs inside the 90 % intervals, and the median interval width relative to the ROI.
// Datasets: the built-in demo (`mmm-studio demo`, truth in <out>.truth.json) at data seeds 1-12,
// mmm-param-recovery/growing_business (truth: total_roas_by_channel_all_geos) and the variants below. Each dataset is
// fitted once with `fit --ensemble KMAX` through the built CLI; members are nested (member k is the
// same fit whatever K is), so the first K members of that run give the ensemble of size K. Also the
// quality harness's generator variants (which do not share the model's form) at seeds 1 and 2. The
// widening factor is chosen on the TUNING data, demo seeds 1-5 and the variants at seed 1 together
// (the smallest factor on the grid whose coverage there reaches the target), and reported on the
// HELD-OUT demo seeds, the variants at seed 2 and growing_business.
//   node tests/bench/coverage.mjs            (KMAX=10; writes bench-results/coverage.json)
//   MMM_COVERAGE_KMAX=8 MMM_COVERAGE_SEEDS=1-6 node tests/bench/coverage.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { VARIANTS, generateVariant } from './quality/generators.mjs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'web/cli/bin.mjs');
const { nonNegativeInterval } = await import(new URL('../../build/cli/mmm-studio.mjs', import.meta.url).href);

const KMAX = Number(process.env.MMM_COVERAGE_KMAX ?? 10);
const [seedFrom, seedTo] = (process.env.MMM_COVERAGE_SEEDS ?? '1-12').split('-').map(Number);
const TUNING_LAST_SEED = 5; // seeds 1-5 tune the widening; the rest are held out
const LEVEL = 0.9;
const TARGET = 0.85; // tuned a little above the 80 % so held-out data keeps a margin
const SIZES = [3, 5, 8, 10].filter((k) => k <= KMAX);
const WIDEN_GRID = Array.from({ length: 37 }, (_, i) => 1 + i * 0.25);
const GROWING = join(root, '../shared/data/mmm-param-recovery/growing_business_inputs.csv');
const work = process.env.MMM_COVERAGE_DIR ?? join(root, 'bench-results/coverage-runs');
mkdirSync(work, { recursive: true });

const cli = (args) => execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/** Fits a CSV with the ensemble (reusing an earlier run of the same size in the work folder). */
function ensembleRun(csv, name, mapping = []) {
  const out = join(work, `${name}-k${KMAX}`);
  if (!existsSync(join(out, 'summary.json'))) {
    console.error(`coverage: fitting ${name} with ${KMAX} ensemble members…`);
    cli(['fit', csv, ...mapping, '--ensemble', String(KMAX), '--out', out, '--quiet']);
  }
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
}

function demoDataset(seed) {
  const csv = join(work, `demo-seed${seed}.csv`);
  if (!existsSync(csv)) cli(['demo', '--out', csv, '--seed', String(seed)]);
  const truth = JSON.parse(readFileSync(csv.replace(/\.csv$/, '.truth.json'), 'utf8'));
  return { name: `demo seed ${seed}`, seed, truth: new Map(truth.channels.map((c) => [c.channel, c.roi])), summary: ensembleRun(csv, `demo-seed${seed}`) };
}

// The generator variants of the quality harness (tests/bench/quality/generators.mjs), which do not
// share the model's form: seed 1 (tuning) and seed 2 (reporting). real_shaped is left out (80 × 109 ×
// 13: ten ensemble members cost too long here). The model sees spend (an impressions variant's
// impressions are spend / a constant cost, so the fit is the same up to scale); true ROI = Σ true
// contribution / Σ spend over all weeks, as the CLI's economics.
const VARIANT_NAMES = (process.env.MMM_COVERAGE_VARIANTS ?? VARIANTS.map((v) => v.name).filter((n) => n !== 'real_shaped').join(',')).split(',').filter(Boolean);
function variantDataset(name, seed) {
  const csv = join(work, `gen-${name}-seed${seed}.csv`);
  const p = generateVariant(name, seed);
  const rows = ['date,region,kpi,' + [...p.channels.map((c) => c.name), ...p.controls.map((c) => c.name)].join(',')];
  const spend = p.channels.map(() => 0);
  const contribution = p.channels.map(() => 0);
  p.regions.forEach((region, r) =>
    p.dates.forEach((date, t) => {
      if (Number.isNaN(p.kpi[r][t])) return; // a region that starts late has no row before its start
      rows.push([date, region, p.kpi[r][t], ...p.channels.map((c) => c.spend[r][t]), ...p.controls.map((c) => c.values[r][t])].join(','));
      p.channels.forEach((_, c) => {
        spend[c] += p.channels[c].spend[r][t];
        contribution[c] += p.truth.contribution[c][r][t];
      });
    }),
  );
  if (!existsSync(csv)) writeFileSync(csv, rows.join('\n') + '\n');
  const truth = new Map(p.channels.map((c, k) => [c.name, contribution[k] / spend[k]]));
  const args = ['--time', 'date', '--region', 'region', '--kpi', 'kpi', '--media', p.channels.map((c) => c.name).join(','), '--controls', p.controls.map((c) => c.name).join(',')];
  return { name: `gen/${name}/seed${seed}`, seed, truth, summary: ensembleRun(csv, `gen-${name}-seed${seed}`, args) };
}

function growingBusiness() {
  const truth = JSON.parse(readFileSync(GROWING.replace('_inputs.csv', '_truth.json'), 'utf8')).total_roas_by_channel_all_geos;
  // Truth keys are column names (x1_Search-Ads); the CLI names the channel without the xN_ prefix.
  return { name: 'growing_business', truth: new Map(Object.entries(truth).map(([k, v]) => [k.replace(/^x\d+_/, ''), v])), summary: ensembleRun(GROWING, 'growing_business') };
}

/** Per channel: is the true ROI inside the interval of the first k members, and its relative width. */
function score(dataset, k, widen) {
  const s = dataset.summary;
  const rows = [];
  s.economics.forEach((e, c) => {
    const truth = dataset.truth.get(e.channel);
    if (truth === undefined) throw new Error(`${dataset.name}: no true ROI for channel '${e.channel}'`);
    const iv = nonNegativeInterval(s.ensemble.member_roi.slice(0, k).map((m) => m[c]), e.roi, LEVEL, widen);
    rows.push({ covered: iv.lo <= truth && truth <= iv.hi, relWidth: (iv.hi - iv.lo) / Math.abs(e.roi), absError: Math.abs(e.roi - truth) / truth });
  });
  return rows;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
function summarise(datasets, k, widen) {
  const rows = datasets.flatMap((d) => score(d, k, widen));
  return { pairs: rows.length, coverage: rows.filter((r) => r.covered).length / rows.length, medianRelWidth: median(rows.map((r) => r.relWidth)) };
}

const demos = [];
for (let seed = seedFrom; seed <= seedTo; seed++) demos.push(demoDataset(seed));
const growing = existsSync(GROWING) ? [growingBusiness()] : [];
const variantsTuning = VARIANT_NAMES.map((n) => variantDataset(n, 1));
const variantsReporting = VARIANT_NAMES.map((n) => variantDataset(n, 2));
const tuning = demos.filter((d) => d.seed <= TUNING_LAST_SEED);
const heldOut = demos.filter((d) => d.seed > TUNING_LAST_SEED);

const result = { date: new Date().toISOString(), level: LEVEL, target: TARGET, kmax: KMAX, seeds: [seedFrom, seedTo], tuningSeeds: [seedFrom, TUNING_LAST_SEED], sizes: {} };
for (const k of SIZES) {
  // Chosen on the tuning demos and the tuning (seed 1) generator variants together: the demo shares
  // the model's form, so widening chosen on it alone leaves the intervals too narrow elsewhere.
  const widenOn = [...tuning, ...variantsTuning];
  const widen = WIDEN_GRID.find((w) => summarise(widenOn, k, w).coverage >= TARGET) ?? WIDEN_GRID.at(-1);
  const row = {
    widen,
    raw: { tuning: summarise(tuning, k, 1), heldOut: heldOut.length ? summarise(heldOut, k, 1) : null, growing: growing.length ? summarise(growing, k, 1) : null },
    widened: { tuning: summarise(tuning, k, widen), heldOut: heldOut.length ? summarise(heldOut, k, widen) : null, growing: growing.length ? summarise(growing, k, widen) : null },
    variants: {
      tuning: variantsTuning.length ? summarise(variantsTuning, k, widen) : null,
      reporting: variantsReporting.length ? summarise(variantsReporting, k, widen) : null,
      perDataset: [...variantsTuning, ...variantsReporting].map((d) => ({ name: d.name, ...summarise([d], k, widen) })),
    },
  };
  result.sizes[k] = row;
  const f = (x) => (x ? `${(100 * x.coverage).toFixed(0)} % of ${x.pairs} (width ${(100 * x.medianRelWidth).toFixed(0)} %)` : 'n/a');
  console.error(`K=${k}: raw coverage tuning ${f(row.raw.tuning)}, held-out ${f(row.raw.heldOut)}, growing_business ${f(row.raw.growing)}`);
  console.error(`      widened ×${widen}: tuning ${f(row.widened.tuning)}, held-out ${f(row.widened.heldOut)}, growing_business ${f(row.widened.growing)}`);
  console.error(`      generator variants, widened ×${widen}: seed 1 ${f(row.variants.tuning)}, seed 2 ${f(row.variants.reporting)}`);
}
// Point-estimate error, for context: how far the main fit's ROI is from the truth.
result.medianRoiError = { demo: median(demos.flatMap((d) => score(d, 2, 1).map((r) => r.absError))), growing: growing.length ? median(score(growing[0], 2, 1).map((r) => r.absError)) : null };
result.memberSeconds = median([...demos, ...growing].map((d) => d.summary.ensemble.seconds / (KMAX - 1)));
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results/coverage.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
