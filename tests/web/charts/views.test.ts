// Every registered view, built from several kinds of results: compiles with vega-lite without
// warnings, parses with vega in AST mode, runs headless with the expression interpreter (the
// CSP-safe path) and draws marks; its data has rows and the fields its encodings read.
// Generic over any ModelResults: the first case is a real model fitted by the wasm core.
import { describe, expect, it } from 'vitest';
import type { ModelResults } from '../../../web/src/engine/results';
import { VIEWS, availableViews, getView, isResponsive } from '../../../web/src/charts/index';
import { mainRows } from '../../../web/src/charts/render';
import { COMPONENT_COLORS, channelColor } from '../../../web/src/charts/theme';
import type { ViewId, ViewOptions } from '../../../web/src/charts/types';
import { makeResults } from './fixture';
import { fitDemoModel } from './real-model';
import { compileSpec, explicitScales, markItemCount, missingFields, runView } from './helpers';

// Headless views have no window to listen to for container resizes; that warning is expected.
const EXPECTED_RUNTIME = /Can not resolve event source: window/;

const realModel = await fitDemoModel();

const CASES: [string, () => ModelResults][] = [
  ['a real fitted demo model (wasm core)', () => realModel],
  ['default results', () => makeResults()],
  ['activity only, week ids, no controls', () => makeResults({ spend: false, dates: 'ids', controls: 0, truth: false })],
  ['one region, two channels, long history', () => makeResults({ regions: 1, channels: 2, weeks: 120, history: 300 })],
];

type Spec = Record<string, unknown>;

async function checkSpec(id: ViewId, results: ModelResults, spec: Spec) {
  // Frame: title, text alternative, export metadata.
  const title = spec.title as { text?: string } | undefined;
  expect(title?.text, `${id} title`).toBeTruthy();
  expect(typeof spec.description === 'string' && (spec.description as string).length > 40, `${id} description`).toBe(true);
  expect((spec.usermeta as { viewId?: string }).viewId).toBe(id);
  // Width: fills the container, or is compound with numeric widths.
  const compound = ['vconcat', 'hconcat', 'concat', 'facet'].some((k) => k in spec);
  expect(compound ? spec.width === undefined : isResponsive(spec), `${id} width`).toBe(true);
  // Data: the main dataset has rows, every encoded field exists.
  const rows = mainRows(spec as never);
  // The DAG network's main data is its edge list, which is empty when nothing was learned; its
  // nodes are still drawn.
  if (id !== 'dag-network' || results.adjacency.some((v) => v >= 0.05)) expect(rows.length, `${id} main rows`).toBeGreaterThan(0);
  // Fields can only be checked against rows that exist.
  if (Object.values(spec.datasets as Record<string, Spec[]>).every((d) => d.length > 0)) expect(missingFields(spec), `${id} fields`).toEqual([]);
  // No NaN/undefined leaks into data (null is how missing values are written).
  for (const ds of Object.values(spec.datasets as Record<string, Spec[]>))
    for (const row of ds) for (const v of Object.values(row)) expect(v === undefined || (typeof v === 'number' && !Number.isFinite(v)), `${id} bad value`).toBe(false);
  // Compile + run.
  const { vg, warnings } = compileSpec(spec as never);
  expect(warnings, `${id} vega-lite warnings`).toEqual([]);
  const runtimeWarnings: string[] = [];
  const view = await runView(vg, runtimeWarnings);
  expect(runtimeWarnings.filter((w) => !EXPECTED_RUNTIME.test(w)), `${id} runtime warnings`).toEqual([]);
  const marks = markItemCount(view);
  expect(marks.items, `${id} mark items`).toBeGreaterThan(0);
  const svg = await view.toSVG();
  expect(svg.startsWith('<svg')).toBe(true);
  // The text alternative reaches the view (Vega puts it on the live <svg> as aria-label).
  expect(view.description()).toBe(spec.description);
  view.finalize();
}

describe.each(CASES)('views from %s', (_name, make) => {
  const results = make();
  const ids = VIEWS.map((v) => v.id);
  it.each(ids)('%s', async (id) => {
    const v = getView(id);
    if (!v.available(results)) {
      expect(v.unavailableReason(results)).not.toBe('');
      return;
    }
    expect(v.unavailableReason(results)).toBe('');
    await checkSpec(id, results, v.build(results, { kpiLabel: 'sales', spendLabel: 'EUR', width: 900 }) as unknown as Spec);
  });
});

describe('registry', () => {
  it('has the 21 required views plus extras, unique ids, descriptions and groups', () => {
    const required: ViewId[] = [
      'quality', 'actual-vs-predicted', 'holdout-scatter', 'contribution-by-channel', 'contribution-share', 'waterfall',
      'contributions-over-time', 'coefficients', 'effectiveness', 'dag-heatmap', 'dag-network', 'channel-detail',
      'scaled-inputs', 'response-curves', 'roi', 'transforms', 'budget', 'regions', 'residuals', 'training', 'truth',
    ];
    const ids = VIEWS.map((v) => v.id);
    for (const id of required) expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const v of VIEWS) {
      expect(v.title.length).toBeGreaterThan(2);
      expect(v.description.length).toBeGreaterThan(30);
    }
    expect(() => getView('nope' as ViewId)).toThrow(/Unknown/);
  });

  it('marks views unavailable when their data does not exist', () => {
    const noSpend = makeResults({ spend: false, truth: false });
    const ids = (r: ModelResults) => availableViews(r).map((v) => v.id);
    expect(ids(noSpend)).not.toContain('budget');
    expect(ids(noSpend)).not.toContain('truth');
    expect(ids(noSpend)).not.toContain('spend-vs-effect');
    expect(ids(noSpend)).toContain('roi'); // as effect per 1,000 units
    const noHoldout = makeResults({ holdoutWeeks: 0 });
    expect(ids(noHoldout)).not.toContain('holdout-scatter');
    expect(ids(makeResults({ history: 0 }))).not.toContain('training');
    const one = makeResults({ channels: 1, regions: 1 });
    expect(ids(one)).not.toContain('dag-network');
    expect(ids(one)).not.toContain('dag-heatmap');
    expect(ids(one)).not.toContain('regions');
    const full = makeResults();
    // Every view but the two that need a calibrated model (tests/web/charts/experiments.test.ts,
    // calibration-shift.test.ts).
    expect(ids(full)).toEqual(VIEWS.map((v) => v.id).filter((id) => id !== 'experiments' && id !== 'calibration-shift'));
  });

  it('every option a view declares is accepted by its builder', () => {
    const results = makeResults();
    for (const v of VIEWS)
      for (const o of v.options ?? []) {
        const values: unknown[] =
          o.control === 'region' ? [null, results.shape.regions - 1]
          : o.control === 'channel' ? [0, results.shape.channels - 1]
          : o.control === 'range' ? [{ from: 2, to: Math.min(results.shape.weeks, 30) }]
          : o.control === 'select' ? (o.choices ?? []).map((c) => c.value)
          : o.control === 'number' ? [o.min, o.max]
          : [true, false];
        for (const value of values) {
          const spec = v.build(results, { [o.key]: value } as ViewOptions) as unknown as Spec;
          expect(compileSpec(spec as never).warnings, `${v.id} ${o.key}=${JSON.stringify(value)}`).toEqual([]);
          expect(missingFields(spec)).toEqual([]);
        }
      }
  });
});

describe('colours', () => {
  it('gives each channel the same colour in every view, and greys to the other components', () => {
    const results = makeResults();
    const names = results.channelNames;
    let checked = 0;
    for (const v of availableViews(results)) {
      const spec = v.build(results, {});
      for (const s of explicitScales(spec)) {
        s.domain.forEach((d, i) => {
          const c = names.indexOf(d as string);
          if (c >= 0 && typeof s.range[i] === 'string' && (s.range[i] as string).startsWith('#')) {
            expect(s.range[i], `${v.id}: ${d}`).toBe(channelColor(c));
            checked++;
          }
          if (typeof d === 'string' && d in COMPONENT_COLORS) expect(s.range[i]).toBe(COMPONENT_COLORS[d as keyof typeof COMPONENT_COLORS]);
        });
      }
    }
    expect(checked).toBeGreaterThan(names.length * 8);
  });

  it('keeps channel colours distinct for the first 40 channels', () => {
    const colours = Array.from({ length: 40 }, (_, i) => channelColor(i));
    expect(new Set(colours).size).toBe(40);
    for (const g of Object.values(COMPONENT_COLORS)) expect(colours).not.toContain(g);
  });
});
