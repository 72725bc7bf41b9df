// "Experiments: measured vs model": available only for calibrated results; draws measured ± SE and
// the model's lift before and after calibration (or after only), compiles and runs without warnings.
import { describe, expect, it } from 'vitest';
import { getView } from '../../../web/src/charts/index';
import { mainRows } from '../../../web/src/charts/render';
import { calibrationReport, experimentLabel } from '../../../web/src/calibration/report';
import type { ParsedExperiment } from '../../../web/src/calibration/experiments-file';
import type { ModelResults } from '../../../web/src/engine/results';
import { makeResults } from './fixture';
import { compileSpec, markItemCount, missingFields, runView } from './helpers';

const parsed: ParsedExperiment[] = [
  { row: 2, channel: 'TV', start: '2024-01-01', end: '2024-02-19', regions: [], kind: 'lift', value: 1000, se: 100, experiment: { channel: 0, startWeek: 0, endWeek: 7, lift: 1000, liftSe: 100 } },
  { row: 3, channel: 'Search', start: '2024-03-04', end: '2024-04-22', regions: ['North', 'South', 'East'], kind: 'roi', value: 2, se: 0.5, experiment: { channel: 1, startWeek: 9, endWeek: 16, regions: [0, 1, 2], roi: 2, roiSe: 0.5 } },
];
const after = [{ measured: 1000, measuredSe: 100, model: 1080, spend: 500, z: 0.8 }, { measured: 400, measuredSe: 100, model: 520, spend: 200, z: 1.2 }];
const before = [{ measured: 1000, measuredSe: 100, model: 1500, spend: 500, z: 5 }, { measured: 400, measuredSe: 100, model: 800, spend: 200, z: 4 }];

function calibrated(withBefore: boolean): ModelResults {
  return { ...makeResults(), calibration: calibrationReport(parsed, [], after, withBefore ? before : null) };
}

describe('experiments view', () => {
  const view = getView('experiments');

  it('is unavailable without experiments, with a reason', () => {
    expect(view.available(makeResults())).toBe(false);
    expect(view.unavailableReason(makeResults())).toMatch(/not calibrated to experiments/);
  });

  it('labels tests by channel, window and regions', () => {
    expect(experimentLabel(parsed[0])).toBe('TV, 2024-01-01 – 2024-02-19, all regions');
    expect(experimentLabel(parsed[1])).toBe('Search, 2024-03-04 – 2024-04-22, 3 regions');
  });

  for (const withBefore of [true, false]) {
    it(`draws measured ± SE and the model ${withBefore ? 'before and after' : 'after'} calibration`, async () => {
      const r = calibrated(withBefore);
      expect(view.available(r)).toBe(true);
      const spec = view.build(r, { kpiLabel: 'sales' }) as unknown as Record<string, unknown>;
      const rows = mainRows(spec as never) as { series: string; value: number; lo1: number; hi2: number; z: number; test_roi?: number; model_roi?: number }[];
      expect(rows.map((x) => x.series)).toEqual(withBefore
        ? ['Measured (± 1 and 2 SE)', 'Model before calibration', 'Model after calibration', 'Measured (± 1 and 2 SE)', 'Model before calibration', 'Model after calibration']
        : ['Measured (± 1 and 2 SE)', 'Model after calibration', 'Measured (± 1 and 2 SE)', 'Model after calibration']);
      expect(rows[0]).toMatchObject({ value: 1000, lo1: 900, hi2: 1200 });
      expect(rows.at(-1)).toMatchObject({ value: 520, z: 1.2 });
      expect(spec.description).toContain(withBefore ? 'model before 1,500, after 1,080' : 'after 1,080');
      // The ROI each test implies (lift / spend in the test) next to the calibrated model's ROI for the channel.
      const tvRoi = r.economics.find((e) => e.channel === 'TV')!.roi!;
      expect(rows[0]).toMatchObject({ test_roi: 2, model_roi: expect.closeTo(tvRoi, 6) });
      expect(spec.description).toContain('the test implies an ROI of 2, the calibrated model');
      expect(missingFields(spec)).toEqual([]);
      const { vg, warnings } = compileSpec(spec as never);
      expect(warnings).toEqual([]);
      const v = await runView(vg);
      expect(markItemCount(v).items).toBeGreaterThanOrEqual(rows.length + 4);
      v.finalize();
    });
  }
});
