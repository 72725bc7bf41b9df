// The typed protocol between the UI thread (client/engine-client.ts) and the engine worker
// (engine/core.worker.ts). One map of methods; requests carry ids and get exactly one response;
// events (progress, log) are unsolicited and name the request they belong to.
import type { BuildInfo, DemoData, DemoOptions, ErrorCode, FitOptions, HeapStats, PanelSpec, PanelSummary, ThreadCheck, Variant, AnalysisOptions, AnalysisResult, BudgetOptions, ContributionTotals, ContributionTotalsOptions, PlanSimulation, SpendPlanInput } from './core-types';

import type { Experiment, ExperimentFit, OnnxGraphParams, PredictInputs, Prediction } from './core-types';
import type { BundleMeta } from '../export/bundle';
import type { BundleInfo } from '../export/model-bundle';
import type { BudgetPlan, ModelResults } from './results';
import type { EnsembleIntervals } from './ensemble';

export interface InitParams {
  variant: Variant;
  threads: number;
  /** Absolute URL of the folder holding the wasm artefacts (ends with '/'). */
  wasmBase: string;
}

export interface InitResult {
  variant: Variant;
  threads: number;
  buildInfo: BuildInfo;
  loadMs: number;
}

/** method name → its params and result. */
export interface Methods {
  init: { params: InitParams; result: InitResult };
  buildInfo: { params: Record<string, never>; result: BuildInfo };
  heapStats: { params: Record<string, never>; result: HeapStats };
  createSession: { params: { panel: PanelSpec }; result: PanelSummary & { id: number } };
  disposeSession: { params: { id: number }; result: null };
  threadedSum: { params: { n: number; threads: number }; result: ThreadCheck };
  raiseForTest: { params: { kind: string }; result: never };
  generateDemo: { params: DemoOptions; result: DemoData };
  /** Trains the session's panel; progress events carry FitProgress, then AnalysisProgress while
   * the analysis runs (fit-runner.ts). Cancel keeps the session. */
  fit: { params: { sessionId: number; options: FitOptions; analysis?: AnalysisOptions }; result: ModelResults };
  /** Uncertainty intervals for the session's fitted model: K - 1 more fits of `panel` (the session's
   * panel) with `options` (those of the fit), each analysed (engine/ensemble.ts); progress events
   * carry EnsembleProgress. Cancel keeps the fitted model. */
  ensemble: { params: { sessionId: number; panel: PanelSpec; options: FitOptions; analysis?: AnalysisOptions; k: number; level?: number }; result: EnsembleIntervals };
  /** Saves the session's fitted model as a .mmm bundle. */
  exportBundle: { params: { sessionId: number; results: ModelResults; info: BundleInfo }; result: Uint8Array };
  /** Opens a .mmm bundle as a new session with its results (no retraining). */
  importBundle: { params: { bytes: Uint8Array }; result: { sessionId: number; results: ModelResults; meta: BundleMeta; data: string | null } };
  /** The session's last fitted model again (e.g. after a reload of the dashboards). */
  fitResults: { params: { sessionId: number }; result: ModelResults };
  /** Long-running self-test that reports progress and honours cancel (used by tests and the
   * status bar's "engine check"). */
  selfTest: { params: { steps: number; stepMs: number }; result: { stepsDone: number } };
  /** Economics, response curves and the current-budget plan (recomputes the session's curves);
   * progress events carry AnalysisProgress. */
  analyze: { params: { sessionId: number; options?: AnalysisOptions }; result: AnalysisResult };
  /** Budget plan on the session's curves (fast: no new curves), checked by a full-model simulation. */
  optimizeBudget: { params: { sessionId: number; options: BudgetOptions }; result: BudgetPlan };
  /** Decomposition totals over a date range and a set of regions. */
  contributionTotals: { params: { sessionId: number; options?: ContributionTotalsOptions }; result: ContributionTotals };
  /** Runs a spend plan through the fitted model. */
  simulate: { params: { sessionId: number; plan: SpendPlanInput }; result: PlanSimulation };
  /** Measured vs model for experiments on the session's fitted model, without refitting (the
   * "before" of a calibration: the uncalibrated model's lifts). */
  experimentFits: { params: { sessionId: number; experiments: Experiment[] }; result: ExperimentFit[] };
  /** onnx export: the fitted model's parameters, scalers and calendar (web/src/export/onnx.ts). */
  onnxParams: { params: { sessionId: number }; result: OnnxGraphParams };
  /** onnx export: runs the fitted model on new inputs (weeks from the model's first week). */
  predictInputs: { params: { sessionId: number; inputs: PredictInputs }; result: Prediction };
}

export type Method = keyof Methods;
export type ParamsOf<M extends Method> = Methods[M]['params'];
export type ResultOf<M extends Method> = Methods[M]['result'];

export type Request = { [M in Method]: { kind: 'request'; id: number; method: M; params: ParamsOf<M> } }[Method];

/** Asks the worker to stop the request with this id at its next safe point. */
export interface CancelMessage {
  kind: 'cancel';
  id: number;
}

export interface WireError {
  code: ErrorCode | 'WORKER_CRASHED' | 'TERMINATED';
  message: string;
}

export type Response =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: WireError };

export interface ProgressEvent {
  kind: 'event';
  event: 'progress';
  /** The request this progress belongs to. */
  id: number;
  data: Record<string, unknown>;
}

export interface LogEvent {
  kind: 'event';
  event: 'log';
  level: 'info' | 'warn' | 'error';
  message: string;
}

export type ToWorker = Request | CancelMessage;
export type FromWorker = Response | ProgressEvent | LogEvent;
