// The app's calibration inputs: a priors file fills the editable table, the table's rows and the
// experiments file are checked against the current panel and the run's holdout with the CLI's parser.
import { beforeEach, describe, expect, it } from 'vitest';
import { calibrationInputs, calibrationPanel } from '../../../web/src/app/calibration-inputs';
import type { Dataset } from '../../../web/src/app/state';

const weeks = 30;
const dates = Array.from({ length: weeks }, (_, t) => new Date(Date.UTC(2024, 0, 1 + 7 * t)).toISOString().slice(0, 10));
const spend = new Float32Array(weeks * 2).fill(10);
const dataset = {
  source: 'file', name: 'x.csv', table: null, inference: null, report: null, truth: null, original: null,
  mapping: { dateOrder: 'dmy' },
  panel: { regions: 1, weeks, channels: 2, controls: 0, media: spend, spend, controlValues: new Float32Array(0), kpi: new Float32Array(weeks), channelNames: ['TV', 'Search'], regionNames: ['all'], dates },
} as unknown as Dataset;

describe('calibration inputs', () => {
  beforeEach(() => calibrationInputs.reset());

  it('a priors file fills the table; the table is checked row by row', () => {
    const check = calibrationInputs.loadPriorsText('\uFEFFroi_sd,channel,roi_mean\r\n0.5,"TV",2\r\n1,Search,-1\r\n', calibrationPanel(dataset)!);
    expect(check.errors.map((e) => e.message)).toEqual(['row 3: roi_mean is -1; an ROI prior must be 0 or more']);
    expect(calibrationInputs.priors).toEqual([{ channel: 'TV', mean: '2', sd: '0.5' }, { channel: 'Search', mean: '-1', sd: '1' }]);
    calibrationInputs.setPriors([...calibrationInputs.priors.slice(0, 1), { channel: 'Search', mean: '3', sd: '1' }, { channel: '', mean: '', sd: '' }]);
    expect(calibrationInputs.checkPriors(dataset)).toEqual({ errors: [], priors: [{ row: 2, channel: 'TV', prior: { channel: 0, mean: 2, sd: 0.5 } }, { row: 3, channel: 'Search', prior: { channel: 1, mean: 3, sd: 1 } }] });
  });

  it('a priors file without its columns leaves the table as it was', () => {
    calibrationInputs.setPriors([{ channel: 'TV', mean: '1', sd: '1' }]);
    const check = calibrationInputs.loadPriorsText('channel,mean\nTV,2\n', calibrationPanel(dataset)!);
    expect(check.errors[0].message).toMatch(/unknown column 'mean'/);
    expect(calibrationInputs.priors).toEqual([{ channel: 'TV', mean: '1', sd: '1' }]);
  });

  it('experiments are checked with the run holdout and the time column day/month order', () => {
    calibrationInputs.setExperiments({ name: 't.csv', text: 'channel,start,end,lift,lift_se\nSearch,08/01/2024,31/03/2024,100,10\n' });
    expect(calibrationInputs.checkExperiments(dataset, 13)?.experiments[0].experiment).toEqual({ channel: 1, startWeek: 1, endWeek: 12, lift: 100, liftSe: 10 });
    expect(calibrationInputs.checkExperiments(dataset, 20)?.errors[0].message).toMatch(/into the 20 holdout weeks/);
    expect(calibrationInputs.checkExperiments(null, 13)).toBeNull();
  });
});
