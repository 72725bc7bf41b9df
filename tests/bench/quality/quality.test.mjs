// Tests of the quality harness: its scores agree with the driver's, the baselines and generators do
// what they claim, and the driver's CSV mode rejects bad input with a clear message.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchoredRidgeForecast, recentMeanForecast, ridgeCoefficients, seasonalNaiveForecast } from './baselines.mjs';
import { allDatasets } from './datasets.mjs';
import { BENCH_BIN, ensureDriverBuilt, parseDriverJson, runDriver } from './driver.mjs';
import { VARIANTS, generateVariant, makeRng } from './generators.mjs';
import { attributionScores, fillGaps, scoreForecast } from './metrics.mjs';
import { readLongCsv, writeFitCsv } from './panel-io.mjs';
import { renderComparison, summariseDataset, summariseSet } from './report.mjs';
import { originsFor, parseArgs, runOrigin, selectDatasets } from './run-quality.mjs';

let dir;
beforeAll(() => {
  ensureDriverBuilt(() => {});
  dir = mkdtempSync(join(tmpdir(), 'quality-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const grid = (R, T, f) => Array.from({ length: R }, (_, r) => Float64Array.from({ length: T }, (_, t) => f(r, t)));

/** mmm_bench's exit status and stderr for a CSV text and mapping. */
function driverError(csv, mapping) {
  const path = join(dir, `bad-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, csv);
  const r = spawnSync(BENCH_BIN, ['csv', `path=${path}`, ...mapping], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr.trim() };
}

describe('harness scores agree with the native driver', () => {
  it('scores the model prediction exactly as mmm_bench scores its holdout', async () => {
    const out = join(dir, 'demo.csv');
    await runDriver(['demo-csv', `out=${out}`, 'data_seed=5', 'regions=6', 'weeks=80', 'channels=2', 'controls=1']);
    const truth = JSON.parse(readFileSync(join(dir, 'demo.truth.json'), 'utf8'));
    const names = truth.channels.map((c) => c.name);
    const head = readFileSync(out, 'utf8').split('\n')[0].split(',');
    const panel = readLongCsv({ file: out, region: 'region', time: 'date', kpi: 'kpi', channels: names.map((n) => ({ name: n, media: n, spend: n })), controls: head.slice(3 + names.length) });
    panel.truth = { contribution: names.map((n) => truth.contribution[n].map((row) => Float64Array.from(row))) };

    const origin = 80 - 13;
    const r = await runOrigin(panel, origin, ['epochs=30', 'warm_start_epochs=5'], dir, 'agree');
    const detail = JSON.parse(readFileSync(r.files[1], 'utf8'));
    const prediction = detail.prediction.map((row) => Float64Array.from(row));
    const js = scoreForecast(panel.kpi.map((row) => row.slice(0, 80)), prediction, origin, 80, origin);
    expect(js.n).toBe(6 * 13);
    expect(js.r2).toBeCloseTo(r.model.r2, 4);
    expect(js.wape).toBeCloseTo(r.model.wape, 4);
    expect(js.skillRecent).toBeCloseTo(r.model.skillRecent, 3);
    expect(js.skillSeasonal).toBeCloseTo(r.model.skillSeasonal, 3);
    // Per-channel totals over the training weeks are the weekly contributions summed, and ROI = contribution / spend.
    for (const ch of detail.channels) {
      const weekly = detail.contribution[ch.name].reduce((a, row) => a + row.slice(0, origin).reduce((x, y) => x + y, 0), 0);
      expect(ch.contribution / weekly).toBeCloseTo(1, 4);
      expect(ch.roi / (ch.contribution / ch.spend)).toBeCloseTo(1, 5);
    }
    expect(r.model.roasError).toBeGreaterThanOrEqual(0);
    expect(r.model.trueMediaShare).toBeGreaterThan(0.05);
    expect(r.baselines.recentMean.skillRecent).toBeCloseTo(0, 12);
    expect(r.baselines.seasonalNaive.skillSeasonal).toBeCloseTo(0, 12);
  });
});

describe('baselines and metrics', () => {
  it('the ridge recovers control effects with region fixed effects and forecasts from the recent level', () => {
    const R = 5;
    const T = 60;
    const rng = makeRng(3);
    const x1 = grid(R, T, () => rng.normal());
    const x2 = grid(R, T, () => rng.normal());
    const kpi = grid(R, T, (r, t) => 1000 * (r + 1) + 20 * x1[r][t] - 30 * x2[r][t]);
    const controls = [{ values: x1 }, { values: x2 }];
    const b = ridgeCoefficients(kpi, controls, 47, 1e-9);
    expect(b[0]).toBeCloseTo(20, 6);
    expect(b[1]).toBeCloseTo(-30, 6);
    const f = anchoredRidgeForecast(kpi, controls, 47, 1e-9);
    const s = scoreForecast(kpi, f, 47, 60, 47);
    expect(s.r2).toBeCloseTo(1, 8);
    expect(s.skillRecent).toBeCloseTo(1, 8);
  });

  it('a naive forecast has zero skill against itself, and regions without rows are not scored', () => {
    const kpi = grid(3, 70, (r, t) => 100 + r + Math.sin(t));
    kpi[0].fill(NaN, 0, 5); // a ragged start
    const recent = scoreForecast(kpi, recentMeanForecast(kpi, 57), 57, 70, 57);
    expect(recent.skillRecent).toBe(0);
    expect(recent.n).toBe(39);
    const seasonal = scoreForecast(kpi, seasonalNaiveForecast(kpi, 57), 57, 70, 57);
    expect(seasonal.skillSeasonal).toBe(0);
    // Week 57 - 52 = 5 is region 0's first row; week 4 (for forecast week 56) would be filled from it.
    expect(fillGaps(kpi)[0][2]).toBe(kpi[0][5]);
  });

  it('attribution scores are perfect for the truth itself and measure a doubled channel', () => {
    const p = generateVariant('no_seasonality', 1);
    const perfect = attributionScores(p, p.truth.contribution, 100);
    expect(perfect.roasError).toBe(0);
    expect(perfect.contributionR2).toBe(1);
    const doubled = attributionScores(p, p.truth.contribution.map((g, c) => (c === 0 ? g.map((row) => row.map((v) => 2 * v)) : g)), 100);
    expect(doubled.channels[0].roas / doubled.channels[0].trueRoas).toBeCloseTo(2, 10);
    expect(doubled.roasError).toBeCloseTo(1 / p.channels.length, 10);
  });
});

describe('generators', () => {
  it.each(VARIANTS.map((v) => v.name))('%s: deterministic, truth consistent with the KPI', (name) => {
    const a = generateVariant(name, 1);
    const again = generateVariant(name, 1);
    const other = generateVariant(name, 2);
    expect(again.kpi[0][50]).toBe(a.kpi[0][50]);
    expect(other.kpi[0][50]).not.toBe(a.kpi[0][50]);
    let media = 0;
    let kpi = 0;
    a.kpi.forEach((row, r) =>
      row.forEach((y, t) => {
        if (Number.isNaN(y)) {
          // A ragged region has nothing before its first row.
          for (const ch of a.channels) expect(ch.spend[r][t]).toBe(0);
          return;
        }
        expect(y).toBeGreaterThan(0);
        kpi += y;
        for (const g of a.truth.contribution) {
          expect(g[r][t]).toBeGreaterThanOrEqual(0);
          media += g[r][t];
        }
      }),
    );
    const variant = VARIANTS.find((v) => v.name === name);
    const target = variant.options.mediaShare ?? 0.25;
    // Additive variants hit the target share (noise aside); multiplicative counterfactuals overlap, so less exact.
    expect(Math.abs(media / kpi - target)).toBeLessThan(name === 'multiplicative' ? 0.06 : 0.01);
  });

  it('real_shaped has the held-back panel\'s shape: impressions priced by a cost, 3 ragged regions', () => {
    const p = generateVariant('real_shaped', 1);
    expect([p.regions.length, p.dates.length, p.channels.length, p.controls.length]).toEqual([80, 109, 13, 7]);
    expect(p.kpi.filter((row) => Number.isNaN(row[0])).length).toBe(3);
    const ch = p.channels[0];
    const ratio = ch.spend[5][40] / ch.media[5][40];
    expect(ch.spend[5][41] / ch.media[5][41]).toBeCloseTo(ratio, 12);
    expect(ratio).not.toBeCloseTo(1, 3);
  });
});

describe('driver CSV mode', () => {
  const head = 'region,date,kpi,m0,x0\n';
  const mapping = ['kpi=kpi', 'region=region', 'time=date', 'media=m0', 'controls=x0', 'epochs=5', 'holdout_weeks=0', 'validation_weeks=0', 'warm_start_epochs=0'];
  const rows = (regions, weeks, skip = () => false) => {
    let s = '';
    for (let r = 0; r < regions; r++)
      for (let t = 0; t < weeks; t++) if (!skip(r, t)) s += `a${r},${new Date(Date.UTC(2023, 0, 2 + 7 * t)).toISOString().slice(0, 10)},${100 + r + (t % 5)},${t % 3},${t % 2}\n`;
    return s;
  };

  it('names the row and column of a cell that is not a number', () => {
    const e = driverError(head + rows(2, 20) + 'a0,2023-05-22,12x,1,0\n', mapping);
    expect(e.status).toBe(2);
    expect(e.stderr).toMatch(/csv row 42, column 'kpi': '12x' is not a finite number/);
  });

  it('rejects a repeated region-week, a missing week, negative media and an unknown option', () => {
    expect(driverError(head + rows(1, 20) + 'a0,2023-01-02,1,1,1\n', mapping).stderr).toMatch(/region 'a0' has two rows for 2023-01-02/);
    const gap = rows(1, 20).split('\n').filter((l) => !l.includes('2023-02-06')).join('\n');
    expect(driverError(head + gap, mapping).stderr).toMatch(/dates 2023-01-30 and 2023-02-13 are 14 days apart/);
    expect(driverError(head + rows(1, 20) + 'a0,2023-05-22,1,-3,0\n', mapping).stderr).toMatch(/column 'm0': -3 is negative/);
    expect(driverError(head + rows(1, 20), [...mapping, 'hiden=3']).stderr).toMatch(/unknown config key 'hiden'/);
    expect(driverError(head + rows(1, 20), [...mapping, 'hidden=2.5']).stderr).toMatch(/option hidden: '2.5' must be a whole number/);
    expect(driverError(head + rows(1, 20), [...mapping, 'spend=m0,m0']).stderr).toMatch(/spend= names 2 columns and media= 1/);
  });

  it('fills a ragged region as the app does and reads a national file with region=none', () => {
    const path = join(dir, 'ragged.csv');
    writeFileSync(path, head + rows(3, 30, (r, t) => r === 2 && t < 4));
    const out = parseDriverJson(execFileSync(BENCH_BIN, ['csv', `path=${path}`, ...mapping], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    expect(out.data).toMatchObject({ regions: 3, weeks: 30, filled_cells: 4 });
    const nat = join(dir, 'national.csv');
    writeFileSync(nat, 'date,kpi,m0,x0\n' + rows(1, 30).split('\n').filter(Boolean).map((l) => l.split(',').slice(1).join(',')).join('\n'));
    const n = parseDriverJson(execFileSync(BENCH_BIN, ['csv', `path=${nat}`, ...mapping.map((m) => (m === 'region=region' ? 'region=none' : m))], { encoding: 'utf8' }));
    expect(n.data).toMatchObject({ regions: 1, weeks: 30 });
  });

  it('writeFitCsv maps impressions with a separate spend, and channels without spend with "-"', () => {
    const p = generateVariant('no_seasonality', 1);
    p.channels[1].spend = null;
    const args = writeFitCsv(p, 40, join(dir, 'map.csv'));
    expect(args).toContain('spend=s0,-,s2,s3');
    expect(args).toContain('controls=x0,x1');
    const text = readFileSync(join(dir, 'map.csv'), 'utf8').split('\n');
    expect(text[0]).toBe('region,date,kpi,m0,m1,m2,m3,s0,s2,s3,x0,x1');
    expect(text.length - 2).toBe(20 * 40);
  });
});

describe('report', () => {
  const origin = (skillRecent, skillSeasonal) => ({
    model: { r2: 0.9, wape: 0.05, skillRecent, skillSeasonal, mediaShare: 0.3, roasError: 0.2, contributionR2: 0.8, trueMediaShare: 0.25, seconds: 1 },
    baselines: Object.fromEntries(['linear', 'recentMean', 'seasonalNaive'].map((k) => [k, { r2: 0.8, wape: 0.06, skillRecent: 0, skillSeasonal: 0.1 }])),
  });
  const run = (datasets, origins = 3) => {
    for (const d of datasets) d.mean = summariseDataset(d);
    return { date: 'd', origins, overrides: [], datasets, summary: { tuning: summariseSet(datasets) } };
  };

  it('means over origins decide "beats both naive", and a comparison shows was → now', () => {
    const before = run([{ name: 'a', set: 'tuning', origins: [origin(-0.4, 0.5), origin(0.2, 0.5)] }]);
    expect(before.datasets[0].mean.model.skillRecent).toBeCloseTo(-0.1, 12);
    expect(before.summary.tuning.beatBothNaive).toBe(0);
    const after = run([{ name: 'a', set: 'tuning', origins: [origin(0.3, 0.5), { error: 'fit failed' }] }]);
    expect(after.datasets[0].mean).toMatchObject({ origins: 1, failed: 1, modelBeatsBothNaive: true });
    const md = renderComparison(after, before, 'before.json');
    expect(md).toContain('| a | -0.10 → 0.30 | 0.50 → 0.50 |');
    expect(md).toContain('**0/1 → 1/1**');
    // Different datasets in the set: no set means, and the missing dataset is named.
    const other = run([{ name: 'b', set: 'tuning', origins: [origin(0.1, 0.1)] }], 1);
    const md2 = renderComparison(other, before, 'before.json');
    expect(md2).toContain('| b | not in before.json |');
    expect(md2).toContain('used 3 origin(s) per dataset, this run 1');
    expect(md2).not.toContain('tuning: mean');
  });
});

describe('harness CLI', () => {
  it('parses options and rejects bad ones with the reason', () => {
    expect(parseArgs(['--set', 'tuning', '--origins', '1', '--jobs', '2', 'hidden=16'])).toMatchObject({ set: 'tuning', origins: 1, jobs: 2, overrides: ['hidden=16'] });
    expect(() => parseArgs(['--set', 'best'])).toThrow(/--set must be tuning, reporting or all/);
    expect(() => parseArgs(['holdout_weeks=5'])).toThrow(/'holdout_weeks' is set by the harness/);
    expect(() => parseArgs(['--origins', '2'])).toThrow(/--origins must be 1 or 3/);
    expect(() => parseArgs(['--frobnicate'])).toThrow(/unknown argument '--frobnicate'/);
    expect(parseArgs(['--compare', 'before']).compare).toBe('before');
    expect(() => parseArgs(['--compare', '../x'])).toThrow(/--compare takes a label/);
  });

  it('keeps the tuning and reporting sets disjoint and covers every public CSV', () => {
    const all = allDatasets();
    const tuning = new Set(all.filter((d) => d.set === 'tuning').map((d) => d.name));
    const reporting = all.filter((d) => d.set === 'reporting').map((d) => d.name);
    expect(reporting.filter((n) => tuning.has(n))).toEqual([]);
    expect(tuning.size + reporting.length).toBe(all.length);
    for (const file of ['geo_all_channels', 'geo_media_rf', 'national_all_channels', 'mmm_example', 'mmm_roas_data', 'media_tvp_data', 'growing_business'])
      expect(all.some((d) => d.name.includes(file))).toBe(true);
    for (const v of VARIANTS) {
      expect(tuning.has(`gen/${v.name}/seed1`)).toBe(true);
      expect(reporting).toContain(`gen/${v.name}/seed2`);
      for (const seed of v.extraSeeds?.tuning ?? []) expect(tuning.has(`gen/${v.name}/seed${seed}`)).toBe(true);
      for (const seed of v.extraSeeds?.reporting ?? []) expect(reporting).toContain(`gen/${v.name}/seed${seed}`);
    }
    expect(VARIANTS.some((v) => v.extraSeeds)).toBe(true);
    expect(() => selectDatasets(all, { set: 'tuning', only: ['mmm_roas'] })).toThrow(/matches no dataset of set 'tuning'/);
    expect(originsFor(104, 3)).toEqual([65, 78, 91]);
    expect(originsFor(104, 1)).toEqual([91]);
  });
});
