// Types of the raw Embind module (wasm/bindings.cpp). Every call returns {ok:true,...} or
// {ok:false, code, message}; Engine (engine.ts) turns the latter into EngineError.

import type { ModelResults } from './results';

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

/** Training options; anything left out takes the core's default (see core/include/mmm/fit_config.hpp). */
export interface FitOptions {
  holdoutWeeks?: number;
  holdoutRatio?: number;
  validationWeeks?: number;
  burnInWeeks?: number;
  hidden?: number;
  epochs?: number;
  learningRate?: number;
  dagMode?: 'triangular' | 'notears';
  seed?: number;
  threads?: number;
}

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
  config: Required<FitOptions>;
  metrics: ModelResults['metrics'] & { validation: ModelResults['metrics']['train'] };
};

/** New inputs for a fitted model: same regions, channels and controls (in the model's order),
 * weeks counted from the model's first week. */
export interface PredictInputs {
  media: Float32Array;
  controlValues?: Float32Array;
  kpi?: Float32Array;
}

export interface Prediction {
  weeks: number;
  prediction: Float32Array;
  baseline: Float32Array;
  seasonal: Float32Array;
  media: Float32Array;
  controls: Float32Array;
  metrics?: { train?: import('./results').Metrics; holdout?: import('./results').Metrics };
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
  startFit(id: number, options: FitOptions): CoreResult<{ totalEpochs: number; config: Required<FitOptions> }>;
  fitStep(id: number, maxEpochs: number, maxSeconds: number): CoreResult<FitStep>;
  finishFit(id: number): CoreResult<CoreFitResults>;
  cancelFit(id: number): CoreResult<object>;
  fitResults(id: number): CoreResult<CoreFitResults>;
  saveFit(id: number): CoreResult<{ bytes: Uint8Array }>;
  predictInputs(id: number, inputs: PredictInputs): CoreResult<Prediction>;
  loadFit(bytes: Uint8Array, extras: { dates?: string[]; spend?: Float32Array | null }): CoreResult<CoreFitResults & { id: number }>;
}
