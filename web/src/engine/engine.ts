// Typed facade over the raw core module. It runs wherever the module is loaded: inside the app's
// Web Worker (core.worker.ts), in the CLI and in the Node tests, so all three exercise one code path.
import type { BuildInfo, CoreFitResults, PredictInputs, Prediction, CoreModule, DemoData, DemoOptions, FitOptions, FitStep, HeapStats, PanelSpec, PanelSummary, ThreadCheck, Variant } from './core-types';
import type { AnalysisOptions, AnalysisResult, BudgetOptions, ContributionTotals, ContributionTotalsOptions, PlanSimulation, SpendPlanInput } from './core-types';
import type { Experiment, ExperimentFit, FitConfigEcho, OnnxGraphParams } from './core-types';
import { EngineError, unwrap } from './errors';
import type { BudgetPlan } from './results';

/** The core sends null for the simulated figures when the plan was not verified. */
function finiteBudget(b: BudgetPlan): BudgetPlan {
  const n = (x: number | null) => (x === null ? Number.NaN : x);
  return { ...b, simulatedCurrentKpi: n(b.simulatedCurrentKpi), simulatedOptimalKpi: n(b.simulatedOptimalKpi), simulatedUpliftPct: n(b.simulatedUpliftPct) };
}

export class Engine {
  readonly variant: Variant;
  private readonly core: CoreModule;
  private readonly live = new Set<number>();

  constructor(core: CoreModule, variant: Variant) {
    this.core = core;
    this.variant = variant;
  }

  buildInfo(): BuildInfo {
    return unwrap(this.core.buildInfo());
  }

  heapStats(): HeapStats {
    return unwrap(this.core.heapStats());
  }

  /** Copies the panel into the engine; returns the session id (dispose it with disposeSession). */
  createSession(panel: PanelSpec): PanelSummary & { id: number } {
    const created = unwrap(this.core.createSession(panel));
    this.live.add(created.id);
    return created;
  }

  sessionInfo(id: number): PanelSummary {
    return unwrap(this.core.sessionInfo(id));
  }

  disposeSession(id: number): void {
    unwrap(this.core.disposeSession(id));
    this.live.delete(id);
  }

  /** Disposes every session this facade created. */
  disposeAll(): void {
    for (const id of [...this.live]) this.disposeSession(id);
  }

  threadedSum(n: number, threads: number): ThreadCheck {
    return unwrap(this.core.threadedSum(n, threads));
  }

  /** Simulated regional business with known truth (the built-in example data). */
  generateDemo(options: DemoOptions = {}): DemoData {
    return unwrap(this.core.generateDemo(options));
  }

  /** Prepares a fit of the session's panel; then call fitStep until done, then finishFit. */
  startFit(id: number, options: FitOptions): { totalEpochs: number; config: FitConfigEcho } {
    return unwrap(this.core.startFit(id, options));
  }

  /** Runs up to maxEpochs epochs or maxSeconds seconds (<= 0: no limit), at least one epoch. */
  fitStep(id: number, maxEpochs: number, maxSeconds: number): FitStep {
    return unwrap(this.core.fitStep(id, maxEpochs, maxSeconds));
  }

  finishFit(id: number): CoreFitResults {
    return unwrap(this.core.finishFit(id));
  }

  /** Drops a running fit; the session keeps its data and any earlier fitted model. */
  cancelFit(id: number): void {
    unwrap(this.core.cancelFit(id));
  }

  /** The session's last fitted model. */
  fitResults(id: number): CoreFitResults {
    return unwrap(this.core.fitResults(id));
  }

  /** The session's fitted model as bytes (the "fit" section of a model bundle). */
  saveFit(id: number): Uint8Array {
    return unwrap(this.core.saveFit(id)).bytes;
  }

  /** Opens fitted-model bytes as a new session (dates and spend are not part of the model). */
  loadFit(bytes: Uint8Array, extras: { dates?: string[]; spend?: Float32Array | null } = {}): CoreFitResults & { id: number } {
    const loaded = unwrap(this.core.loadFit(bytes, extras));
    this.live.add(loaded.id);
    return loaded;
  }

  /** Runs the session's fitted model on new inputs (see PredictInputs). */
  predictInputs(id: number, inputs: PredictInputs): Prediction {
    return unwrap(this.core.predictInputs(id, inputs));
  }

  // ---- analysis (core/include/mmm/analysis.hpp) ----

  /** Economics, response curves and the budget plan for the current budget of the session's
   * fitted model. The curves are cached in the session for optimizeBudget. onProgress is called
   * synchronously, from inside the call, as the scenario simulations advance (done / total region
   * chunks; not at all when the cached analysis is reused); returning false cancels (CANCELLED). */
  analyze(id: number, options: AnalysisOptions = {}, onProgress?: (done: number, total: number) => boolean | void): AnalysisResult {
    const r = unwrap(this.core.analyze(id, options, onProgress));
    return { ...r, budget: r.budget ? finiteBudget(r.budget) : null };
  }

  /** Optimal allocation on the session's response curves, checked with a full-model simulation. */
  optimizeBudget(id: number, options: BudgetOptions = {}): BudgetPlan {
    return finiteBudget(unwrap(this.core.optimizeBudget(id, options)));
  }

  /** Decomposition totals over weeks [from, to) and a set of regions. */
  contributionTotals(id: number, options: ContributionTotalsOptions = {}): ContributionTotals & { channelNames: string[]; controlNames: string[] } {
    return unwrap(this.core.contributionTotals(id, options));
  }

  /** Runs a spend plan through the fitted model: predicted KPI and its decomposition. */
  simulate(id: number, plan: SpendPlanInput): PlanSimulation {
    return unwrap(this.core.simulatePlan(id, plan));
  }

  /** The fitted model's lift for each experiment (measured vs model), without refitting. */
  experimentFits(id: number, experiments: Experiment[]): ExperimentFit[] {
    return unwrap(this.core.experimentFits(id, experiments)).experiments;
  }

  /** The fitted model's parameters, scalers and calendar for the ONNX exporter (web/src/export/onnx.ts). */
  exportGraphParams(id: number): OnnxGraphParams {
    return unwrap(this.core.exportGraphParams(id));
  }

  /** Makes the core throw an error of the given kind; always rejects with an EngineError. */
  raiseForTest(kind: string): never {
    unwrap(this.core.raiseForTest(kind));
    throw new EngineError('INTERNAL', `raiseForTest('${kind}') did not fail`);
  }
}
