// View 20: training monitor — loss and R² per epoch for training and validation, for a finished
// (or cancelled) run; while a fit runs the app draws live-monitor.ts instead. The drawn rows are
// folded to (epoch, series, value) here; 'main' (one row per epoch) is what the CSV export writes.
import type { TopLevelSpec } from 'vega-lite';
import type { EpochPoint, ModelResults } from '../engine/results';
import { asSpec, frame, panelWidth } from './spec';
import { ACCENT, INK, formatNumber } from './theme';
import type { ViewOptions } from './types';

export interface TrainingMonitorOptions extends ViewOptions {
  /** Planned epochs, so the x axis does not rescale as points arrive. */
  totalEpochs?: number;
}

function historyRows(history: readonly EpochPoint[]): Record<string, unknown>[] {
  const f = (v: number) => (Number.isFinite(v) ? v : null);
  return history.map((h) => ({
    epoch: h.epoch,
    'Training loss': f(h.trainLoss),
    'Validation loss': f(h.valLoss),
    'Training R²': f(h.trainR2),
    'Validation R²': f(h.valR2),
    seconds: f(h.elapsedSeconds),
  }));
}

/** Rows of the datasets the monitor draws. */
function drawnDatasets(history: readonly EpochPoint[]): { loss: Record<string, unknown>[]; r2: Record<string, unknown>[]; best: Record<string, unknown>[] } {
  const best = bestEpoch(history);
  const fold = (train: (h: EpochPoint) => number, val: (h: EpochPoint) => number) => history.flatMap((h) => [
    { epoch: h.epoch, series: 'Training', value: Number.isFinite(train(h)) ? train(h) : null, seconds: h.elapsedSeconds },
    { epoch: h.epoch, series: 'Validation', value: Number.isFinite(val(h)) ? val(h) : null, seconds: h.elapsedSeconds },
  ]);
  return {
    loss: fold((h) => h.trainLoss, (h) => h.valLoss),
    r2: fold((h) => h.trainR2, (h) => h.valR2),
    best: best ? [{ epoch: best.epoch, label: `epoch ${best.epoch}, validation loss ${formatNumber(best.valLoss)}` }] : [],
  };
}

function bestEpoch(history: readonly EpochPoint[]): EpochPoint | null {
  return history.reduce<EpochPoint | null>((b, h) => (Number.isFinite(h.valLoss) && (!b || h.valLoss < b.valLoss) ? h : b), null);
}

/** Colour of each series, shared with the live monitor (live-monitor.ts). */
export const SERIES = { domain: ['Training', 'Validation'], range: [INK, ACCENT] };

/** The monitor's value axes, shared with the live monitor so both draw the same scales: the finite
 * losses, whether the loss axis can be logarithmic (every loss positive), and the R² axis floor
 * (the lowest R² rounded down to 0.1, between -1 and 0). */
export function monitorAxes(history: readonly EpochPoint[]): { losses: number[]; logLoss: boolean; r2min: number } {
  const losses = history.flatMap((h) => [h.trainLoss, h.valLoss]).filter(Number.isFinite);
  const r2s = history.flatMap((h) => [h.trainR2, h.valR2]).filter(Number.isFinite);
  return {
    losses,
    logLoss: losses.length > 0 && losses.every((v) => v > 0),
    r2min: Math.max(-1, Math.min(0, ...r2s.map((v) => Math.floor(v * 10) / 10))),
  };
}

export function trainingMonitorSpec(history: readonly EpochPoint[], options?: TrainingMonitorOptions): TopLevelSpec {
  const axes = monitorAxes(history);
  const logLoss = (options?.logLoss ?? true) && axes.logLoss;
  const r2min = axes.r2min;
  const best = bestEpoch(history);
  const last = history[history.length - 1];
  const w = panelWidth(options, 2, 40);
  const xMax = Math.max(options?.totalEpochs ?? 0, last?.epoch ?? 1, 1);
  const x = { field: 'epoch', type: 'quantitative', title: 'Epoch', scale: { domain: [history[0]?.epoch ?? 0, xMax], nice: false }, axis: { tickMinStep: 1, format: 'd' } };
  const panel = (metric: 'loss' | 'R²', dataset: 'loss' | 'r2', y: Record<string, unknown>) => ({
    width: w,
    height: 220,
    layer: [
      {
        data: { name: dataset },
        mark: { type: 'line', point: history.length <= 60 ? { size: 18 } : false },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', ...y },
          color: { field: 'series', type: 'nominal', title: null, scale: SERIES, legend: { orient: 'top', direction: 'horizontal' } },
          tooltip: [
            { field: 'epoch', type: 'quantitative', title: 'Epoch' },
            { field: 'series', type: 'nominal', title: 'Data' },
            { field: 'value', type: 'quantitative', format: metric === 'loss' ? '.5~g' : '.4f', title: metric === 'loss' ? 'Loss' : 'R²' },
            { field: 'seconds', type: 'quantitative', format: '.1f', title: 'Elapsed (s)' },
          ],
        },
      },
      {
        data: { name: 'best' },
        mark: { type: 'rule', strokeDash: [4, 3], color: '#8792a0' },
        encoding: { x: { field: 'epoch', type: 'quantitative' }, tooltip: [{ field: 'label', type: 'nominal', title: 'Best' }] },
      },
    ],
  });
  const title = `Training history (${history.length} epochs)`;
  const subtitle = best
    ? `Lowest validation loss at epoch ${best.epoch} (dashed) · last: validation R² ${formatNumber(last.valR2)}, ${formatNumber(last.elapsedSeconds)} s`
    : 'Waiting for the first epoch';
  return asSpec({
    ...frame({
      id: 'training',
      title,
      subtitle,
      description:
        `Two line charts of the training run over ${history.length} epochs: loss${logLoss ? ' (log scale)' : ''} and R² for training and validation data. ` +
        (last ? `Last epoch ${last.epoch}: training loss ${formatNumber(last.trainLoss)}, validation loss ${formatNumber(last.valLoss)}, validation R² ${formatNumber(last.valR2)}. ` : '') +
        (best ? `Best validation loss at epoch ${best.epoch}.` : ''),
      datasets: { main: historyRows(history), ...drawnDatasets(history) },
      compound: true,
    }),
    hconcat: [
      panel('loss', 'loss', { title: logLoss ? 'Loss (log scale)' : 'Loss', scale: logLoss ? { type: 'log' } : { zero: false }, axis: { format: '.2~g' } }),
      panel('R²', 'r2', { title: 'R²', scale: { domain: [r2min, 1], clamp: true } }),
    ],
  });
}

export function trainingSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  return trainingMonitorSpec(results.history, { ...options, totalEpochs: results.epochs });
}
