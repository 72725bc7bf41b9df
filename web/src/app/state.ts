// Application state shared by the panels, with a minimal change notification.
import type { EngineClient } from '../client/engine-client';
import type { DemoTruth, PanelSpec } from '../engine/core-types';
import type { EngineError } from '../engine/errors';
import type { InitResult } from '../engine/protocol';
import type { ModelResults } from '../engine/results';
import { cleanUnits, type DisplayUnits } from '../format/number';
import type { Inference, Mapping, ParsedTable, ValidationReport } from '../ingest';

/** The data the user loaded: a parsed file with its mapping, or the built-in example. */
export interface Dataset {
  source: 'file' | 'paste' | 'demo' | 'bundle';
  name: string;
  table: ParsedTable | null;
  inference: Inference | null;
  mapping: Mapping | null;
  report: ValidationReport | null;
  /** The validated panel (null while the mapping has blocking errors). */
  panel: PanelSpec | null;
  truth: DemoTruth | null;
  /** The original file (or pasted text), kept so a model bundle can include it on request. */
  original: Blob | null;
}

type Listener = () => void;
/** A progress event of an engine call (e.g. 'fit' with FitProgress data). */
export type ProgressListener = (method: string, data: Record<string, unknown>) => void;
export type ErrorListener = (error: ErrorRecord) => void;

export interface ErrorRecord {
  at: string;
  code: string;
  message: string;
}

class AppState {
  client: EngineClient | null = null;
  init: InitResult | null = null;
  variantReason = '';
  engineError: EngineError | null = null;
  threadsPreference: 'auto' | 'off' = 'auto';
  dataset: Dataset | null = null;
  /** Engine session holding dataset.panel (recreated when the panel changes). */
  sessionId: number | null = null;
  results: ModelResults | null = null;
  /** Display units of data without a mapping (the example data). */
  private looseUnits: DisplayUnits = {};
  training = false;
  /** Every error shown to the user, newest last (tests read it through window.__mmm). */
  readonly errors: ErrorRecord[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly progressListeners = new Set<ProgressListener>();
  private readonly errorListeners = new Set<ErrorListener>();
  private readyResolve!: () => void;
  /** Resolves when the engine first starts (a new promise after reset()). */
  ready: Promise<void> = new Promise((r) => (this.readyResolve = r));

  setEngine(client: EngineClient, init: InitResult, reason: string): void {
    this.client = client;
    this.engineError = null;
    this.init = init;
    this.variantReason = reason;
    this.readyResolve();
    this.emit();
  }

  setEngineError(err: EngineError): void {
    this.engineError = err;
    this.recordError(err.code, err.message);
    this.emit();
  }

  setDataset(d: Dataset | null): void {
    this.dataset = d;
    this.results = null;
    this.looseUnits = {};
    this.emit();
  }

  /** Currency of spend and unit of the KPI for figures. They live on the mapping, so the mapping
   * file and the model bundle (which stores the mapping) keep them. */
  get units(): DisplayUnits {
    return this.dataset?.mapping?.units ?? this.looseUnits;
  }

  setUnits(units: DisplayUnits): void {
    const clean = cleanUnits(units);
    const d = this.dataset;
    if (d?.mapping) d.mapping = { ...d.mapping, units: clean };
    else this.looseUnits = clean;
    this.emit();
  }

  setResults(r: ModelResults | null): void {
    this.results = r;
    this.emit();
  }

  recordError(code: string, message: string): void {
    const record = { at: new Date().toISOString(), code, message };
    this.errors.push(record);
    for (const fn of this.errorListeners) fn(record);
  }

  /** Called for every error shown to the user (the embed's `error` event). */
  onError(fn: ErrorListener): () => void {
    this.errorListeners.add(fn);
    return () => this.errorListeners.delete(fn);
  }

  /** Called for every progress event from the engine (the embed's `progress` event). */
  onProgress(fn: ProgressListener): () => void {
    this.progressListeners.add(fn);
    return () => this.progressListeners.delete(fn);
  }

  emitProgress(method: string, data: Record<string, unknown>): void {
    for (const fn of this.progressListeners) fn(method, data);
  }

  /** Back to a fresh page: no engine, data, model or listeners (an embedded app was removed;
   * the caller has already terminated the engine). */
  reset(): void {
    this.client = null;
    this.init = null;
    this.variantReason = '';
    this.engineError = null;
    this.threadsPreference = 'auto';
    this.dataset = null;
    this.sessionId = null;
    this.results = null;
    this.looseUnits = {};
    this.training = false;
    this.errors.length = 0;
    this.listeners.clear();
    this.progressListeners.clear();
    this.errorListeners.clear();
    this.ready = new Promise((r) => (this.readyResolve = r));
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(): void {
    for (const fn of this.listeners) fn();
  }
}

export const appState = new AppState();

export type { AppState };

// A read-only window for end-to-end tests and for support ("what engine am I running?"). Only the
// standalone page sets it (main.ts): an embedded element adds no globals to the host page.
declare global {
  interface Window {
    __mmm?: {
      state: AppState;
      ready: Promise<void>;
    };
  }
}
export function exposeForDebugging(): void {
  if (typeof window !== 'undefined') window.__mmm = { state: appState, ready: appState.ready };
}
