// Interval marks drawn from a real model with an ensemble (core-st): error bars on the ROI view and
// bands on the response curves; without intervals neither view grows a mark.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { actualVsPredictedSpec } from '../../../web/src/charts/actual-vs-predicted';
import { budgetSpec } from '../../../web/src/charts/budget';
import { contributionByChannelSpec } from '../../../web/src/charts/contribution-by-channel';
import { responseCurvesSpec } from '../../../web/src/charts/response-curves';
import { roiSpec } from '../../../web/src/charts/roi';
import { intervalsFromStore, runEnsemble, storableIntervals } from '../../../web/src/engine/ensemble';
import { runFit, toModelResults, withAnalysis } from '../../../web/src/engine/fit-runner';
import { loadEngineInNode } from '../../../web/src/engine/node-core';
import type { ModelResults } from '../../../web/src/engine/results';
import { buildReportHtml } from '../../../web/src/export/report';
import { formatFixed, setNumberLocale } from '../../../web/src/format/number';
import { compileSpec, missingFields, runView } from './helpers';

const wasmDir = fileURLToPath(new URL('../../../public/wasm/', import.meta.url));

async function fitWithEnsemble(): Promise<ModelResults> {
  const engine = await loadEngineInNode('core-st', wasmDir);
  const demo = engine.generateDemo({ regions: 6, weeks: 70, channels: 4, seed: 2 });
  const session = engine.createSession(demo.panel);
  const options = { epochs: 30, hidden: 8, seed: 5 };
  const results = withAnalysis(engine, session.id, toModelResults(await runFit(engine, session.id, options), { variant: 'core-st', threads: 1 }));
  results.intervals = await runEnsemble(engine, demo.panel, results, options, { k: 3 });
  engine.disposeSession(session.id);
  return results;
}

const real = await fitWithEnsemble();
const single: ModelResults = { ...real, intervals: undefined };

/** Items of the marks whose name contains `name` (vega-lite names a layer's marks `<name>_marks`, dashes as underscores). */
function itemsOf(view: unknown, name: string): { x?: number; x2?: number; y?: number; y2?: number }[] {
  const found: { x?: number; x2?: number; y?: number; y2?: number }[] = [];
  const walk = (node: { name?: string; role?: string; items?: unknown[] }) => {
    if (node.role === 'mark' && node.name?.includes(name)) found.push(...((node.items ?? []) as never[]));
    for (const it of node.items ?? []) walk(it as never);
  };
  walk((view as { scenegraph(): { root: never } }).scenegraph().root);
  return found;
}

beforeAll(() => void setNumberLocale('en-US'));

describe('ensemble intervals in the charts (real model)', () => {
  it('ROI view: one error bar per ROI and marginal ROI, around the bar, named in the subtitle and tooltip', async () => {
    const spec = roiSpec(real);
    expect(missingFields(spec as never)).toEqual([]);
    const { vg, warnings } = compileSpec(spec);
    expect(warnings).toEqual([]);
    const view = await runView(vg);
    const rows = (spec as unknown as { datasets: { main: { lo: number | null; hi: number | null; value: number }[] } }).datasets.main;
    const withBounds = rows.filter((r) => r.lo !== null && r.hi !== null);
    expect(withBounds.length).toBe(rows.length);
    for (const r of withBounds) {
      expect(r.lo).toBeLessThanOrEqual(r.value);
      expect(r.hi).toBeGreaterThanOrEqual(r.value);
    }
    const bars = itemsOf(view, 'roi_interval');
    expect(bars).toHaveLength(withBounds.length);
    // A rule from lo to hi: drawn with width wherever the interval has width.
    expect(bars.some((b) => Math.abs((b.x2 ?? 0) - (b.x ?? 0)) > 1)).toBe(true);
    expect(JSON.stringify(spec)).toMatch(/90 % interval from 3 fits/);
  });

  it('response curves: a band per channel from the ensemble, lo <= curve <= hi at every point', async () => {
    const spec = responseCurvesSpec(real);
    expect(missingFields(spec as never)).toEqual([]);
    const { vg, warnings } = compileSpec(spec);
    expect(warnings).toEqual([]);
    const view = await runView(vg);
    const curveRows = (spec as unknown as { datasets: { main: { kind: string; y: number; lo: number; hi: number }[] } }).datasets.main.filter((r) => r.kind === 'curve');
    for (const r of curveRows) {
      expect(r.lo).toBeLessThanOrEqual(r.y + 1e-6 * Math.abs(r.y));
      expect(r.hi).toBeGreaterThanOrEqual(r.y - 1e-6 * Math.abs(r.y));
    }
    // The band's scene items: one per point of every channel's curve.
    expect(itemsOf(view, 'curve_interval').length).toBe(real.responseCurves.reduce((n, c) => n + c.y.length, 0));
  });

  it('forecast: a band of the national total per week for all regions, and of one region when one is chosen', async () => {
    const spec = actualVsPredictedSpec(real);
    expect(missingFields(spec as never)).toEqual([]);
    const { vg, warnings } = compileSpec(spec);
    expect(warnings).toEqual([]);
    const rows = (spec as unknown as { datasets: { main: { Predicted: number; lo: number; hi: number }[] } }).datasets.main;
    // The chart rounds its data (num): compare relatively.
    const near = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * Math.abs(b);
    expect(rows).toHaveLength(real.shape.weeks);
    rows.forEach((r, t) => expect(near(r.lo, real.intervals!.forecast.nationalLo[t]) && near(r.hi, real.intervals!.forecast.nationalHi[t])).toBe(true));
    for (const r of rows) {
      expect(r.lo).toBeLessThanOrEqual(r.Predicted * (1 + 1e-6));
      expect(r.hi).toBeGreaterThanOrEqual(r.Predicted * (1 - 1e-6));
    }
    expect(itemsOf(await runView(vg), 'forecast_interval').length).toBe(rows.length);
    const one = (actualVsPredictedSpec(real, { region: 1 }) as unknown as { datasets: { main: { lo: number }[] } }).datasets.main;
    const T = real.shape.weeks;
    expect(near(one[0].lo, real.intervals!.forecast.lo[T])).toBe(true);
    // A model opened from a bundle keeps the national band only: no band (not a zero band) for one region.
    const reopened = { ...real, intervals: intervalsFromStore(JSON.parse(JSON.stringify(storableIntervals(real.intervals!)))) };
    expect(itemsOf(await runView(compileSpec(actualVsPredictedSpec(reopened)).vg), 'forecast_interval').length).toBe(rows.length);
    expect(itemsOf(await runView(compileSpec(actualVsPredictedSpec(reopened, { region: 1 })).vg), 'forecast_interval')).toHaveLength(0);
  });

  it('budget: the predicted uplift with its range in the title, only for the plan the ensemble planned', () => {
    const iv = real.intervals!.budget!.upliftPct!;
    const title = JSON.stringify((budgetSpec(real) as { title?: unknown }).title);
    expect(title).toMatch(/90 % interval .* to .*, 3 fits/);
    expect(iv.lo).toBeLessThanOrEqual(real.budget!.upliftPct);
    expect(iv.hi).toBeGreaterThanOrEqual(real.budget!.upliftPct);
    const otherPlan = { ...real, budget: { ...real.budget!, budget: real.budget!.budget * 1.2 } };
    expect(JSON.stringify((budgetSpec(otherPlan) as { title?: unknown }).title)).not.toMatch(/interval/);
  });

  it('contribution by channel: the share interval in the tooltip for the whole panel only', () => {
    const spec = contributionByChannelSpec(real);
    expect(missingFields(spec as never)).toEqual([]);
    expect(compileSpec(spec).warnings).toEqual([]);
    const rows = (spec as unknown as { datasets: { main: { channel: string; shareLo: number; shareHi: number }[] } }).datasets.main;
    const share = new Map(real.intervals!.channels.map((c) => [c.channel, c.share]));
    for (const r of rows) {
      expect(r.shareLo).toBeCloseTo(share.get(r.channel)!.lo, 4);
      expect(r.shareHi).toBeCloseTo(share.get(r.channel)!.hi, 4);
    }
    expect(JSON.stringify(spec)).toMatch(/Share of media, 90 % interval/);
    const oneRegion = contributionByChannelSpec(real, { region: 0 });
    expect(JSON.stringify(oneRegion)).not.toMatch(/shareLo|interval/);
  });

  it('HTML report: ROI and marginal ROI interval columns and a note on what they mean; none without an ensemble', async () => {
    const html = await buildReportHtml({ results: real, dataName: 'demo', appVersion: 'test' });
    expect(html).toContain('<th scope="col">ROI, 90 % interval</th>');
    const first = real.intervals!.channels[0];
    expect(html).toContain(`${formatFixed(first.roi!.lo, 2)} – ${formatFixed(first.roi!.hi, 2)}`);
    expect(html).toMatch(/id="report-intervals"[^>]*>Intervals from 3 fits/);
    // The views in the report carry the marks too (ROI error bars as SVG rules).
    expect(html).toMatch(/roi_interval_marks/);
    const plain = await buildReportHtml({ results: single, dataName: 'demo', appVersion: 'test' });
    expect(plain).not.toMatch(/interval/i);
  });

  it('without an ensemble neither view draws interval marks', async () => {
    expect(itemsOf(await runView(compileSpec(roiSpec(single)).vg), 'roi_interval')).toHaveLength(0);
    expect(itemsOf(await runView(compileSpec(responseCurvesSpec(single)).vg), 'curve_interval')).toHaveLength(0);
    expect(JSON.stringify(roiSpec(single))).not.toMatch(/interval/);
    expect(itemsOf(await runView(compileSpec(actualVsPredictedSpec(single)).vg), 'forecast_interval')).toHaveLength(0);
  });
});
