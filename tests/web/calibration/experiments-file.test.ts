// The experiments and ROI-priors files: every message, and the mapping of names and dates to indices.
import { describe, expect, it } from 'vitest';
import { parseExperimentsCsv, parsePriorsCsv, weekOfDate, type CalibrationPanel } from '../../../web/src/calibration/experiments-file';

/** 2 regions × 30 weekly dates × 3 channels; Radio has no spend. */
function panel(withSpend = true): CalibrationPanel {
  const weeks = 30;
  const channels = 3;
  const dates = Array.from({ length: weeks }, (_, t) => new Date(Date.UTC(2024, 0, 1 + 7 * t)).toISOString().slice(0, 10));
  const spend = new Float32Array(2 * weeks * channels);
  for (let i = 0; i < spend.length; i += channels) (spend[i] = 100), (spend[i + 1] = 50);
  return { regions: 2, weeks, channels, channelNames: ['TV', 'Paid search', 'Radio'], regionNames: ['North', 'South'], dates, spend: withSpend ? spend : null };
}

const HEADER = 'channel,start,end,regions,lift,lift_se,roi,roi_se';
const experiments = (rows: string[], p = panel(), holdoutWeeks = 8) => parseExperimentsCsv([HEADER, ...rows].join('\n'), p, { holdoutWeeks });
const only = (rows: string[], p?: CalibrationPanel) => {
  const r = experiments(rows, p);
  expect(r.experiments).toEqual([]);
  expect(r.errors).toHaveLength(1);
  return r.errors[0];
};

describe('experiments file', () => {
  it('maps names, dates and regions to indices (lift and ROI rows)', () => {
    const r = experiments(['TV,2024-01-08,2024-02-26,North|South,1200,150,,', 'paid_search,2024-01-01,2024-01-31,south,,,2.5,0.4', 'Radio,2024-03-04,2024-03-10,,40,8,,']);
    expect(r.errors).toEqual([]);
    expect(r.experiments.map((x) => x.experiment)).toEqual([
      { channel: 0, startWeek: 1, endWeek: 8, regions: [0, 1], lift: 1200, liftSe: 150 },
      { channel: 1, startWeek: 0, endWeek: 4, regions: [1], roi: 2.5, roiSe: 0.4 },
      { channel: 2, startWeek: 9, endWeek: 9, lift: 40, liftSe: 8 },
    ]);
    expect(r.experiments[1]).toMatchObject({ row: 3, channel: 'Paid search', regions: ['South'], kind: 'roi', start: '2024-01-01', end: '2024-01-29' });
  });

  it('reads dates in the time column format and week ids', () => {
    const r = parseExperimentsCsv('channel,start,end,lift,lift_se\nTV,08/01/2024,15/01/2024,10,1', panel(), { timeFormat: 'dmy' });
    expect(r.errors).toEqual([]);
    expect(r.experiments[0].experiment).toMatchObject({ startWeek: 1, endWeek: 2 });
    const ids = { ...panel(), dates: Array.from({ length: 30 }, (_, t) => String(t + 1)) };
    expect(weekOfDate('3', ids)).toBe(2);
    expect(weekOfDate('31', ids)).toMatch(/week 31 is outside the data/);
  });

  it('unknown channel, with the nearest name', () => {
    expect(only(['TVV,2024-01-08,2024-01-15,,10,1,,']).message).toBe("row 2: unknown channel 'TVV'; did you mean 'TV'? (the channels are TV, Paid search, Radio)");
  });

  it('dates outside the data, unreadable dates', () => {
    expect(only(['TV,2023-12-01,2024-01-15,,10,1,,'])).toMatchObject({ row: 2, column: 'start', message: 'row 2: start: the date 2023-12-01 is outside the data (the data runs from 2024-01-01 to 2024-07-22)' });
    expect(only(['TV,2024-01-08,someday,,10,1,,']).message).toMatch(/^row 2: end: cannot read the date 'someday'; write it as yyyy-mm-dd/);
  });

  it('end before start', () => {
    expect(only(['TV,2024-02-05,2024-01-08,,10,1,,']).message).toBe('row 2: the end (2024-01-08) is before the start (2024-02-05); swap them');
  });

  it('a window reaching into the holdout', () => {
    // 30 weeks, 8 held out: the holdout starts in week 22 (2024-06-03).
    expect(only(['TV,2024-05-20,2024-06-10,,10,1,,']).message).toMatch(/^row 2: the test runs until 2024-06-10, into the 8 holdout weeks \(from 2024-06-03\)/);
  });

  it('unknown region, with the nearest name', () => {
    expect(only(['TV,2024-01-08,2024-01-15,North;Sout,10,1,,'])).toMatchObject({ column: 'regions', message: "row 2: unknown region 'Sout'; did you mean 'South'? (separate regions with ';' or '|')" });
  });

  it('negative, zero and missing standard errors', () => {
    expect(only(['TV,2024-01-08,2024-01-15,,10,-1,,']).message).toBe('row 2: lift_se is -1; a standard error must be positive');
    expect(only(['TV,2024-01-08,2024-01-15,,,,2,0']).message).toBe('row 2: roi_se is 0; a standard error must be positive');
    expect(only(['TV,2024-01-08,2024-01-15,,10,,,']).message).toMatch(/^row 2: lift_se is missing/);
  });

  it('both or neither of lift and ROI, and numbers that are not numbers', () => {
    expect(only(['TV,2024-01-08,2024-01-15,,10,1,2,0.5']).message).toMatch(/^row 2: gives both a lift and an ROI/);
    expect(only(['TV,2024-01-08,2024-01-15,,,,,']).message).toMatch(/^row 2: gives neither a lift nor an ROI/);
    expect(only(['TV,2024-01-08,2024-01-15,,lots,1,,']).message).toBe("row 2: lift 'lots' is not a number");
  });

  it('readout_weeks: optional, a whole number of weeks from 0 to 26', () => {
    const head = 'channel,start,end,lift,lift_se,readout_weeks';
    const r = parseExperimentsCsv([head, 'TV,2024-01-08,2024-01-15,10,1,0', 'TV,2024-02-05,2024-02-12,10,1,4', 'TV,2024-03-04,2024-03-11,10,1,'].join('\n'), panel(), { holdoutWeeks: 8 });
    expect(r.errors).toEqual([]);
    expect(r.experiments.map((x) => x.experiment.readoutWeeks)).toEqual([0, 4, undefined]);
    for (const bad of ['-1', '2.5', '27', 'soon']) {
      const e = parseExperimentsCsv([head, `TV,2024-01-08,2024-01-15,10,1,${bad}`].join('\n'), panel(), { holdoutWeeks: 8 });
      expect(e.experiments).toEqual([]);
      expect(e.errors[0]).toMatchObject({ row: 2, column: 'readout_weeks' });
      expect(e.errors[0].message).toBe(`row 2: readout_weeks '${bad}' must be a whole number of weeks from 0 to 26 (the weeks after the test's end that its lift includes; 0 = the test weeks only, empty = until the carryover fades)`);
    }
  });

  it('an ROI without spend', () => {
    expect(only(['Radio,2024-01-08,2024-01-15,,,,2,0.5']).message).toMatch(/^row 2: gives an ROI, but Radio has no spend in the test's regions and weeks; give the lift instead/);
    expect(only(['TV,2024-01-08,2024-01-15,,,,2,0.5'], panel(false)).message).toMatch(/TV has no spend in the test's regions and weeks \(the data maps no spend\)/);
  });

  it('lists every bad row, numbered as in a spreadsheet', () => {
    const r = experiments(['TV,2024-01-08,2024-01-15,,10,1,,', 'TVV,2024-01-08,2024-01-15,,10,1,,', 'TV,2024-01-08,2024-01-15,,10,0,,']);
    expect(r.experiments).toHaveLength(1);
    expect(r.errors.map((e) => e.row)).toEqual([3, 4]);
  });

  it('file-level problems: empty, unknown or missing columns, no rows', () => {
    expect(parseExperimentsCsv('', panel()).errors[0].message).toMatch(/^the experiments file is empty/);
    expect(parseExperimentsCsv('channel,start,end,lift,lift_sd\nTV,2024-01-08,2024-01-15,1,1', panel()).errors[0].message).toBe(
      "unknown column 'lift_sd'; did you mean 'lift_se'? (the columns are channel, start, end, regions, lift, lift_se, roi, roi_se, readout_weeks)");
    expect(parseExperimentsCsv('channel,end,lift,lift_se\nTV,2024-01-15,1,1', panel()).errors[0].message).toMatch(/has no 'start' column/);
    expect(parseExperimentsCsv('channel,start,end,lift,lift_se\n', panel()).errors[0].message).toBe('the experiments file has a header but no rows');
  });
});

describe('priors file', () => {
  const priors = (rows: string[], p = panel()) => parsePriorsCsv(['channel,roi_mean,roi_sd', ...rows].join('\n'), p);

  it('maps channels to indices', () => {
    const r = priors(['TV,2,0.5', 'paid search,3.5,1']);
    expect(r.errors).toEqual([]);
    expect(r.priors.map((x) => x.prior)).toEqual([{ channel: 0, mean: 2, sd: 0.5 }, { channel: 1, mean: 3.5, sd: 1 }]);
  });

  it('every message', () => {
    const r = priors(['Tv2,2,0.5', 'TV,-1,0.5', 'TV,2,0.5', 'Paid search,2,0', 'Paid search,2,0.5', 'Radio,1,1', 'TV,,']);
    expect(r.errors.map((e) => e.message)).toEqual([
      "row 2: unknown channel 'Tv2'; did you mean 'TV'? (the channels are TV, Paid search, Radio)",
      'row 3: roi_mean is -1; an ROI prior must be 0 or more',
      'row 4: TV already has a prior (row 3); give one prior per channel',
      'row 5: roi_sd is 0; the spread must be positive',
      'row 6: Paid search already has a prior (row 5); give one prior per channel',
      'row 7: Radio has no spend, so it has no ROI; map its spend column or leave it out',
      'row 8: TV already has a prior (row 3); give one prior per channel',
      'row 8: roi_mean is missing; give the ROI you expect (KPI per unit of spend, 0 or more)',
      'row 8: roi_sd is missing; give the spread of your belief (a positive number)',
    ]);
    expect(r.priors).toEqual([]);
    expect(priors(['TV,x,1']).errors[0].message).toBe("row 2: roi_mean 'x' is not a number");
    expect(parsePriorsCsv('channel,roi_mean\nTV,2', panel()).errors[0].message).toMatch(/has no 'roi_sd' column/);
  });
});
