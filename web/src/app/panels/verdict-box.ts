// The verdict on the forecasts, shown as text at the top of the Model quality view: the plain-
// language verdict, the validation backtest per origin beside the holdout (and the naive forecast
// when the app shows it instead of the model's), and media's share of the prediction with its
// warning, whether a calibrated model still disagrees with its experiments, and whether calibration
// moved a channel nobody tested. The figures come from engine/verdict.ts, the one place they are
// computed.
import { calibrationWarning, testAgreements } from '../../calibration/agreement';
import { calibrationShiftNotice, roiShifts } from '../../calibration/shift';
import type { ModelResults } from '../../engine/results';
import { forecastVerdict, type ScoredWindow } from '../../engine/verdict';
import { formatFixed, formatPct } from '../../format/number';
import { alertBox, h } from '../dom';

function windowRow(label: string, w: { r2: number | null; wape: number | null; skillRecent: number | null; skillSeasonal: number | null }, id: string): HTMLTableRowElement {
  return h('tr', { 'data-window': id },
    h('th', { scope: 'row' }, label),
    h('td', {}, formatFixed(w.r2, 3)),
    h('td', {}, formatPct(w.wape)),
    h('td', {}, formatPct(w.skillRecent)),
    h('td', {}, formatPct(w.skillSeasonal)),
  );
}

const weeksOf = (w: ScoredWindow) => `${w.weeks} week${w.weeks === 1 ? '' : 's'} from ${w.firstDate}`;

export function renderVerdictBox(results: ModelResults): HTMLElement {
  const v = forecastVerdict(results);
  const body = h('tbody', {});
  v.validation.forEach((w, i) => body.append(windowRow(`Validation (${weeksOf(w)})`, w, `validation-${i}`)));
  if (v.holdout) body.append(windowRow(`Holdout, model (${weeksOf(v.holdout)})`, v.holdout, 'holdout'));
  const naive = v.fallbackForecast?.holdout;
  if (naive) body.append(windowRow('Holdout, naive forecast (shown)', naive, 'naive'));
  return h('section', { id: 'quality-verdict', class: 'mmm-verdict', 'aria-label': 'Verdict on the forecasts', 'data-beats-naive': String(v.beatsNaive), 'data-fallback': v.fallback },
    h('p', { id: 'verdict-text' }, h('strong', {}, 'Verdict: '), v.text),
    v.fallbackForecast ? h('p', { id: 'verdict-fallback' }, `${v.fallbackForecast.label}. The Actual vs predicted view draws it over the holdout weeks; the model’s own holdout figures stay in the table.`) : null,
    body.childElementCount
      ? h('table', { class: 'mmm-table', id: 'verdict-backtest' },
          h('caption', {}, `Backtest: each forecast window scored against the actuals (skill above ${formatPct(0, 0)} beats the naive forecast)`),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Forecast window'), h('th', { scope: 'col' }, 'R² (pooled)'), h('th', { scope: 'col' }, 'WAPE'), h('th', { scope: 'col' }, 'Skill vs recent mean'), h('th', { scope: 'col' }, 'Skill vs same week last year'))),
          body)
      : null,
    h('p', { id: 'verdict-media-share' }, 'Media share of the prediction (training weeks): ', h('strong', {}, formatPct(v.mediaShare))),
    v.mediaShareWarning ? Object.assign(alertBox('warning', 'Implausible media share', v.mediaShareWarning), { id: 'verdict-media-warning' }) : null,
    v.calibrationWarning ? calibrationAlert(v.calibrationWarning, 'verdict-calibration-warning') : null,
    v.calibrationShiftNotice ? shiftAlert(v.calibrationShiftNotice, 'verdict-calibration-shift') : null,
  );
}

const calibrationAlert = (text: string, id: string) => Object.assign(alertBox('warning', 'The model disagrees with an experiment', text), { id });
const shiftAlert = (text: string, id: string) => Object.assign(alertBox('warning', 'Calibration moved an untested channel', text), { id });

/** The same warning above "Experiments: measured vs model", or null when the model agrees with
 * every test (or was not calibrated). */
export function renderExperimentsWarning(results: ModelResults): HTMLElement | null {
  const text = calibrationWarning(testAgreements(results.calibration, results));
  return text ? calibrationAlert(text, 'experiments-calibration-warning') : null;
}

/** The notice above "Calibration: ROI before and after" when calibration moved an untested channel
 * by more than a fifth, or null. */
export function renderCalibrationShiftNotice(results: ModelResults): HTMLElement | null {
  const text = calibrationShiftNotice(roiShifts(results.calibration, results));
  return text ? shiftAlert(text, 'calibration-shift-notice') : null;
}
