// "Experiments: measured vs model": for each lift test the fit was calibrated to, the measured lift
// with ± 1 standard error (and ± 2, lighter), against the model's lift for the same channel and
// regions (switched off in the test's weeks, counted until the carryover fades or over the file's
// readout_weeks; core calibration.hpp) before calibration (an uncalibrated fit of the same data) and
// after it.
import type { TopLevelSpec } from 'vega-lite';
import { calibrationWarning, testAgreements } from '../calibration/agreement';
import type { ModelResults } from '../engine/results';
import { asSpec, frame } from './spec';
import { ACCENT, INK, MUTED, formatNumber, kpiLabel, num, numberFormat } from './theme';
import type { ViewOptions } from './types';

export function experimentsAvailable(results: ModelResults): string {
  return results.calibration?.experiments.length ? '' : 'The model was not calibrated to experiments (add an experiments file in the Data tab).';
}

const MEASURED = 'Measured (± 1 and 2 SE)';
const BEFORE = 'Model before calibration';
const AFTER = 'Model after calibration';
const LEGEND = { orient: 'top', direction: 'horizontal' };
const COLORS: Record<string, string> = { [MEASURED]: INK, [BEFORE]: MUTED, [AFTER]: ACCENT };
const SHAPES: Record<string, string> = { [MEASURED]: 'diamond', [BEFORE]: 'circle', [AFTER]: 'square' };

export function experimentsSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const kpi = kpiLabel(options);
  const tests = results.calibration?.experiments ?? [];
  const labels = tests.map((x, i) => `${i + 1}. ${x.label}`);
  // The ROI each test implies (its lift per unit of the channel's spend in the test; the fit carries
  // it to the whole period as an ROI prior) and the calibrated model's ROI for the channel.
  const agreements = testAgreements(results.calibration, results);
  const testRoi = agreements.map((a) => a.testRoi);
  const modelRoi = agreements.map((a) => a.modelRoi);
  const withRoi = testRoi.some((v) => v !== null);
  const rows = tests.flatMap((x, i) => {
    const common = {
      test: labels[i], measured: num(x.measured), se: num(x.se), lo1: num(x.measured - x.se), hi1: num(x.measured + x.se), lo2: num(x.measured - 2 * x.se), hi2: num(x.measured + 2 * x.se),
      ...(withRoi ? { test_roi: testRoi[i] === null ? null : num(testRoi[i]!), model_roi: modelRoi[i] === null ? null : num(modelRoi[i]!) } : {}),
    };
    return [
      { ...common, series: MEASURED, value: num(x.measured), z: 0 },
      ...(x.before !== null ? [{ ...common, series: BEFORE, value: num(x.before), z: num((x.before - x.measured) / x.se) }] : []),
      { ...common, series: AFTER, value: num(x.after), z: num((x.after - x.measured) / x.se) },
    ];
  });
  const fmt = numberFormat(rows.map((r) => (r.value as number) ?? 0));
  const y = { field: 'test', type: 'nominal', sort: labels, title: null, axis: { labelLimit: 320 } };
  const series = [MEASURED, ...(tests.some((x) => x.before !== null) ? [BEFORE] : []), AFTER];
  const color = { field: 'series', type: 'nominal', title: null, sort: series, scale: { domain: series, range: series.map((x) => COLORS[x]) }, legend: LEGEND };
  const tooltip = [
    { field: 'test', type: 'nominal', title: 'Test' },
    { field: 'series', type: 'nominal', title: 'Series' },
    { field: 'value', type: 'quantitative', format: fmt, title: `Lift (${kpi})` },
    { field: 'measured', type: 'quantitative', format: fmt, title: 'Measured' },
    { field: 'se', type: 'quantitative', format: fmt, title: 'Standard error' },
    { field: 'z', type: 'quantitative', format: '.2f', title: 'Gap in standard errors' },
    ...(withRoi
      ? [
          { field: 'test_roi', type: 'quantitative', format: '.3~g', title: 'ROI the test implies' },
          { field: 'model_roi', type: 'quantitative', format: '.3~g', title: 'Calibrated model’s ROI (whole data)' },
        ]
      : []),
  ];
  const measuredOnly = { filter: `datum.series === '${MEASURED}'` };
  const layer = [
    { transform: [measuredOnly], mark: { type: 'rule', color: INK, opacity: 0.3, strokeWidth: 2 }, encoding: { y, x: { field: 'lo2', type: 'quantitative' }, x2: { field: 'hi2' } } },
    { transform: [measuredOnly], mark: { type: 'rule', color: INK, strokeWidth: 3 }, encoding: { y, x: { field: 'lo1', type: 'quantitative' }, x2: { field: 'hi1' } } },
    {
      mark: { type: 'point', filled: true, size: 110 },
      encoding: {
        y,
        x: { field: 'value', type: 'quantitative', title: `Lift over the test (${kpi})`, scale: { zero: false } },
        color,
        shape: { field: 'series', type: 'nominal', title: null, sort: series, scale: { domain: series, range: series.map((x) => SHAPES[x]) }, legend: LEGEND },
        tooltip,
      },
    },
  ];
  const warning = calibrationWarning(agreements);
  const withinAfter = tests.filter((x) => Math.abs(x.after - x.measured) <= 2 * x.se).length;
  const description = `Dot plot of ${tests.length} experiment${tests.length === 1 ? '' : 's'}: measured lift with one and two standard errors against the model's lift` +
    `${series.includes(BEFORE) ? ' before and' : ''} after calibration. ` +
    tests.map((x, i) => `${labels[i]}: measured ${formatNumber(x.measured)} ± ${formatNumber(x.se)}${x.before !== null ? `, model before ${formatNumber(x.before)}` : ''}, after ${formatNumber(x.after)}` +
      `${testRoi[i] !== null ? `; the test implies an ROI of ${formatNumber(testRoi[i]!)}${modelRoi[i] !== null ? `, the calibrated model's is ${formatNumber(modelRoi[i]!)}` : ''}` : ''}.`).join(' ') +
    ` ${withinAfter} of ${tests.length} within two standard errors after calibration.` +
    (warning ? ` ${warning}` : '');
  const subtitle = series.includes(BEFORE)
    ? 'Measured lift ± 1 SE (dark) and ± 2 SE (light) · grey: the model fitted without the experiments · blue: the calibrated model'
    : 'Measured lift ± 1 SE (dark) and ± 2 SE (light) · blue: the calibrated model · train once without experiments to see the model before calibration';
  return asSpec({
    ...frame({ id: 'experiments', title: `Experiments: measured vs model (${kpi})`, subtitle, description, datasets: { main: rows }, height: Math.max(120, 48 * tests.length) }),
    data: { name: 'main' },
    encoding: { y },
    layer,
  });
}
