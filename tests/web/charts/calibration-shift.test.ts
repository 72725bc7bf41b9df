// "Calibration: ROI before and after": available only for a calibrated model whose uncalibrated
// ROIs are known; draws each channel's ROI before and after joined by a line, marks the tested
// channels, compiles and runs without warnings, and says in its text alternative what moved.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParsedExperiment } from '../../../web/src/calibration/experiments-file';
import { calibrationReport, roisOf } from '../../../web/src/calibration/report';
import { getView } from '../../../web/src/charts/index';
import { mainRows } from '../../../web/src/charts/render';
import type { ModelResults } from '../../../web/src/engine/results';
import { setNumberLocale } from '../../../web/src/format/number';
import { makeResults } from './fixture';
import { compileSpec, markItemCount, missingFields, runView } from './helpers';

const searchTest: ParsedExperiment = {
  row: 2, channel: 'Search', start: '2024-01-01', end: '2024-02-19', regions: [], kind: 'lift', value: 100, se: 10,
  experiment: { channel: 1, startWeek: 0, endWeek: 7, lift: 100, liftSe: 10 },
};
const after = [{ measured: 100, measuredSe: 10, model: 104, spend: 50, z: 0.4 }];

function calibrated(withBefore: boolean): ModelResults {
  const r = makeResults();
  const roiBefore = roisOf(r).map((x) => ({ channel: x.channel, roi: x.roi === null ? null : x.channel === 'TV' ? x.roi / 2 : x.roi }));
  return { ...r, calibration: calibrationReport([searchTest], [], after, null, withBefore ? roiBefore : null) };
}

beforeAll(() => void setNumberLocale('en-US'));

describe('calibration shift view', () => {
  const view = getView('calibration-shift');

  it('is unavailable without calibration, or without the model before it, with a reason', () => {
    expect(view.available(makeResults())).toBe(false);
    expect(view.unavailableReason(makeResults())).toMatch(/not calibrated/);
    expect(view.available(calibrated(false))).toBe(false);
    expect(view.unavailableReason(calibrated(false))).toMatch(/No ROI of the model before calibration to compare with: train once without experiments and priors/);
  });

  it('draws every channel before and after, marks the tested one, and names the untested mover', async () => {
    const r = calibrated(true);
    expect(view.available(r)).toBe(true);
    const spec = view.build(r, {}) as unknown as Record<string, unknown>;
    const rows = mainRows(spec as never) as { channel: string; series: string; roi: number; change: number; tested: string }[];
    const priced = r.economics.filter((e) => e.roi !== null);
    expect(rows).toHaveLength(2 * priced.length);
    expect(rows.filter((x) => x.series === 'Calibrated').map((x) => x.roi)).toEqual(priced.map((e) => expect.closeTo(e.roi!, 6)));
    expect(rows.find((x) => x.channel === 'Search (tested)')).toMatchObject({ tested: 'yes', change: 0 });
    expect(rows.find((x) => x.channel === 'TV' && x.series === 'Without calibration')).toMatchObject({ change: 1, tested: 'no' });
    expect(spec.description).toContain('TV: ');
    expect(spec.description).toContain('(+100%)');
    expect(spec.description).toContain('Calibration moved the ROI of a channel no experiment or prior measured: TV');
    expect(missingFields(spec)).toEqual([]);
    const { vg, warnings } = compileSpec(spec as never);
    expect(warnings).toEqual([]);
    const v = await runView(vg);
    expect(markItemCount(v).items).toBeGreaterThanOrEqual(rows.length + priced.length);
    v.finalize();
  });
});
