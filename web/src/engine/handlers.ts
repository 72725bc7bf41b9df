// What the engine worker does for each protocol method. Kept free of worker globals so the Node
// tests and the CLI drive exactly the same code.
import type { Variant } from './core-types';
import { Engine } from './engine';
import { EngineError } from './errors';
import { exportModelBundle, importModelBundle } from '../export/model-bundle';
import type { AnalysisOptions, CoreFitResults } from './core-types';
import { analysisProgressReporter, runFit, toModelResults, withAnalysis, type AnalysisProgress } from './fit-runner';
import { loadCoreModule } from './load-core';
import { intervalsFromStore, runEnsemble } from './ensemble';
import type { Method, ParamsOf, ResultOf } from './protocol';
import type { ModelResults } from './results';

export interface CallContext {
  /** Sends a progress event for the current request (the caller throttles to <= 10 Hz). */
  progress(data: Record<string, unknown>): void;
  /** True once the UI asked to cancel the current request. */
  cancelled(): boolean;
}

/** Gives the event loop a turn so cancel messages can arrive (the single-thread engine runs
 * long jobs in slices). */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export type EngineLoader = (variant: Variant, wasmBase: string) => Promise<Engine>;

/** The browser's loader: the glue fetches its .wasm next to itself. */
export const browserLoader: EngineLoader = async (variant, wasmBase) => new Engine(await loadCoreModule(variant, wasmBase), variant);

export class EngineHost {
  private engine: Engine | null = null;
  private threads = 1;

  constructor(private readonly load: EngineLoader = browserLoader) {}

  get current(): Engine {
    if (!this.engine) throw new EngineError('INTERNAL', 'the engine is not initialised yet (send init first)');
    return this.engine;
  }

  async init(variant: Variant, threads: number, wasmBase: string): Promise<ResultOf<'init'>> {
    const t0 = performance.now();
    this.engine = await this.load(variant, wasmBase);
    const buildInfo = this.engine.buildInfo();
    this.threads = Math.max(1, Math.min(threads, buildInfo.maxThreads));
    return { variant, threads: this.threads, buildInfo, loadMs: performance.now() - t0 };
  }

  async handle<M extends Method>(method: M, params: ParamsOf<M>, ctx: CallContext): Promise<ResultOf<M>> {
    const p = params as never;
    switch (method) {
      case 'init': {
        const { variant, threads, wasmBase } = params as ParamsOf<'init'>;
        return (await this.init(variant, threads, wasmBase)) as ResultOf<M>;
      }
      case 'buildInfo':
        return this.current.buildInfo() as ResultOf<M>;
      case 'heapStats':
        return this.current.heapStats() as ResultOf<M>;
      case 'createSession':
        return this.current.createSession((p as ParamsOf<'createSession'>).panel) as ResultOf<M>;
      case 'disposeSession':
        this.current.disposeSession((p as ParamsOf<'disposeSession'>).id);
        return null as ResultOf<M>;
      case 'threadedSum': {
        const { n, threads } = p as ParamsOf<'threadedSum'>;
        return this.current.threadedSum(n, Math.min(threads, this.threads)) as ResultOf<M>;
      }
      case 'raiseForTest':
        return this.current.raiseForTest((p as ParamsOf<'raiseForTest'>).kind);
      case 'generateDemo':
        return this.current.generateDemo(p as ParamsOf<'generateDemo'>) as ResultOf<M>;
      case 'fit': {
        const { sessionId, options, analysis } = p as ParamsOf<'fit'>;
        const threads = Math.min(options.threads ?? this.threads, this.threads);
        const core = await runFit(this.current, sessionId, { ...options, threads }, {
          onProgress: (progress) => ctx.progress(progress as unknown as Record<string, unknown>),
          cancelled: ctx.cancelled,
          yieldBetweenSlices: yieldToEventLoop,
        });
        return this.results(sessionId, core, threads, analysis, (progress) => ctx.progress(progress as unknown as Record<string, unknown>)) as ResultOf<M>;
      }
      case 'ensemble': {
        const { sessionId, panel, options, analysis, k, level } = p as ParamsOf<'ensemble'>;
        const threads = Math.min(options.threads ?? this.threads, this.threads);
        const core = this.current.fitResults(sessionId);
        // The session's analysis is cached, so the main fit's figures come without new simulations.
        const main = this.results(sessionId, core, threads, analysis);
        return (await runEnsemble(this.current, panel, main, { ...options, threads }, {
          k, level, analysis,
          onProgress: (progress) => ctx.progress(progress as unknown as Record<string, unknown>),
          cancelled: ctx.cancelled,
          yieldBetweenSlices: yieldToEventLoop,
        })) as ResultOf<M>;
      }
      case 'fitResults': {
        const { sessionId } = p as ParamsOf<'fitResults'>;
        const core = this.current.fitResults(sessionId);
        return this.results(sessionId, core, core.config.threads) as ResultOf<M>;
      }
      case 'exportBundle': {
        const { sessionId, results, info } = p as ParamsOf<'exportBundle'>;
        return (await exportModelBundle(this.current, sessionId, results, info)) as ResultOf<M>;
      }
      case 'importBundle': {
        const opened = await importModelBundle(this.current, (p as ParamsOf<'importBundle'>).bytes);
        const results = this.results(opened.sessionId, opened.core, opened.core.config.threads);
        results.truth = opened.meta.truth;
        // Bundles from before calibration existed have no calibration entry.
        if (opened.meta.calibration) results.calibration = opened.meta.calibration;
        // Bundles from before intervals existed, or of models without an estimate, have none.
        if (opened.meta.intervals) results.intervals = intervalsFromStore(opened.meta.intervals);
        return { sessionId: opened.sessionId, results, meta: opened.meta, data: opened.data } as ResultOf<M>;
      }
      case 'analyze': {
        const { sessionId, options } = p as ParamsOf<'analyze'>;
        const report = analysisProgressReporter((progress) => ctx.progress(progress as unknown as Record<string, unknown>));
        return this.current.analyze(sessionId, options, report) as ResultOf<M>;
      }
      case 'optimizeBudget': {
        const { sessionId, options } = p as ParamsOf<'optimizeBudget'>;
        return this.current.optimizeBudget(sessionId, options) as ResultOf<M>;
      }
      case 'contributionTotals': {
        const { sessionId, options } = p as ParamsOf<'contributionTotals'>;
        return this.current.contributionTotals(sessionId, options) as ResultOf<M>;
      }
      case 'simulate': {
        const { sessionId, plan } = p as ParamsOf<'simulate'>;
        return this.current.simulate(sessionId, plan) as ResultOf<M>;
      }
      case 'experimentFits': {
        const { sessionId, experiments } = p as ParamsOf<'experimentFits'>;
        return this.current.experimentFits(sessionId, experiments) as ResultOf<M>;
      }
      case 'onnxParams':
        return this.current.exportGraphParams((p as ParamsOf<'onnxParams'>).sessionId) as ResultOf<M>;
      case 'predictInputs': {
        const { sessionId, inputs } = p as ParamsOf<'predictInputs'>;
        return this.current.predictInputs(sessionId, inputs) as ResultOf<M>;
      }
      case 'selfTest':
        return (await this.selfTest(p as ParamsOf<'selfTest'>, ctx)) as ResultOf<M>;
      default:
        throw new EngineError('INVALID_CONFIG', `unknown engine method '${String(method)}'`);
    }
  }

  /** Everything the dashboards read for a session's fitted model (one place for fit, reload
   * and bundle import, so all three show the same numbers). */
  private results(sessionId: number, core: CoreFitResults, threads: number, analysis?: AnalysisOptions,
    onAnalysisProgress?: (p: AnalysisProgress) => void): ModelResults {
    return withAnalysis(this.current, sessionId, toModelResults(core, { variant: this.current.variant, threads }), analysis, onAnalysisProgress);
  }

  private async selfTest({ steps, stepMs }: ParamsOf<'selfTest'>, ctx: CallContext): Promise<ResultOf<'selfTest'>> {
    for (let i = 0; i < steps; i++) {
      if (ctx.cancelled()) throw new EngineError('CANCELLED', `self-test cancelled after ${i} of ${steps} steps`);
      const until = performance.now() + stepMs;
      while (performance.now() < until) this.current.threadedSum(1e4, 1);
      ctx.progress({ step: i + 1, steps });
      await yieldToEventLoop();
    }
    return { stepsDone: steps };
  }
}
