// Ensemble intervals on the real wasm (web/src/engine/ensemble.ts): members differ, the same seed and
// thread count give identical intervals, cancel stops and frees the member session; and the CLI
// contract of `fit --ensemble K [--interval L]` (columns and summary.json).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEnsemble } from '../../web/src/engine/ensemble';
import { runFit, toModelResults, withAnalysis } from '../../web/src/engine/fit-runner';
import { main } from '../../web/cli/main';
import { fileURLToPath } from 'node:url';
import { EngineHost } from '../../web/src/engine/handlers';
import { loadEngineInNode } from '../../web/src/engine/node-core';
import { engineFor, readCsvLines, wasmDir } from './helpers';

const DEMO = { regions: 6, weeks: 70, channels: 3, seed: 4 };
const FAST = { epochs: 25, hidden: 8, seed: 9 };

async function ensembleOnce(k: number) {
  const engine = await engineFor('core-st');
  const demo = engine.generateDemo(DEMO);
  const s = engine.createSession(demo.panel);
  const core = await runFit(engine, s.id, FAST);
  const main = withAnalysis(engine, s.id, toModelResults(core, { variant: 'core-st', threads: 1 }));
  const progress: string[] = [];
  const intervals = await runEnsemble(engine, demo.panel, main, FAST, { k, onProgress: (p) => progress.push(`${p.member}/${p.members}`) });
  // The main fit's session keeps the main model: the members ran on a session of their own.
  expect(engine.fitResults(s.id).seed).toBe(FAST.seed);
  engine.disposeSession(s.id);
  return { main, intervals, progress, sessions: engine.heapStats().sessions };
}

describe('ensemble on core-st', () => {
  it('fits K - 1 more members with progress and gives every quantity an interval around the main fit', async () => {
    const before = (await engineFor('core-st')).heapStats().sessions;
    const { main, intervals, progress, sessions } = await ensembleOnce(3);
    expect(sessions).toBe(before);
    expect(new Set(progress)).toEqual(new Set(['2/3', '3/3']));
    expect(intervals).toMatchObject({ k: 3, level: 0.9 });
    // Members differ (seed and bootstrap), so at least one ROI interval has width.
    const rois = intervals.memberRoi;
    expect(rois).toHaveLength(3);
    expect(rois[0]).toEqual(main.economics.map((e) => e.roi));
    expect(rois[1]).not.toEqual(rois[0]);
    intervals.channels.forEach((c, i) => {
      const e = main.economics[i];
      expect(c.channel).toBe(e.channel);
      expect(c.roi!.lo).toBeLessThanOrEqual(e.roi!);
      expect(c.roi!.hi).toBeGreaterThanOrEqual(e.roi!);
      expect(c.share.lo).toBeLessThanOrEqual(e.share);
      expect(c.contribution.hi).toBeGreaterThanOrEqual(e.contribution);
      expect(c.marginalRoi!.lo).toBeLessThanOrEqual(e.marginalRoi!);
    });
    expect(intervals.channels.some((c) => c.roi!.hi > c.roi!.lo)).toBe(true);
    expect(intervals.responseCurves.map((c) => c.channel)).toEqual(main.responseCurves.map((c) => c.channel));
    const curve = main.responseCurves[0];
    expect(intervals.responseCurves[0].lo).toHaveLength(curve.y.length);
    curve.y.forEach((y, i) => {
      expect(intervals.responseCurves[0].lo[i]).toBeLessThanOrEqual(y);
      expect(intervals.responseCurves[0].hi[i]).toBeGreaterThanOrEqual(y);
    });
    expect(intervals.forecast.lo).toHaveLength(DEMO.regions * DEMO.weeks);
    expect(intervals.forecast.nationalHi).toHaveLength(DEMO.weeks);
    expect(intervals.budget?.upliftPct?.lo).toBeLessThanOrEqual(main.budget!.upliftPct);
  });

  it('gives identical intervals for the same seed and thread count', async () => {
    const a = await ensembleOnce(3);
    const b = await ensembleOnce(3);
    expect(b.intervals.memberRoi).toEqual(a.intervals.memberRoi);
    expect(b.intervals.channels).toEqual(a.intervals.channels);
    expect(b.intervals.forecast.lo).toEqual(a.intervals.forecast.lo);
    expect(b.intervals.responseCurves).toEqual(a.intervals.responseCurves);
  });

  it('stops on cancel, frees the member session and keeps the main fit', async () => {
    const engine = await engineFor('core-st');
    const demo = engine.generateDemo(DEMO);
    const s = engine.createSession(demo.panel);
    const main = withAnalysis(engine, s.id, toModelResults(await runFit(engine, s.id, FAST), { variant: 'core-st', threads: 1 }));
    const sessions = engine.heapStats().sessions;
    let slices = 0;
    await expect(runEnsemble(engine, demo.panel, main, { ...FAST, epochs: 400 }, { k: 4, sliceSeconds: 0.01, cancelled: () => ++slices > 2 }))
      .rejects.toMatchObject({ code: 'CANCELLED' });
    expect(engine.heapStats().sessions).toBe(sessions);
    expect(engine.fitResults(s.id).seed).toBe(FAST.seed);
    engine.disposeSession(s.id);
  });

  it('rejects an unusable ensemble size with a clear message', async () => {
    const engine = await engineFor('core-st');
    const demo = engine.generateDemo(DEMO);
    const s = engine.createSession(demo.panel);
    const main = withAnalysis(engine, s.id, toModelResults(await runFit(engine, s.id, { ...FAST, epochs: 2 }), { variant: 'core-st', threads: 1 }));
    await expect(runEnsemble(engine, demo.panel, main, FAST, { k: 1 })).rejects.toThrow(/ensemble size 1 .*from 2 to 100/);
    engine.disposeSession(s.id);
  });
});

describe('the worker: ensemble request, and the intervals kept in the model bundle', () => {
  it('estimates intervals for the fitted session with progress; a bundle carries them (national forecast band) and an older one opens without', async () => {
    const host = new EngineHost((variant, base) => loadEngineInNode(variant, fileURLToPath(base)));
    await host.init('core-st', 1, `file://${wasmDir}`);
    const progress: Record<string, unknown>[] = [];
    const ctx = { progress: (d: Record<string, unknown>) => progress.push(d), cancelled: () => false };
    const demo = await host.handle('generateDemo', DEMO, ctx);
    const { id } = await host.handle('createSession', { panel: demo.panel }, ctx);
    const results = await host.handle('fit', { sessionId: id, options: FAST }, ctx);
    progress.length = 0;
    const intervals = await host.handle('ensemble', { sessionId: id, panel: demo.panel, options: FAST, k: 3 }, ctx);
    expect(intervals.k).toBe(3);
    expect(progress.some((p) => p.phase === 'ensemble' && p.member === 3 && p.members === 3)).toBe(true);
    // The same request gives the same intervals (deterministic in the fit's seed).
    const again = await host.handle('ensemble', { sessionId: id, panel: demo.panel, options: FAST, k: 3 }, ctx);
    expect(again.channels).toEqual(intervals.channels);

    const info = { dataName: 'demo', mapping: null, data: null, appVersion: 'test' };
    const withIntervals = await host.handle('exportBundle', { sessionId: id, results: { ...results, intervals }, info }, ctx);
    const opened = await host.handle('importBundle', { bytes: withIntervals }, ctx);
    expect(opened.results.intervals?.channels).toEqual(intervals.channels);
    expect(opened.results.intervals?.responseCurves).toEqual(intervals.responseCurves);
    expect(opened.results.intervals?.forecast.nationalLo).toEqual(intervals.forecast.nationalLo);
    expect(opened.results.intervals?.forecast.lo).toHaveLength(0);
    const plain = await host.handle('importBundle', { bytes: await host.handle('exportBundle', { sessionId: id, results, info }, ctx) }, ctx);
    expect(plain.results.intervals).toBeUndefined();
    for (const s of [id, opened.sessionId, plain.sessionId]) await host.handle('disposeSession', { id: s }, ctx);
  });
});

describe('mmm-studio fit --ensemble', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-ensemble-'));
  const csv = join(dir, 'demo.csv');
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out, err };
  };

  it('writes *_lo/*_hi columns in channels.csv, response_curves.csv and budget.csv and records the ensemble in summary.json', async () => {
    expect(await main(['demo', '--out', csv, '--regions', '6', '--weeks', '70', '--channels', '3', '--seed', '5'], capture().io)).toBe(0);
    const out = join(dir, 'fit');
    const c = capture();
    expect(await main(['fit', csv, '--ensemble', '3', '--interval', '0.8', '--epochs', '20', '--hidden', '8', '--seed', '3', '--out', out, '--json'], c.io)).toBe(0);
    expect(c.err.join('\n')).toMatch(/uncertainty: 3 fits, 80 % intervals/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.ensemble).toMatchObject({ k: 3, level: 0.8 });
    expect(summary.ensemble.widen).toBeGreaterThanOrEqual(1);
    expect(summary.ensemble.member_roi).toHaveLength(3);
    expect(summary.ensemble.channels.map((x: { channel: string }) => x.channel)).toEqual(['TV', 'Search', 'Social']);

    const channels = readCsvLines(join(out, 'channels.csv'));
    const head = channels[0].split(',');
    for (const col of ['contribution', 'share', 'roi', 'marginal_roi'])
      expect(head.slice(head.indexOf(col), head.indexOf(col) + 3)).toEqual([col, `${col}_lo`, `${col}_hi`]);
    for (const line of channels.slice(1)) {
      const row = Object.fromEntries(line.split(',').map((v, i) => [head[i], Number(v)]));
      expect(row.roi_lo).toBeLessThanOrEqual(row.roi);
      expect(row.roi_hi).toBeGreaterThanOrEqual(row.roi);
      expect(row.share_lo).toBeLessThanOrEqual(row.share);
    }
    const curves = readCsvLines(join(out, 'response_curves.csv'));
    expect(curves[0]).toMatch(/,incremental_kpi,incremental_kpi_lo,incremental_kpi_hi,/);
    const budget = readCsvLines(join(out, 'budget.csv'));
    expect(budget[0]).toMatch(/,uplift_pct,uplift_pct_lo,uplift_pct_hi$/);
    const total = budget.at(-1)!.split(',');
    expect(total[0]).toBe('TOTAL');
    const [uplift, lo, hi] = total.slice(-3).map(Number);
    expect(lo).toBeLessThanOrEqual(uplift);
    expect(hi).toBeGreaterThanOrEqual(uplift);
  });

  it('without --ensemble the files keep their columns and summary.json says ensemble: null', async () => {
    const out = join(dir, 'single');
    expect(await main(['fit', csv, '--epochs', '5', '--hidden', '8', '--out', out, '-q'], capture().io)).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).ensemble).toBeNull();
    expect(readCsvLines(join(out, 'channels.csv'))[0]).not.toMatch(/_lo/);
  });

  it('explains a bad --ensemble or an --interval without --ensemble (exit 2)', async () => {
    let c = capture();
    expect(await main(['fit', csv, '--ensemble', '1'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/--ensemble must be a whole number from 2 to 100/);
    c = capture();
    expect(await main(['fit', csv, '--interval', '0.9'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/--interval needs --ensemble/);
  });
});
