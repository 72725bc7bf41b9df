// What a fitted model gives the UI: everything the dashboards, exports and reports draw from.
// Produced by the engine (wasm/bindings.cpp → engine.ts), in the user's KPI and spend units.
// Array layouts are region-major like the panel: [r*weeks + t] and [(r*weeks + t)*width + j].

export interface Metrics {
  r2: number;
  r2_within: number;
  rmse: number;
  mae: number;
  wape: number;
  rel_error: number;
  r2_region_median: number;
  skill: { recent_mean: number; seasonal_naive: number | null };
  n: number;
}

export interface EpochPoint {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  trainR2: number;
  valR2: number;
  elapsedSeconds: number;
}

export interface ChannelEconomics {
  channel: string;
  /** Total contribution over the analysis window, KPI units (direct effect only). */
  contribution: number;
  /** Share of total media contribution. */
  share: number;
  /** Contribution this channel causes through DAG children (KPI units). */
  indirect: number;
  /** Total spend in the window, or null when no spend column is known. */
  spend: number | null;
  /** Total activity (impressions/clicks/…) in the window, or null. */
  activity: number | null;
  /** contribution / spend (null without spend). */
  roi: number | null;
  /** (contribution + indirect) / spend. */
  roiTotal: number | null;
  /** Revenue ROI when a revenue per KPI is known, else null. */
  revenueRoi: number | null;
  /** spend / contribution. */
  costPerKpi: number | null;
  /** d contribution / d spend at current spend. */
  marginalRoi: number | null;
  /** contribution per 1,000 activity units (when only activity is known, or always when known). */
  effectPer1000: number | null;
  /** What the channel moves in other terms through the recurrent coefficient network (not a DAG
   * edge): other channels' coefficients and the controls' react to its input. KPI units. */
  interaction?: number;
  /** contribution + indirect + interaction: prediction with the channel minus prediction with its
   * spend at 0 over the window (KPI units). */
  incremental?: number;
  /** d incremental / d spend at current spend. */
  marginalRoiTotal?: number | null;
  /** The channel's additive media term summed over the window (the decomposition's view). */
  decomposedContribution?: number;
}

export interface ResponseCurve {
  channel: string;
  /** Multipliers of current spend (or activity), 0..3. */
  factors: number[];
  /** Spend (or activity) per week at each factor, national total. */
  x: number[];
  /** Incremental KPI over the window at each factor, from re-running the full model. */
  y: number[];
  /** Hill fit y = bottom + (top-bottom)·x^s/(K^s + x^s). */
  hill: { bottom: number; top: number; halfSaturation: number; slope: number; r2: number };
  /** Current weekly spend (x at factor 1). */
  current: number;
  /** current relative to the fitted saturation (0..100 %). */
  saturationPct: number;
  unit: 'spend' | 'activity';
}

export interface BudgetRow {
  channel: string;
  currentSpend: number;
  optimalSpend: number;
  change: number;
  changePct: number;
  lower: number;
  upper: number;
  locked: boolean;
  predictedKpi: number;
  currentKpi: number;
  roi: number;
  marginalRoi: number;
  saturationPct: number;
  /** The optimum sits on the channel's lower / upper bound. */
  atLower?: boolean;
  atUpper?: boolean;
}

export interface BudgetPlan {
  mode: 'fixed' | 'target-roi' | 'target-mroi';
  budget: number;
  weeks: number;
  rows: BudgetRow[];
  /** Predicted incremental KPI on the fitted curves, current vs optimal. */
  currentKpi: number;
  optimalKpi: number;
  upliftPct: number;
  /** The same plans verified with a full-model simulation. */
  simulatedCurrentKpi: number;
  simulatedOptimalKpi: number;
  simulatedUpliftPct: number;
  /** Σ current spend over the horizon. */
  currentBudget?: number;
  /** Channels the plan keeps as they are (no spend, or no response curve). */
  fixedChannels?: string[];
  /** target-roi: false when no budget reaches the target. */
  targetMet?: boolean;
  message?: string;
}

export interface DemoTruthSummary {
  channels: { channel: string; share: number; roi: number; contribution: number; adstock: number; hillSlope: number; halfSaturation: number }[];
  edges: { from: string; to: string; strength: number }[];
  mediaShare: number;
}

/** A prediction split into its additive parts, KPI units, region-major like the panel: [r*T + t]
 * for the totals, [(r*T + t)*C + c] for media and [(r*T + t)*K + k] for controls. */
export interface DecomposedSeries {
  prediction: Float32Array;
  baseline: Float32Array;
  seasonal: Float32Array;
  media: Float32Array; // contributions per channel
  controls: Float32Array; // contributions per control
}

export interface ModelResults extends DecomposedSeries {
  shape: { regions: number; weeks: number; channels: number; controls: number };
  regionNames: string[];
  channelNames: string[];
  controlNames: string[];
  /** ISO week-start dates (or week ids as text), one per week. */
  dates: string[];
  /** Weeks [0, trainEnd) trained on (the last validationWeeks of them for early stopping),
   * [trainEnd, weeks) held out. The first burnIn weeks are excluded from metrics. */
  trainEnd: number;
  validationWeeks: number;
  burnIn: number;

  actual: Float32Array; // [R*T] KPI
  coefficients: Float32Array; // [R*T*C] time-varying media coefficients (scaled space)
  /** The model's media driver in user units (spend, or activity when no spend). */
  mediaInput: Float32Array; // [R*T*C]
  spend: Float32Array | null; // [R*T*C]
  scaledMedia: Float32Array; // [R*T*C] what the model saw
  scaledControls: Float32Array; // [R*T*K]
  /** Learned DAG adjacency, [from*C + to], 0..1. */
  adjacency: Float32Array;
  dagMode: 'triangular' | 'notears';
  adstock: number[]; // per channel decay
  hillSlope: number[]; // per channel
  hillHalfSaturation: number[]; // per channel, in scaled units
  mediaUnit: ('spend' | 'activity')[];

  /** validation: the validation slice scored with the weights early stopping chose (before any
   * refit); absent in results saved before it existed, n = 0 when there is no slice. */
  metrics: { train: Metrics; holdout: Metrics; validation?: Metrics };
  history: EpochPoint[];
  epochs: number;
  fitSeconds: number;
  engine: { variant: 'core-st' | 'core-mt'; threads: number };
  seed: number;

  economics: ChannelEconomics[];
  responseCurves: ResponseCurve[];
  budget: BudgetPlan | null;
  truth: DemoTruthSummary | null;
  /** How economics, curves and budget were computed: the window [from, to) whose spend is varied,
   * the carry-over weeks counted after it, and why there is no budget plan (when there is none). */
  analysis?: { from: number; to: number; carryoverWeeks: number; simulations: number; seconds: number; budgetMessage?: string; error?: string };
  /** Measured vs model for each experiment the fit was calibrated to (absent without experiments). */
  experiments?: import('./core-types').ExperimentFit[];
  /** The experiments and ROI priors the fit was calibrated to, with measured vs model before and
   * after calibration (the app's "Experiments: measured vs model"; kept in model bundles). */
  calibration?: import('../calibration/report').CalibrationReport;
  /** Uncertainty intervals from an ensemble of fits (engine/ensemble.ts); absent for a single fit. */
  intervals?: import('./ensemble').EnsembleIntervals;
}

/** The model's ROI for a channel (its economics row; null without spend or without that channel). */
export function channelRoi(results: Pick<ModelResults, 'economics'>, channel: string): number | null {
  return results.economics?.find((e) => e.channel === channel)?.roi ?? null;
}
