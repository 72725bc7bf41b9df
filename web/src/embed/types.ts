// The public API of the <mmm-studio> and <mmm-chart> custom elements. This file has no imports
// and no runtime code, so the build ships it unchanged as dist-embed/mmm-studio.d.ts; the
// elements (studio-element.ts, chart-element.ts) implement these interfaces, and
// types-check.ts keeps them in step with the app's internal types.

/** Which engine runs: core-mt (threads) needs a cross-origin isolated page (COOP + COEP). */
export type MmmVariant = 'core-mt' | 'core-st';

/** The dashboard views <mmm-chart view="…"> can show. */
export type MmmViewId =
  | 'quality'
  | 'actual-vs-predicted'
  | 'holdout-scatter'
  | 'contribution-by-channel'
  | 'contribution-share'
  | 'waterfall'
  | 'contributions-over-time'
  | 'coefficients'
  | 'effectiveness'
  | 'dag-heatmap'
  | 'dag-network'
  | 'channel-detail'
  | 'scaled-inputs'
  | 'response-curves'
  | 'roi'
  | 'transforms'
  | 'budget'
  | 'regions'
  | 'residuals'
  | 'training'
  | 'truth'
  | 'spend-vs-effect'
  | 'experiments'
  | 'calibration-shift';

/** The tabs of <mmm-studio> (its `view` attribute). */
export type MmmTab = 'data' | 'train' | 'results' | 'budget' | 'export' | 'about';

/** Detail of the `ready` event, and what `whenReady()` resolves with. */
export interface MmmEngineInfo {
  variant: MmmVariant;
  /** Threads the engine uses (1 for core-st). */
  threads: number;
  /** Why this variant, in words (also shown in the element's status bar). */
  reason: string;
  /** Whether the page is cross-origin isolated (threads are possible only then). */
  crossOriginIsolated: boolean;
  /** Version of the C++ core. */
  coreVersion: string;
  /** Milliseconds the engine took to load. */
  loadMs: number;
}

/** Fit settings (all optional; the Train tab's values, then the engine's defaults, fill the rest). */
export interface MmmFitOptions {
  /** Maximum epochs (early stopping usually ends sooner). */
  epochs?: number;
  /** The last weeks held out to measure accuracy (default 13). */
  holdoutWeeks?: number;
  /** Width of the recurrent network. */
  hidden?: number;
  learningRate?: number;
  /** Same data, settings and seed give identical results. */
  seed?: number;
  /** Threads for core-mt (ignored by core-st). */
  threads?: number;
  /** Channel interactions: fixed order, or a learned structure. */
  dagMode?: 'triangular' | 'notears';
  /** Epochs of the warm-start phase (static coefficients) before the main loop. */
  warmStartEpochs?: number;
}

/** Accuracy measures of a fitted model (null when not defined, e.g. no holdout weeks). */
export interface MmmMetrics {
  r2: number | null;
  r2_within: number | null;
  rmse: number | null;
  mae: number | null;
  wape: number | null;
}

/** What a load resolves with. */
export interface MmmDataSummary {
  /** File name, the name given to loadCsv, or the example's title. */
  name: string;
  source: 'file' | 'text' | 'demo' | 'bundle';
  regions: number;
  weeks: number;
  channels: number;
  controls: number;
  /** False when the data has blocking errors (listed in `blocking` and on the Data tab). */
  canTrain: boolean;
  blocking: string[];
}

/** Detail of the `fitted` event, and what fit() and loadBundle() resolve with. */
export interface MmmFitSummary {
  /** 'fit' after training; 'bundle' after opening a saved model. */
  source: 'fit' | 'bundle';
  epochs: number;
  fitSeconds: number;
  variant: MmmVariant;
  threads: number;
  regions: number;
  weeks: number;
  channels: number;
  channelNames: string[];
  metrics: { train: MmmMetrics; holdout: MmmMetrics };
}

/** Detail of the `progress` event (about ten per second while training). */
export interface MmmProgressDetail {
  phase: 'warm-start' | 'training';
  epoch: number;
  /** Upper bound: early stopping may end sooner. */
  totalEpochs: number;
  elapsedSeconds: number;
  etaSeconds: number;
  /** Latest validation R² (training R² when there is no validation slice), when known. */
  r2: number | null;
}

/** Detail of the `error` event; methods reject with an Error carrying the same code. */
export interface MmmErrorDetail {
  /** INVALID_DATA, INVALID_CONFIG, NUMERIC_FAILURE, CANCELLED, OUT_OF_MEMORY, INTERNAL, LOAD_FAILED,
   * EMPTY_FILE, NO_MODEL, ENGINE_FAILED, … */
  code: string;
  message: string;
}

export interface MmmError extends Error {
  name: 'MmmError';
  code: string;
}

export interface MmmStudioEventMap {
  ready: CustomEvent<MmmEngineInfo>;
  progress: CustomEvent<MmmProgressDetail>;
  fitted: CustomEvent<MmmFitSummary>;
  error: CustomEvent<MmmErrorDetail>;
}

/**
 * `<mmm-studio>`: the whole app (Data, Train, Results, Export, About) in a shadow root.
 *
 * Attributes (read when the element connects, except `theme` and `view`):
 * - `base-url`: folder holding `wasm/` (and `ort/`), relative to the page or absolute, same origin.
 *   Default: the folder mmm-studio.js was loaded from.
 * - `threads`: `auto` (default: threads when the page is cross-origin isolated) or `off`.
 * - `theme`: `light` (default) or `dark`.
 * - `view`: the tab shown: `data` (default), `train`, `results`, `budget`, `export`, `about`.
 * - `service-worker`: URL of a service worker script to register (none by default).
 *
 * Events (CustomEvent, dispatched on the element, not bubbling): `ready`, `progress`, `fitted`, `error`.
 * One <mmm-studio> per page (the app keeps one state per page); <mmm-chart> elements show its model.
 */
export interface MmmStudioElement extends HTMLElement {
  /** Resolves when the engine has started (at once if it already has). */
  whenReady(): Promise<MmmEngineInfo>;
  /** The engine that runs, or null while it starts. */
  readonly engine: MmmEngineInfo | null;
  /** Loads a CSV (a File/Blob is parsed in a worker; a string is CSV text). `name` labels text. */
  loadCsv(input: File | Blob | string, name?: string): Promise<MmmDataSummary>;
  /** Loads the built-in example data (a simulated business with known truth). */
  loadDemo(): Promise<MmmDataSummary>;
  /** Opens a saved model (.mmm): dashboards without retraining. */
  loadBundle(input: File | Blob | ArrayBuffer | Uint8Array, name?: string): Promise<MmmFitSummary>;
  /** Trains on the loaded data. Rejects (code CANCELLED) when cancelled. */
  fit(options?: MmmFitOptions): Promise<MmmFitSummary>;
  /** Cancels a running fit (cooperatively, then by restarting the engine after a second). */
  cancelFit(): void;
  /** The fitted model as .mmm bytes (the original data only with includeData: true). */
  exportBundle(options?: { includeData?: boolean }): Promise<Uint8Array>;
  /** The loaded model's summary, or null. */
  readonly model: MmmFitSummary | null;
  addEventListener<K extends keyof MmmStudioEventMap>(type: K, listener: (this: MmmStudioElement, ev: MmmStudioEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof MmmStudioEventMap>(type: K, listener: (this: MmmStudioElement, ev: MmmStudioEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/**
 * `<mmm-chart view="roi">`: one dashboard view of the model loaded in the page's <mmm-studio>
 * (it redraws when a new model is fitted or opened).
 *
 * Attributes: `view` (an MmmViewId, required), `region` and `channel` (names, for the views that
 * use them), `theme` (`light`|`dark`: the frame around the light chart).
 * Events: `rendered` (detail {view}), `error` (detail MmmErrorDetail), dispatched on the element.
 */
export interface MmmChartElement extends HTMLElement {
  view: MmmViewId | null;
  /** 'empty' (no model yet), 'drawing', 'drawn', 'unavailable' (the model lacks what the view
   * needs; the reason is shown), 'error'. Also the `data-state` attribute. */
  readonly state: 'empty' | 'drawing' | 'drawn' | 'unavailable' | 'error';
  /** Redraws (e.g. after the host resized the element without a resize event). */
  refresh(): Promise<void>;
  /** The drawn chart as SVG text (null before it is drawn). */
  toSVG(): Promise<string | null>;
}

declare global {
  interface HTMLElementTagNameMap {
    'mmm-studio': MmmStudioElement;
    'mmm-chart': MmmChartElement;
  }
}
