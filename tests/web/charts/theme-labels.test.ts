// Live-view transforms applied by renderView: the dark theme (themedSpec) and full label text on
// hover with wrapping horizontal legends (withFullLabels). Every view must still compile without
// warnings and run headless with them applied.
import { describe, expect, it } from 'vitest';
import { VIEWS } from '../../../web/src/charts/index';
import { CONFIG, DARK_BACKGROUND, INK, LEGEND_ROW, channelColor, themedSpec, withFullLabels } from '../../../web/src/charts/theme';
import { makeResults } from './fixture';
import { compileSpec, runView } from './helpers';

type Spec = Record<string, unknown>;
const EXPECTED_RUNTIME = /Can not resolve event source: window/;
const results = makeResults({ channels: 14 });

describe('themedSpec (dark)', () => {
  it('swaps the light theme colours, keeps channel colours and never touches the data', () => {
    const spec = { config: CONFIG, datasets: { main: [{ label: INK, v: 1 }] }, mark: { type: 'text', color: INK }, encoding: { color: { scale: { range: [channelColor(0), INK] } } } };
    const dark = themedSpec(spec, 'dark') as typeof spec;
    expect(dark.config.background).toBe(DARK_BACKGROUND);
    expect(dark.mark.color).not.toBe(INK);
    expect(dark.encoding.color.scale.range).toEqual([channelColor(0), dark.mark.color]);
    expect(dark.datasets.main[0].label).toBe(INK);
    expect(themedSpec(spec, 'light')).toBe(spec);
    // The light spec itself is unchanged.
    expect(spec.config.background).toBe('#ffffff');
  });

  it.each(VIEWS.filter((v) => v.available(results)).map((v) => [v.id, v] as const))('%s draws on the dark background', async (_id, view) => {
    const { vg, warnings } = compileSpec(themedSpec(view.build(results, { width: 900 }), 'dark'));
    expect(warnings).toEqual([]);
    const runtime: string[] = [];
    const v = await runView(vg, runtime);
    expect(runtime.filter((w) => !EXPECTED_RUNTIME.test(w))).toEqual([]);
    expect(v.background()).toBe(DARK_BACKGROUND);
    v.finalize();
  });
});

describe('withFullLabels (on the compiled Vega spec)', () => {
  it.each(VIEWS.filter((v) => v.available(results)).map((v) => [v.id, v] as const))('%s still runs headless', async (_id, view) => {
    const { vg, warnings } = compileSpec(view.build(results, { width: 900 }));
    expect(warnings).toEqual([]);
    const runtime: string[] = [];
    const v = await runView(withFullLabels(vg), runtime);
    expect(runtime.filter((w) => !EXPECTED_RUNTIME.test(w))).toEqual([]);
    v.finalize();
  });

  it('legend labels and name-axis labels show the full name on hover; numeric axes are left alone', () => {
    const view = VIEWS.find((v) => v.id === 'contribution-by-channel')!;
    const vg = withFullLabels(compileSpec(view.build(results, { width: 900 })).vg) as unknown as { axes: Spec[]; legends?: Spec[] };
    const labelsOf = (g: Spec) => (g.encode as { labels?: { interactive?: boolean; update?: { tooltip?: unknown } } } | undefined)?.labels;
    const named = vg.axes.filter((a) => labelsOf(a)?.interactive);
    expect(named.length).toBeGreaterThan(0);
    for (const a of named) expect(labelsOf(a)?.update?.tooltip).toEqual({ signal: 'datum.label' });
    expect(vg.axes.some((a) => a.labels !== false && !labelsOf(a)?.interactive)).toBe(true);
  });

  it('horizontal legends wrap after LEGEND_ROW entries and their labels carry the tooltip', () => {
    const view = VIEWS.find((v) => v.id === 'response-curves')!;
    const vg = withFullLabels(compileSpec(view.build(results, { width: 900 })).vg) as unknown as { legends: Spec[] };
    const horizontal = vg.legends.filter((l) => l.direction === 'horizontal');
    expect(horizontal.length).toBeGreaterThan(0);
    for (const l of horizontal) expect(l.columns).toBe(LEGEND_ROW);
    for (const l of vg.legends) expect(JSON.stringify(l.encode)).toContain('"tooltip":{"signal":"datum.label"}');
  });
});
