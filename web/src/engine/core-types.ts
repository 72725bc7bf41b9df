// Types of the raw Embind module (wasm/bindings.cpp). Every call returns {ok:true,...} or
// {ok:false, code, message}; Engine (engine.ts) turns the latter into EngineError.

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
}
