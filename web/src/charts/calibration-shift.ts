// "Calibration: what moved": every channel's ROI in the model fitted without the experiments and
// priors (grey) and in the calibrated model (blue), joined by a line; channels an experiment or a
// prior measured are marked. It shows what a test did to the channels nobody tested
// (calibration/shift.ts says when one moved by more than a fifth).
import type { TopLevelSpec } from 'vega-lite';
import { calibrationShiftNotice, roiShifts } from '../calibration/shift';
import type { ModelResults } from '../engine/results';
import { formatSignedPct } from '../format/number';
import { asSpec, frame } from './spec';
import { ACCENT, MUTED, formatNumber, num, numberFormat } from './theme';
import type { ViewOptions } from './types';

export function calibrationShiftAvailable(results: ModelResults): string {
  if (!results.calibration) return 'The model was not calibrated (add an experiments file in the Data tab or ROI priors in Advanced settings).';
  return roiShifts(results.calibration, results).length
    ? ''
    : 'No ROI of the model before calibration to compare with: train once without experiments and priors, then with them (the CLI fits both unless --skip-uncalibrated); ROI needs spend columns.';
}

const BEFORE = 'Without calibration';
const AFTER = 'Calibrated';
const SERIES = [BEFORE, AFTER];
const LEGEND = { orient: 'top', direction: 'horizontal' };

export function calibrationShiftSpec(results: ModelResults, _options?: ViewOptions): TopLevelSpec {
  const shifts = roiShifts(results.calibration, results);
  const label = (s: (typeof shifts)[number]) => (s.tested ? `${s.channel} (tested)` : s.channel);
  const labels = shifts.map(label);
  const rows = shifts.flatMap((s) => {
    const common = { channel: label(s), before: num(s.before), after: num(s.after), change: num(s.change), tested: s.tested ? 'yes' : 'no' };
    return [
      { ...common, series: BEFORE, roi: num(s.before) },
      { ...common, series: AFTER, roi: num(s.after) },
    ];
  });
  const fmt = numberFormat(rows.map((r) => r.roi ?? 0));
  const y = { field: 'channel', type: 'nominal', sort: labels, title: null, axis: { labelLimit: 240 } };
  const tooltip = [
    { field: 'channel', type: 'nominal', title: 'Channel' },
    { field: 'before', type: 'quantitative', format: fmt, title: 'ROI without calibration' },
    { field: 'after', type: 'quantitative', format: fmt, title: 'ROI calibrated' },
    { field: 'change', type: 'quantitative', format: '+.0%', title: 'Change' },
    { field: 'tested', type: 'nominal', title: 'Measured by a test or prior' },
  ];
  const notice = calibrationShiftNotice(shifts);
  const description = `Dumbbell chart of ${shifts.length} channel${shifts.length === 1 ? '' : 's'}: ROI over the whole data without calibration and calibrated. ` +
    shifts.map((s) => `${label(s)}: ${formatNumber(s.before)} → ${formatNumber(s.after)} (${formatSignedPct(s.change, 0)}).`).join(' ') +
    (notice ? ` ${notice}` : '');
  return asSpec({
    ...frame({
      id: 'calibration-shift',
      title: 'Calibration: ROI before and after',
      subtitle: 'grey: the model fitted without the experiments and priors · blue: the calibrated model · (tested): an experiment or a prior measured the channel',
      description,
      datasets: { main: rows },
      height: Math.max(120, 36 * shifts.length),
    }),
    data: { name: 'main' },
    encoding: { y },
    layer: [
      { mark: { type: 'rule', color: MUTED, opacity: 0.5, strokeWidth: 2 }, transform: [{ filter: `datum.series === '${AFTER}'` }], encoding: { y, x: { field: 'before', type: 'quantitative' }, x2: { field: 'after' } } },
      {
        mark: { type: 'point', filled: true, size: 110 },
        encoding: {
          y,
          x: { field: 'roi', type: 'quantitative', title: 'ROI (KPI per unit of spend, whole data)', scale: { zero: false } },
          color: { field: 'series', type: 'nominal', title: null, sort: SERIES, scale: { domain: SERIES, range: [MUTED, ACCENT] }, legend: LEGEND },
          shape: { field: 'series', type: 'nominal', title: null, sort: SERIES, scale: { domain: SERIES, range: ['circle', 'square'] }, legend: LEGEND },
          tooltip,
        },
      },
    ],
  });
}
