// Types of the raw Embind module (wasm/bindings.cpp). Every call returns {ok:true,...} or
// {ok:false, code, message}; Engine (engine.ts) turns the latter into EngineError.

import type { BudgetPlan, ChannelEconomics, DecomposedSeries, ModelResults, ResponseCurve } from './results';

export type ErrorCode =
  | 'INVALID_DATA'
  | 'INVALID_CONFIG'
  | 'NUMERIC_FAILURE'
  | 'CANCELLED'
  | 'OUT_OF_MEMORY'
  | 'INTERNAL';

export interface CoreFailure {
  ok: false;
  code: ErrorCode;
  message: string;
}
export type CoreResult<T> = ({ ok: true } & T) | CoreFailure;

export type Variant = 'core-st' | 'core-mt';

export interface BuildInfo {
  eigen: string;
  compiler: string;
  target: 'wasm' | 'native';
  simd: boolean;
  threads: boolean;
  maxThreads: number;
  version: string;
}

export interface HeapStats {
  heapBytes: number;
  allocatedBytes: number;
  sessions: number;
}

/** The panel as it crosses into wasm: dense, region-major typed arrays plus names. */
export interface PanelSpec {
  regions: number;
  weeks: number;
  channels: number;
  controls: number;
  media: Float32Array;
  spend?: Float32Array | null;
  controlValues: Float32Array;
  kpi: Float32Array;
  regionNames?: string[];
  channelNames?: string[];
  controlNames?: string[];
  dates?: string[];
  weekOfYear?: Int32Array | number[];
}

export interface PanelSummary {
  regions: number;
  weeks: number;
  channels: number;
  controls: number;
  hasSpend: boolean;
  regionNames: string[];
  channelNames: string[];
  controlNames: string[];
}

export interface ThreadCheck {
  sum: number;
  threads: number;
  distinctWorkers: number;
}

export interface DemoOptions {
  regions?: number;
  weeks?: number;
  channels?: number;
  controls?: number;
  seed?: number;
  noise?: number;
  startDate?: string;
}

export interface DemoChannelTruth {
  channel: string;
  share: number;
  roi: number;
  marginalRoi: number;
  contribution: number;
  indirect: number;
  spend: number;
  adstock: number;
  peakDelay: number;
  hillSlope: number;
  halfSaturation: number;
}

export interface DemoTruth {
  mediaShare: number;
  totalKpi: number;
  totalMedia: number;
  mediaContribution: Float32Array;
  baseline: Float32Array;
  seasonal: Float32Array;
  controlContribution: Float32Array;
  noise: Float32Array;
  channels: DemoChannelTruth[];
  edges: { from: string; to: string; strength: number; indirect: number; description: string }[];
}

export interface DemoData {
  panel: Required<Omit<PanelSpec, 'spend'>> & { spend: Float32Array | null; weekOfYear: Int32Array };
  impressions: Float32Array | null;
  truth: DemoTruth;
}

/** A measured lift (geo test, conversion-lift study) that calibrates the fit (core/include/mmm/fit_config.hpp
 * Experiment): the channel changed in weeks startWeek..endWeek (inclusive) of the given regions (empty or absent:
 * all). Either `lift` (incremental KPI over those regions and weeks) with `liftSe`, or `roi` (that lift per unit of
 * the channel's spend there) with `roiSe`. Indices into the panel's channels, weeks and regions. */
export interface Experiment {
  channel: number;
  startWeek: number;
  endWeek: number;
  regions?: number[];
  lift?: number;
  liftSe?: number;
  roi?: number;
  roiSe?: number;
  /** Weeks after endWeek that the measured lift includes; absent = the whole carryover (core calibration.hpp). */
  readoutWeeks?: number;
}

/** A belief about a channel's ROI (KPI per unit of spend over the training weeks): normal(mean, sd). */
export interface RoiPrior {
  channel: number;
  mean: number;
  sd: number;
}

/** Measured vs model for one experiment (lifts in KPI units; z = (model − measured) / measuredSe). */
export interface ExperimentFit {
  measured: number;
  measuredSe: number;
  model: number;
  spend: number;
  z: number;
}

/** Training options; anything left out takes the core's default (see core/include/mmm/fit_config.hpp). */
export interface FitOptions {
  holdoutWeeks?: number;
  holdoutRatio?: number;
  validationWeeks?: number;
  burnInWeeks?: number;
  hidden?: number;
  epochs?: number;
  /** Epochs of the warm-start phase (static coefficients) before the main loop. */
  warmStartEpochs?: number;
  learningRate?: number;
  dagMode?: 'triangular' | 'notears';
  seed?: number;
  threads?: number;
  /** Local-level knot spacing in weeks (0 = no local level). */
  levelKnotWeeks?: number;
  /** Cap on media's share of the predicted KPI (0 = none). */
  mediaShareCap?: number;
  /** Moving-block bootstrap of the training weeks (0 = off): what makes ensemble members differ. */
  bootstrapSeed?: number;
  bootstrapBlockWeeks?: number;
  /** Multiplier of the experiment and ROI-prior terms (1 = their Gaussian likelihood). */
  calibrationWeight?: number;
  experiments?: Experiment[];
  roiPriors?: RoiPrior[];
}

/** The options a fitted model reports back (the rest are training inputs only). */
export type FitConfigEcho = Required<Omit<FitOptions, 'bootstrapSeed' | 'bootstrapBlockWeeks' | 'calibrationWeight' | 'experiments' | 'roiPriors' | 'levelKnotWeeks' | 'mediaShareCap'>> &
  Pick<FitOptions, 'levelKnotWeeks' | 'mediaShareCap'>;

export interface EpochReport {
  epoch: number;
  totalEpochs: number;
  warmStart: boolean;
  trainLoss: number | null;
  valLoss: number | null;
  trainR2: number | null;
  valR2: number | null;
  learningRate: number;
  elapsedSeconds: number;
}

export interface FitStep {
  done: boolean;
  totalEpochs: number;
  /** Epochs finished since the previous step. */
  history: EpochReport[];
}

/** What the core returns for a fitted model: ModelResults without the parts the analysis and
 * the host add (economics, curves, budget, truth, engine). */
export type CoreFitResults = Omit<ModelResults, 'economics' | 'responseCurves' | 'budget' | 'truth' | 'engine' | 'history' | 'mediaUnit'> & {
  history: EpochReport[];
  bestEpoch: number;
  config: FitConfigEcho;
  metrics: ModelResults['metrics'] & { validation: ModelResults['metrics']['train'] };
  /** Measured vs model for each experiment the fit was calibrated to (empty without experiments). */
  experiments?: ExperimentFit[];
};

/** New inputs for a fitted model: same regions, channels and controls (in the model's order),
 * weeks counted from the model's first week. */
export interface PredictInputs {
  media: Float32Array;
  controlValues?: Float32Array;
  kpi?: Float32Array;
}

export interface Prediction extends DecomposedSeries {
  weeks: number;
  metrics?: { train?: import('./results').Metrics; holdout?: import('./results').Metrics };
}

/** What the analysis varies and reports (core/include/mmm/analysis.hpp, AnalysisOptions). */
export interface AnalysisOptions {
  /** Window [from, to) of panel weeks whose spend is varied; default: the whole panel. */
  from?: number;
  to?: number;
  /** Weeks after the window whose KPI still counts (carry-over); default from the learned adstock. */
  carryoverWeeks?: number;
  /** Revenue per KPI unit: gives revenue ROI and makes the optimiser maximise revenue. */
  revenuePerKpi?: number;
  /** Marginal ROI: central difference at (1 ± epsilon) × spend; default 0.02. */
  epsilon?: number;
  /** Response-curve multipliers, ascending from 0; default 0, 0.25, …, 3. */
  factors?: number[];
  /** false: economics only (no curves, no budget). */
  curves?: boolean;
  /** false: no budget plan. */
  budget?: boolean;
  /** Options of the budget plan computed with the analysis (default: current budget). */
  budgetOptions?: BudgetOptions;
}

export interface BudgetBoundInput {
  channel: string;
  /** Spend over the horizon; null/undefined: the default (±30 % of current). */
  lower?: number | null;
  upper?: number | null;
  /** Keep the current spend. */
  locked?: boolean;
}

export interface BudgetOptions {
  mode?: BudgetPlan['mode'];
  /** fixed mode: total spend over the horizon; default the current spend of the last `weeks` weeks. */
  budget?: number;
  /** target-roi / target-mroi: the target. */
  target?: number;
  /** Planning horizon in weeks (its current spend is the panel's last weeks); default min(52, weeks). */
  weeks?: number;
  bounds?: BudgetBoundInput[];
  /** Default bounds: ±boundPct × current (default 0.3). */
  boundPct?: number;
  /** Check the plan with a full-model simulation (default true). */
  verify?: boolean;
}

export interface AnalysisResult {
  economics: ChannelEconomics[];
  responseCurves: ResponseCurve[];
  budget: BudgetPlan | null;
  /** Why there is no budget plan (e.g. no spend is known). */
  budgetMessage?: string;
  window: { from: number; to: number; carryoverWeeks: number };
  simulations: number;
  seconds: number;
}

export interface ContributionTotalsOptions {
  from?: number;
  to?: number;
  /** Region indices or names; default all. */
  regions?: (number | string)[];
}

/** Sums of the decomposition over weeks [from, to) and the chosen regions, KPI units. */
export interface ContributionTotals {
  from: number;
  to: number;
  regions: number[];
  actual: number;
  prediction: number;
  baseline: number;
  seasonal: number;
  controls: number[];
  media: number[];
  controlTotal: number;
  mediaTotal: number;
  mediaShare: number[];
  mediaShareOfPrediction: number;
}

/** A spend plan to run through the fitted model. */
export interface SpendPlanInput {
  /** First week of the plan as a panel week (0..weeks); default: the week after the panel. */
  start?: number;
  weeks: number;
  /** 'national' (default): spend[t*C + c], split over regions by each region's historical share;
   * 'regional': spend[(r*weeks + t)*C + c]. Activity units for channels without spend. */
  split?: 'national' | 'regional';
  spend: Float32Array | number[];
}

/** The series cover the plan's weeks only (T = weeks). */
export interface PlanSimulation extends DecomposedSeries {
  start: number;
  weeks: number;
  totals: Omit<ContributionTotals, 'actual'> & { actual: number };
}

/** A fitted model's forward pass as data, for the ONNX exporter (web/src/export/onnx.ts;
 * core/include/mmm/export_params.hpp). Region-major arrays like the panel. */
export interface OnnxGraphParams {
  spec: {
    regions: number; channels: number; controls: number;
    hidden: number; controlHidden: number; coefHidden: number; coefHidden2: number;
    fourier: number; trend: boolean; notears: boolean; dagTemperature: number;
    adstockMax: number; slopeMin: number; slopeMax: number; halfMin: number; burnIn: number;
    /** Local level (block 'local_level', [R x knots]): knots levelSpacing weeks apart, the last on week levelEnd. */
    levelSpacing: number; levelEnd: number;
  };
  /** Every parameter block of the model (raw, unconstrained values), by its core slot name. */
  blocks: { name: string; rows: number; cols: number; values: Float32Array }[];
  /** [C*C], 1 where an edge row → column may exist. */
  dagMask: Float32Array;
  scalers: {
    mediaDivisor: Float32Array; // [R*C]
    controlCenter: Float32Array; // [R*K]
    controlScale: Float32Array; // [R*K]
    controlClip: number;
    kpiMean: Float64Array; // [R]
    adstockInit: Float32Array; // [R*C]
  };
  harmonics: number;
  /** Seasonal basis for calendar phase 0..52, [53*F]. */
  seasonTable: Float32Array;
  /** Calendar week of year (phase + 1) of each panel week. */
  weekOfYear: Int32Array;
  /** Trend regressor of each panel week. */
  trend: Float32Array;
  weeks: number;
  trainWeeks: number;
  regionNames: string[];
  channelNames: string[];
  controlNames: string[];
  /** The model's own inputs in user units and as the model saw them. */
  media: Float32Array; // [R*T*C]
  controlValues: Float32Array; // [R*T*K]
  scaledMedia: Float32Array;
  scaledControls: Float32Array;
}

/** The functions wasm/bindings.cpp registers. */
export interface CoreModule {
  buildInfo(): CoreResult<BuildInfo>;
  heapStats(): CoreResult<HeapStats>;
  createSession(spec: PanelSpec): CoreResult<PanelSummary & { id: number }>;
  sessionInfo(id: number): CoreResult<PanelSummary>;
  disposeSession(id: number): CoreResult<object>;
  threadedSum(n: number, threads: number): CoreResult<ThreadCheck>;
  raiseForTest(kind: string): CoreResult<never>;
  generateDemo(options: DemoOptions): CoreResult<DemoData>;
  startFit(id: number, options: FitOptions): CoreResult<{ totalEpochs: number; config: FitConfigEcho }>;
  fitStep(id: number, maxEpochs: number, maxSeconds: number): CoreResult<FitStep>;
  finishFit(id: number): CoreResult<CoreFitResults>;
  cancelFit(id: number): CoreResult<object>;
  fitResults(id: number): CoreResult<CoreFitResults>;
  saveFit(id: number): CoreResult<{ bytes: Uint8Array }>;
  predictInputs(id: number, inputs: PredictInputs): CoreResult<Prediction>;
  loadFit(bytes: Uint8Array, extras: { dates?: string[]; spend?: Float32Array | null }): CoreResult<CoreFitResults & { id: number }>;
  /** progress: (done, total) in region chunks as the scenario simulations advance; returning false cancels. */
  analyze(id: number, options: AnalysisOptions | undefined, progress: ((done: number, total: number) => boolean | void) | undefined): CoreResult<AnalysisResult>;
  optimizeBudget(id: number, options?: BudgetOptions): CoreResult<BudgetPlan>;
  contributionTotals(id: number, options?: ContributionTotalsOptions): CoreResult<ContributionTotals & { channelNames: string[]; controlNames: string[] }>;
  simulatePlan(id: number, plan: SpendPlanInput): CoreResult<PlanSimulation>;
  /** The fitted model's lift for each experiment (e.g. of an uncalibrated fit, for "before"). */
  experimentFits(id: number, experiments: Experiment[]): CoreResult<{ experiments: ExperimentFit[] }>;
  exportGraphParams(id: number): CoreResult<OnnxGraphParams>;
}
