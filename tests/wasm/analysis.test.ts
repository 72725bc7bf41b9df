// Analysis through the real wasm (both variants): economics, response curves and the budget plan
// after a fit; optimizeBudget with budgets, locks and infeasible bounds; contribution totals;
// plan simulation; the CLI's new --out files and `optimize`. Also measures the response curves of
// the default demo (50 × 104 × 8) — printed, not asserted, since the machine is shared.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFit, toModelResults, withAnalysis } from '../../web/src/engine/fit-runner';
import { main } from '../../web/cli/main';
import { VARIANTS, engineFor, readCsvLines } from './helpers';

const DEMO = { regions: 8, weeks: 80, channels: 4, seed: 3 };
const FAST = { epochs: 40, hidden: 16, seed: 11 };

describe.each(VARIANTS)('analysis on %s', (variant) => {
  it('fills economics, response curves and the budget plan after a fit', async () => {
    const engine = await engineFor(variant);
    const demo = engine.generateDemo(DEMO);
    const s = engine.createSession(demo.panel);
    const core = await runFit(engine, s.id, { ...FAST, threads: variant === 'core-mt' ? 2 : 1 });
    const r = withAnalysis(engine, s.id, toModelResults(core, { variant, threads: 1 }));
    expect(r.analysis?.error).toBeUndefined();
    expect(r.analysis).toMatchObject({ from: 0, to: 80 });
    expect(r.economics.map((e) => e.channel)).toEqual(['TV', 'Search', 'Social', 'Display']);
    for (const e of r.economics) {
      expect(e.spend).toBeGreaterThan(0);
      expect(e.contribution).toBeGreaterThan(0);
      expect(e.roi).toBeCloseTo(e.contribution / (e.spend as number), 10);
      expect(e.roiTotal).toBeCloseTo((e.contribution + e.indirect) / (e.spend as number), 10);
      expect(e.contribution + e.indirect + (e.interaction as number)).toBeCloseTo(e.incremental as number, 0);
      expect(Number.isFinite(e.marginalRoi)).toBe(true);
      expect(e.costPerKpi).toBeCloseTo((e.spend as number) / e.contribution, 6);
      expect(e.revenueRoi).toBeNull();
    }
    expect(r.economics.reduce((a, e) => a + e.share, 0)).toBeCloseTo(1, 10);
    expect(r.responseCurves).toHaveLength(4);
    for (const c of r.responseCurves) {
      expect(c.factors).toHaveLength(13);
      expect(c.y[0]).toBe(0);
      expect(c.x[4]).toBeCloseTo(c.current, 6);
      expect(c.hill.r2).toBeGreaterThan(0.9);
      expect(c.unit).toBe('spend');
      expect(c.saturationPct).toBeGreaterThanOrEqual(0);
      expect(c.saturationPct).toBeLessThanOrEqual(100);
    }
    const b = r.budget!;
    expect(b.mode).toBe('fixed');
    expect(b.weeks).toBe(52);
    expect(b.rows).toHaveLength(4);
    const total = b.rows.reduce((a, x) => a + x.optimalSpend, 0);
    expect(total).toBeCloseTo(b.budget, 3);
    expect(b.budget).toBeCloseTo(b.rows.reduce((a, x) => a + x.currentSpend, 0), 3);
    for (const row of b.rows) {
      expect(row.optimalSpend).toBeGreaterThanOrEqual(row.lower - 1e-6);
      expect(row.optimalSpend).toBeLessThanOrEqual(row.upper + 1e-6);
      expect(row.lower).toBeCloseTo(0.7 * row.currentSpend, 3);
    }
    expect(b.optimalKpi).toBeGreaterThanOrEqual(b.currentKpi);
    expect(Number.isFinite(b.simulatedCurrentKpi) && Number.isFinite(b.simulatedOptimalKpi)).toBe(true);
    expect(b.simulatedCurrentKpi).toBeGreaterThan(0);

    // Live re-optimisation on the cached curves: another budget, a lock, a bound, an error.
    const more = engine.optimizeBudget(s.id, { budget: 1.1 * b.budget, bounds: [{ channel: 'TV', locked: true }] });
    expect(more.budget).toBeCloseTo(1.1 * b.budget, 3);
    const tv = more.rows.find((x) => x.channel === 'TV')!;
    expect(tv.locked).toBe(true);
    expect(tv.optimalSpend).toBe(tv.currentSpend);
    const lo = 0.5 * b.rows[1].currentSpend;
    const bounded = engine.optimizeBudget(s.id, { bounds: [{ channel: 'Search', lower: lo, upper: lo }], weeks: 26 });
    expect(bounded.weeks).toBe(26);
    expect(bounded.rows[1].optimalSpend).toBeCloseTo(lo, 3);
    expect(() => engine.optimizeBudget(s.id, { budget: 1 })).toThrow(/below the sum of the lower bounds/);
    try {
      engine.optimizeBudget(s.id, { bounds: [{ channel: 'Search', lower: 10, upper: 5 }] });
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'INVALID_CONFIG' });
      expect(String((err as Error).message)).toMatch(/channel 'Search': lower bound 10 is above upper bound 5/);
    }
    const mroi = engine.optimizeBudget(s.id, { mode: 'target-mroi', target: 0.5 * Math.max(...b.rows.map((x) => x.marginalRoi)), boundPct: 2 });
    expect(mroi.mode).toBe('target-mroi');

    // Contribution totals over a range and regions add up.
    const t = engine.contributionTotals(s.id, { from: 10, to: 30, regions: [0, 'Region 03'] });
    expect(t.regions).toEqual([0, 2]);
    expect(t.baseline + t.seasonal + t.controlTotal + t.mediaTotal).toBeCloseTo(t.prediction, -1);
    expect(Math.abs(t.baseline + t.seasonal + t.controlTotal + t.mediaTotal - t.prediction) / t.prediction).toBeLessThan(1e-6);
    expect(() => engine.contributionTotals(s.id, { regions: ['Atlantis'] })).toThrow(/no region named 'Atlantis'/);

    // A national plan for the next 4 weeks, and twice that plan.
    const weekly = [100, 200, 50, 10].map((x) => x * 100);
    const plan = { weeks: 4, spend: Array.from({ length: 16 }, (_, i) => weekly[i % 4]) };
    const sim = engine.simulate(s.id, plan);
    expect(sim.start).toBe(80);
    expect(sim.prediction.length).toBe(8 * 4);
    expect(sim.media.length).toBe(8 * 4 * 4);
    const sim2 = engine.simulate(s.id, { ...plan, spend: plan.spend.map((x) => 2 * x) });
    expect(sim2.totals.mediaTotal).toBeGreaterThan(sim.totals.mediaTotal);
    expect(() => engine.simulate(s.id, { weeks: 4, spend: [1, 2, 3] })).toThrow(/3 amounts given; expected 16/);
    engine.disposeSession(s.id);
    // A disposed session's analysis is gone with it.
    expect(() => engine.optimizeBudget(s.id, {})).toThrow(/does not exist/);
  });

  it('reports the analysis progress from inside the call, and cancels when the callback says so', async () => {
    const engine = await engineFor(variant);
    // 60 regions: three chunks of regions, so several reports (on two threads in core-mt, still
    // delivered on this thread).
    const s = engine.createSession(engine.generateDemo({ ...DEMO, regions: 60 }).panel);
    await runFit(engine, s.id, { epochs: 2, hidden: 8, threads: variant === 'core-mt' ? 2 : 1 });
    expect(() => engine.analyze(s.id, { budget: false }, () => false)).toThrow(/analysis cancelled/);
    const reports: [number, number][] = [];
    const a = engine.analyze(s.id, { budget: false }, (done, total) => {
      reports.push([done, total]);
    });
    expect(a.economics).toHaveLength(4);
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports.at(-1)![0]).toBe(reports.at(-1)![1]);
    for (let i = 1; i < reports.length; i++) expect(reports[i][0]).toBeGreaterThan(reports[i - 1][0]);
    // The cached analysis is reused: no simulations, no reports.
    reports.length = 0;
    engine.analyze(s.id, { budget: false }, (done, total) => {
      reports.push([done, total]);
    });
    expect(reports).toEqual([]);
    engine.disposeSession(s.id);
  });

  it('reports a session without a fitted model clearly', async () => {
    const engine = await engineFor(variant);
    const s = engine.createSession(engine.generateDemo(DEMO).panel);
    expect(() => engine.analyze(s.id)).toThrow(/no fitted model yet/);
    expect(() => engine.optimizeBudget(s.id)).toThrow(/no fitted model yet/);
    engine.disposeSession(s.id);
  });
});

describe('timing on the default demo (50 × 104 × 8)', () => {
  it('measures economics + response curves + budget, and one optimisation', async () => {
    const engine = await engineFor('core-st');
    const demo = engine.generateDemo({});
    const s = engine.createSession(demo.panel);
    await runFit(engine, s.id, { epochs: 2, seed: 1 });
    let t0 = performance.now();
    const a = engine.analyze(s.id, { budget: false });
    const analyzeMs = performance.now() - t0;
    t0 = performance.now();
    const plan = engine.optimizeBudget(s.id, {});
    const optimizeMs = performance.now() - t0;
    t0 = performance.now();
    engine.optimizeBudget(s.id, { verify: false });
    const curvesOnlyMs = performance.now() - t0;
    console.log(
      `[analysis timing core-st] 50x104x8 hidden 32: economics + curves ${analyzeMs.toFixed(0)} ms (${a.simulations} simulations, ` +
        `${(analyzeMs / a.simulations).toFixed(1)} ms each, core says ${(a.seconds * 1000).toFixed(0)} ms); ` +
        `one optimisation with full-model check ${optimizeMs.toFixed(0)} ms, on the curves only ${curvesOnlyMs.toFixed(1)} ms`,
    );
    expect(a.responseCurves).toHaveLength(8);
    expect(plan.rows).toHaveLength(8);
    engine.disposeSession(s.id);
  });
});

describe('CLI: fit --out analysis files and optimize', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-analysis-cli-'));
  const csv = join(dir, 'demo.csv');
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out, err };
  };

  it('fit --out writes channels.csv, response_curves.csv, budget.csv and economics in summary.json', async () => {
    expect(await main(['demo', '--out', csv, '--regions', '6', '--weeks', '70', '--channels', '3', '--seed', '5'], capture().io)).toBe(0);
    const c = capture();
    const out = join(dir, 'fit');
    expect(await main(['fit', csv, '--json', '--epochs', '20', '--hidden', '8', '--seed', '3', '--out', out], c.io)).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.economics).toHaveLength(3);
    expect(summary.economics[0]).toHaveProperty('roi');
    expect(summary.budget.weeks).toBe(52);
    const channels = readCsvLines(join(out, 'channels.csv'));
    expect(channels[0]).toBe('channel,unit,spend,activity,contribution,share,indirect,interaction,incremental,decomposed_contribution,decomposed_share,roi,roi_total,revenue_roi,cost_per_kpi,marginal_roi,marginal_roi_total,effect_per_1000');
    expect(channels).toHaveLength(4);
    expect(channels[1]).toMatch(/^TV,spend,\d/);
    const curves = readCsvLines(join(out, 'response_curves.csv'));
    expect(curves[0]).toBe('channel,unit,factor,weekly,incremental_kpi,hill_fit,half_saturation,slope,top,r2,current_weekly,saturation_pct');
    expect(curves).toHaveLength(1 + 3 * 13);
    const budget = readCsvLines(join(out, 'budget.csv'));
    expect(budget[0]).toBe('channel,locked,lower,upper,current_spend,optimal_spend,change,change_pct,current_kpi,predicted_kpi,roi,marginal_roi,saturation_pct,simulated_current_kpi,simulated_optimal_kpi');
    expect(budget).toHaveLength(1 + 3 + 1);
    expect(budget[4]).toMatch(/^TOTAL,/);
    expect(existsSync(join(out, 'model.mmm'))).toBe(true);
  });

  it('optimize --data fits and plans; --bounds and --budget apply; infeasible bounds exit 1 with the reason', async () => {
    const bounds = join(dir, 'bounds.csv');
    writeFileSync(bounds, 'channel,lower,upper,locked\nTV,,,true\nSocial,0,,\n');
    let c = capture();
    expect(await main(['optimize', '--data', csv, '--epochs', '20', '--hidden', '8', '--seed', '3', '--weeks', '13', '--bounds', bounds, '--json'], c.io)).toBe(0);
    const plan = JSON.parse(c.out.join(''));
    expect(plan.weeks).toBe(13);
    expect(plan.rows).toHaveLength(3);
    const tv = plan.rows[0];
    expect(tv.locked).toBe(true);
    expect(tv.optimalSpend).toBe(tv.currentSpend);
    expect(plan.rows[2].lower).toBe(0);
    expect(Math.abs(plan.rows.reduce((a: number, r: { optimalSpend: number }) => a + r.optimalSpend, 0) - plan.budget)).toBeLessThan(1e-6 * plan.budget);
    // A text table with the full-model check.
    c = capture();
    expect(await main(['optimize', join(dir, 'fit', 'model.mmm'), '--budget', String(Math.round(plan.budget * 1.1)), '--weeks', '13'], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/Budget plan \(fixed budget\)/);
    expect(text).toMatch(/Full-model simulation/);
    // Infeasible: the budget is far below the lower bounds.
    c = capture();
    expect(await main(['optimize', join(dir, 'fit', 'model.mmm'), '--budget', '10'], c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/below the sum of the lower bounds/);
    c = capture();
    expect(await main(['optimize', join(dir, 'fit', 'model.mmm'), '--mode', 'target-roi'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/needs --target/);
  });
});
