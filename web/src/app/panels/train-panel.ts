// Train: sensible defaults, an Advanced section, live progress (epoch, loss and R² curves,
// elapsed time and ETA) and a Cancel that returns within a second and keeps the data. The status
// line updates with every progress report; screen readers hear milestones only (train-milestones.ts).
import { mountLiveMonitor } from '../../charts/live-monitor';
import { renderView, type RenderedView } from '../../charts/render';
import { trainingMonitorSpec } from '../../charts/training';
import type { FitOptions } from '../../engine/core-types';
import { DEFAULT_ENSEMBLE_SIZE, type EnsembleProgress } from '../../engine/ensemble';
import { EngineError } from '../../engine/errors';
import { truthSummary, type AnalysisProgress, type FitProgress } from '../../engine/fit-runner';
import type { EpochPoint, ModelResults } from '../../engine/results';
import { formatFixed, formatInteger, formatPct } from '../../format/number';
import { alertBox, clear, h } from '../dom';
import { ensureSession, forgetSession } from '../session';
import { appState } from '../state';
import { restartEngine } from '../engine-lifecycle';
import { provideCommand } from '../commands';
import { termLinks } from '../glossary';
import { appHost } from '../host';
import { onThemeChange } from '../theme-mode';
import { prepareCalibration } from '../calibration-fit';
import { createPriorsTable } from './priors-table';
import { START_STATE, cancelledMilestone, failedMilestone, finishedMilestone, progressMilestone, startedMilestone } from './train-milestones';

/** How long a cooperative cancel may take before the worker is terminated. */
const HARD_STOP_MS = 1000;

interface Field {
  key: keyof FitOptions;
  label: string;
  help: string;
  input: HTMLInputElement | HTMLSelectElement;
}

function numberField(key: keyof FitOptions, label: string, help: string, attrs: { min: number; max: number; step: number; value: string }): Field {
  const input = h('input', { type: 'number', id: `opt-${key}`, name: key, min: attrs.min, max: attrs.max, step: attrs.step, placeholder: attrs.value, 'aria-describedby': `opt-${key}-help` });
  return { key, label, help, input };
}

export function mountTrainPanel(section: HTMLElement): void {
  const fields: Field[] = [
    numberField('holdoutWeeks', 'Holdout weeks', 'The last weeks are held out and forecast to measure accuracy.', { min: 0, max: 104, step: 1, value: '13' }),
    numberField('hidden', 'Hidden size', 'Width of the recurrent network. Larger is slower and not always better.', { min: 4, max: 512, step: 1, value: 'default' }),
    numberField('epochs', 'Epochs (maximum)', 'Early stopping usually ends training sooner.', { min: 1, max: 5000, step: 1, value: 'default' }),
    numberField('learningRate', 'Learning rate', 'AdamW peak learning rate (warm-up, then cosine decay).', { min: 0.0001, max: 0.5, step: 0.0001, value: 'default' }),
    numberField('seed', 'Seed', 'The same data, settings and seed give identical results.', { min: 0, max: 2 ** 31, step: 1, value: '42' }),
    numberField('threads', 'Threads', 'Used only when the page is cross-origin isolated.', { min: 1, max: 4, step: 1, value: 'auto' }),
  ];
  const dag = h('select', { id: 'opt-dagMode', name: 'dagMode', 'aria-describedby': 'opt-dagMode-help' },
    h('option', { value: 'triangular' }, 'Fixed channel order (triangular)'),
    h('option', { value: 'notears' }, 'Learned structure (NOTEARS)'));
  fields.push({ key: 'dagMode', label: 'Channel interactions (DAG)', help: 'How channels may influence each other.', input: dag });

  const advanced = h('details', { class: 'mmm-advanced', id: 'train-advanced' },
    h('summary', {}, 'Advanced settings'),
    h('div', { class: 'mmm-form-grid' }, ...fields.map((f) =>
      h('div', { class: 'mmm-field' },
        h('label', { for: f.input.id }, f.label),
        f.input,
        h('small', { id: `${f.input.id}-help` }, f.help)))),
    createPriorsTable());

  const summary = h('p', { id: 'train-summary' });
  const trainBtn = h('button', { class: 'mmm-button mmm-primary', id: 'train-button' }, 'Train the model');
  const cancelBtn = h('button', { class: 'mmm-button', id: 'cancel-button', hidden: true }, 'Cancel');
  // Intervals cost K - 1 more fits and analyses (README, "Uncertainty intervals"), so they are
  // one click after training rather than part of every fit.
  const uncertaintyBtn = h('button', { class: 'mmm-button', id: 'uncertainty-button', hidden: true }, `Estimate uncertainty (${DEFAULT_ENSEMBLE_SIZE} fits)`);
  /** The session and options of the last finished fit: what the ensemble refits. */
  let lastFit: { sessionId: number; options: FitOptions; results: ModelResults } | null = null;
  const reason = h('p', { id: 'train-disabled-reason', class: 'mmm-muted' });
  const bar = h('progress', { class: 'mmm-progress', id: 'train-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Training progress' });
  // Visual status (every update) and the live region (milestones only), kept apart on purpose.
  const status = h('p', { id: 'train-status' });
  const announcer = h('p', { id: 'train-announcer', class: 'mmm-visually-hidden', role: 'status', 'aria-live': 'polite' });
  const terms = h('p', { id: 'train-terms', class: 'mmm-muted' });
  let milestones = START_STATE;
  let lastTotalEpochs = 0;
  const announce = (text: string) => {
    announcer.textContent = text;
  };
  const chart = h('div', { id: 'train-chart', class: 'mmm-chart', role: 'img', 'aria-label': 'Training and validation loss and R² by epoch' });
  const messages = h('div', { id: 'train-messages', 'aria-live': 'polite' });

  let abort: AbortController | null = null;
  let run = 0; // id of the current training run, so a late hard-stop timer never hits a newer run
  let monitor: RenderedView | null = null;
  let points: EpochPoint[] = [];

  const readOptions = (): FitOptions => {
    const o: Record<string, unknown> = {};
    for (const f of fields) {
      if (f.input instanceof HTMLSelectElement) o[f.key] = f.input.value;
      else if (f.input.value !== '') o[f.key] = Number(f.input.value);
    }
    if (o.threads === undefined) o.threads = appState.init?.threads ?? 1;
    return o as FitOptions;
  };

  const sync = () => {
    const d = appState.dataset;
    const p = d?.panel;
    summary.textContent = p
      ? `${d!.name}: ${p.regions} region${p.regions === 1 ? '' : 's'} × ${p.weeks} weeks × ${p.channels} channels × ${p.controls} controls.`
      : 'Load data in the Data tab first.';
    let why = '';
    if (!appState.client) why = 'The engine is still starting.';
    else if (!d) why = 'Load a CSV file or the example data in the Data tab.';
    else if (!p) why = `The data has blocking errors: ${d.report?.blocking[0] ?? 'see the Data tab'}.`;
    trainBtn.disabled = appState.training || why !== '';
    // The estimate belongs to the last trained model: hidden once other results are shown or it has intervals.
    uncertaintyBtn.disabled = appState.training;
    uncertaintyBtn.hidden = !lastFit || appState.results !== lastFit.results || Boolean(lastFit.results.intervals);
    reason.textContent = appState.training ? '' : why;
  };
  appState.subscribe(sync);
  sync();

  // While training: the light live monitor (updated on every progress event); when done: the full
  // Vega monitor (view 20). See charts/live-monitor.ts for why there are two.
  let live: ReturnType<typeof mountLiveMonitor> | null = null;
  let finalEpochs = 0;
  const drawFinalMonitor = async (totalEpochs: number) => {
    finalEpochs = totalEpochs;
    monitor?.finalize();
    monitor = await renderView(chart, trainingMonitorSpec(points, { totalEpochs, width: chart.clientWidth || 900 }));
  };
  // The finished monitor follows the theme (the live one is styled by CSS already).
  appHost().onUnmount(onThemeChange(() => {
    if (monitor && !appState.training) void drawFinalMonitor(finalEpochs);
  }));

  // After the epochs the worker analyses the model (economics, response curves): its own line.
  let analysing = false;
  const onAnalysisProgress = (p: AnalysisProgress) => {
    bar.value = p.total ? p.done / p.total : 0;
    status.textContent = `Analysing the model (contributions, ROI, response curves): ${formatPct(p.total ? p.done / p.total : 0)} · `
      + `${formatFixed(p.elapsedSeconds, 1)} s`;
    if (!analysing) announce('Training done; analysing the model.');
    analysing = true;
  };

  const onProgress = (p: FitProgress | AnalysisProgress) => {
    if (p.phase === 'analysis') {
      onAnalysisProgress(p);
      return;
    }
    points = points.concat(p.points);
    bar.value = p.totalEpochs ? p.epoch / p.totalEpochs : 0;
    const r2 = p.latest?.valR2 ?? p.latest?.trainR2;
    status.textContent = `${p.phase === 'warm-start' ? 'Warm start' : 'Training'}: epoch ${p.epoch} of at most ${p.totalEpochs} · `
      + `${formatFixed(p.elapsedSeconds, 1)} s elapsed · about ${Number.isFinite(p.etaSeconds) ? formatInteger(p.etaSeconds) : '?'} s left`
      + (r2 !== null && r2 !== undefined ? ` · validation R² ${formatFixed(r2, 3)}` : '');
    live ??= mountLiveMonitor(chart);
    live.update(points, p.totalEpochs);
    lastTotalEpochs = p.totalEpochs;
    const m = progressMilestone(milestones, p);
    milestones = m.state;
    if (m.text) announce(m.text);
  };

  /** One training run with the form's settings (overridden by `overrides`, from the embed's
   * fit()). Shows progress and the outcome; resolves with the results, rejects with the error. */
  const runFit = async (overrides: Partial<FitOptions> = {}): Promise<ModelResults> => {
    clear(messages);
    points = [];
    monitor?.finalize();
    monitor = null;
    clear(chart);
    appState.training = true;
    appState.emit();
    cancelBtn.hidden = false;
    bar.hidden = false;
    bar.value = 0;
    status.textContent = 'Starting…';
    clear(terms);
    milestones = START_STATE;
    lastTotalEpochs = 0;
    analysing = false;
    announce(startedMilestone());
    abort = new AbortController();
    const thisRun = ++run;
    const started = performance.now();
    try {
      const sessionId = await ensureSession();
      const options = { ...readOptions(), ...overrides };
      const calibration = await prepareCalibration(sessionId, options.holdoutWeeks);
      const results = await appState.client!.call('fit', { sessionId, options: { ...options, ...calibration.options } }, { onProgress: (d) => onProgress(d as unknown as FitProgress | AnalysisProgress), signal: abort.signal });
      calibration.finish(results);
      if (appState.dataset?.truth) results.truth = truthSummary(appState.dataset.truth);
      points = results.history;
      // The fit is over; drawing the finished monitor and the dashboards starts in a new task, so
      // the task that received the results stays short (the e2e test measures up to this mark).
      performance.mark('mmm-fit-finished');
      await new Promise((resolve) => setTimeout(resolve, 0));
      await drawFinalMonitor(results.epochs);
      status.textContent = `Trained ${results.epochs} epochs in ${formatFixed(results.fitSeconds, 1)} s (${formatFixed((performance.now() - started) / 1000, 1)} s with data transfer). `
        + `Holdout R² ${formatFixed(results.metrics.holdout.r2, 3)}, within-region R² ${formatFixed(results.metrics.holdout.r2_within, 3)}, WAPE ${formatPct(results.metrics.holdout.wape)}.`;
      const links = termLinks(status.textContent);
      if (links) terms.append(links);
      announce(finishedMilestone({ epochs: results.epochs, maxEpochs: Math.max(lastTotalEpochs, results.epochs), r2: results.metrics.holdout.r2, wape: results.metrics.holdout.wape }));
      appState.setResults(results);
      lastFit = { sessionId, options: { ...options, ...calibration.options }, results };
      uncertaintyBtn.hidden = false;
      messages.append(alertBox('info', 'Training finished', 'Open the Results tab for the dashboards.'));
      return results;
    } catch (err) {
      const e = err instanceof EngineError ? err : new EngineError('INTERNAL', String(err));
      if (e.code === 'CANCELLED' || e.code === 'TERMINATED') {
        status.textContent = 'Training cancelled. Your data and mapping are kept; change settings or train again.';
        announce(cancelledMilestone());
      } else {
        appState.recordError(e.code, e.message);
        announce(failedMilestone(e.code, e.message));
        messages.append(alertBox('error', `Training failed (${e.code})`, e.message));
        status.textContent = '';
      }
      throw e;
    } finally {
      live = null;
      appState.training = false;
      abort = null;
      cancelBtn.hidden = true;
      bar.hidden = true;
      appState.emit();
    }
  };
  // The outcome is on screen; nothing more to do with the promise here.
  trainBtn.addEventListener('click', () => {
    uncertaintyBtn.hidden = true;
    void runFit().catch(() => undefined);
  });

  /** K - 1 more fits of the last model's data and options; the results gain their intervals. */
  const runUncertainty = async (): Promise<void> => {
    const fit = lastFit;
    const panel = appState.dataset?.panel;
    if (!fit || !panel || appState.results !== fit.results) {
      messages.append(alertBox('error', 'No model to estimate', 'Train the model again first: the data or the model changed since the last training.'));
      return;
    }
    clear(messages);
    appState.training = true;
    appState.emit();
    cancelBtn.hidden = false;
    bar.hidden = false;
    bar.value = 0;
    abort = new AbortController();
    const k = DEFAULT_ENSEMBLE_SIZE;
    status.textContent = `Estimating uncertainty: fit 2 of ${k}…`;
    announce(`Estimating uncertainty with ${k} fits.`);
    try {
      const intervals = await appState.client!.call('ensemble', { sessionId: fit.sessionId, panel, options: fit.options, k }, {
        signal: abort.signal,
        onProgress: (d) => {
          const p = d as unknown as EnsembleProgress;
          bar.value = (p.member - 2 + (p.fit ? p.fit.epoch / Math.max(1, p.fit.totalEpochs) : 1)) / (p.members - 1);
          status.textContent = `Estimating uncertainty: fit ${p.member} of ${p.members}` + (p.fit ? `, epoch ${p.fit.epoch} of at most ${p.fit.totalEpochs}` : ', analysing');
        },
      });
      const results = { ...fit.results, intervals };
      lastFit = { ...fit, results };
      appState.setResults(results);
      uncertaintyBtn.hidden = true;
      status.textContent = `Uncertainty estimated from ${k} fits in ${formatFixed(intervals.seconds, 1)} s more: ${Math.round(100 * intervals.level)} % intervals on ROI, shares, response curves, the forecast and the budget plan.`;
      announce('Uncertainty intervals are ready.');
      messages.append(alertBox('info', 'Uncertainty estimated', 'The Results tab shows the intervals: error bars on ROI, bands on the response curves and the forecast, a range on the budget uplift.'));
    } catch (err) {
      const e = err instanceof EngineError ? err : new EngineError('INTERNAL', String(err));
      if (e.code === 'CANCELLED' || e.code === 'TERMINATED') status.textContent = 'Uncertainty estimate cancelled; the trained model is kept.';
      else {
        appState.recordError(e.code, e.message);
        messages.append(alertBox('error', `Uncertainty estimate failed (${e.code})`, e.message));
        status.textContent = '';
      }
    } finally {
      appState.training = false;
      abort = null;
      cancelBtn.hidden = true;
      bar.hidden = true;
      appState.emit();
    }
  };
  uncertaintyBtn.addEventListener('click', () => void runUncertainty());

  const cancelFit = () => {
    if (!abort) return;
    status.textContent = 'Cancelling…';
    abort.abort();
    // Cooperative cancel happens between training slices (~0.1 s). If the engine does not answer
    // in time, stop the worker outright and start a fresh one; the data stays in this page.
    const client = appState.client;
    const cancelledRun = run;
    setTimeout(() => {
      if (appState.training && run === cancelledRun && appState.client === client) {
        client?.terminate('training was stopped');
        forgetSession();
        void restartEngine();
      }
    }, HARD_STOP_MS);
  };
  cancelBtn.addEventListener('click', cancelFit);
  // The same actions for <mmm-studio>'s fit() / cancelFit().
  provideCommand('fit', (overrides) => {
    sync();
    if (trainBtn.disabled) return Promise.reject(new EngineError('INVALID_CONFIG', appState.training ? 'a model is already training' : reason.textContent || 'training is not possible yet'));
    return runFit(overrides);
  });
  provideCommand('cancelFit', cancelFit);

  section.append(
    h('div', { class: 'mmm-panel' },
      h('h2', {}, 'Train the model'),
      summary,
      advanced,
      h('div', { class: 'mmm-actions mmm-actions-start' }, trainBtn, cancelBtn, uncertaintyBtn),
      reason, bar, status, announcer, terms, messages),
    h('div', { class: 'mmm-panel' }, h('h2', {}, 'Training monitor'), chart),
  );
}

