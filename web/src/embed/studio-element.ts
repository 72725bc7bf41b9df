// <mmm-studio>: the whole app in a shadow root, with an attribute/event/method API for portals.
// The element mounts the same shell and panels as index.html; its methods run the same actions as
// the buttons (app/commands.ts), so what a script does is what a user sees.
import { command } from '../app/commands';
import { startEngine } from '../app/engine-lifecycle';
import { createAppHost, folderUrl, resetAppHost, type AppHost } from '../app/host';
import { forgetSession } from '../app/session';
import { mountShell, type Shell } from '../app/shell';
import { forceTheme } from '../app/theme-mode';
import { setNumberLocale } from '../format/number';
import { appState, type Dataset } from '../app/state';
import type { FitProgress } from '../engine/fit-runner';
import type { Metrics, ModelResults } from '../engine/results';
import { APP_VERSION } from '../version';
import { adoptStyles } from './styles';
import type {
  MmmDataSummary, MmmEngineInfo, MmmErrorDetail, MmmFitOptions, MmmFitSummary, MmmMetrics, MmmProgressDetail, MmmStudioElement as StudioApi,
} from './types';

/** The folder mmm-studio.js was loaded from (kept in a variable so the bundler leaves it alone). */
const moduleUrl = import.meta.url;
export const EMBED_BASE = new URL('./', moduleUrl).href;

export class MmmError extends Error implements MmmErrorDetail {
  override readonly name = 'MmmError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The element that owns the page's app state (one per page). */
let owner: MmmStudioElement | null = null;

const metricsOf = (m: Metrics): MmmMetrics => {
  const n = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  return { r2: n(m.r2), r2_within: n(m.r2_within), rmse: n(m.rmse), mae: n(m.mae), wape: n(m.wape) };
};

function fitSummary(r: ModelResults, source: 'fit' | 'bundle'): MmmFitSummary {
  return {
    source,
    epochs: r.epochs,
    fitSeconds: r.fitSeconds,
    variant: r.engine.variant,
    threads: r.engine.threads,
    regions: r.shape.regions,
    weeks: r.shape.weeks,
    channels: r.shape.channels,
    channelNames: [...r.channelNames],
    metrics: { train: metricsOf(r.metrics.train), holdout: metricsOf(r.metrics.holdout) },
  };
}

function dataSummary(d: Dataset): MmmDataSummary {
  // The validated panel, else what the validation report counted, else the opened model's shape.
  const shape = d.panel ?? d.report?.shape ?? appState.results?.shape ?? null;
  return {
    name: d.name,
    source: d.source === 'paste' ? 'text' : d.source,
    regions: shape?.regions ?? 0,
    weeks: shape?.weeks ?? 0,
    channels: shape?.channels ?? 0,
    controls: shape?.controls ?? 0,
    canTrain: !!d.panel,
    blocking: d.report?.blocking ? [...d.report.blocking] : [],
  };
}

export class MmmStudioElement extends HTMLElement implements Omit<StudioApi, 'addEventListener' | 'removeEventListener'> {
  static readonly observedAttributes = ['theme', 'view', 'locale'];

  #host: AppHost | null = null;
  #shell: Shell | null = null;
  #container: HTMLElement | null = null;
  #unsubscribe: (() => void)[] = [];
  #engine: MmmEngineInfo | null = null;
  #readyWaiters: { resolve(info: MmmEngineInfo): void; reject(e: MmmError): void }[] = [];
  #teardownTimer: ReturnType<typeof setTimeout> | null = null;

  connectedCallback(): void {
    if (this.#teardownTimer !== null) {
      // Moved within the page: keep running.
      clearTimeout(this.#teardownTimer);
      this.#teardownTimer = null;
    }
    if (this.#host) return;
    if (owner && owner !== this) {
      const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      const note = document.createElement('p');
      note.textContent = 'MMM Studio: only one <mmm-studio> element can run on a page.';
      shadow.replaceChildren(note);
      queueMicrotask(() => this.#emit('error', { code: 'INVALID_CONFIG', message: 'only one <mmm-studio> element can run on a page' }));
      return;
    }
    owner = this;
    this.#mount();
  }

  disconnectedCallback(): void {
    if (!this.#host) return;
    // Removed for good (not just moved): stop the engine and free the page's app state.
    this.#teardownTimer = setTimeout(() => this.#teardown(), 0);
  }

  attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    if (name === 'theme' && this.#container) forceTheme(themeAttribute(value));
    if (name === 'view' && this.#shell && value) this.#shell.select(value);
    if (name === 'locale' && this.#host) this.#applyLocale(value);
  }

  // ---- API ------------------------------------------------------------------------------------

  get engine(): MmmEngineInfo | null {
    return this.#engine;
  }

  get model(): MmmFitSummary | null {
    const r = appState.results;
    return this.#host && r ? fitSummary(r, appState.dataset?.source === 'bundle' ? 'bundle' : 'fit') : null;
  }

  /** The loaded model's full results (what <mmm-chart> draws); not part of the stable API. */
  get results(): ModelResults | null {
    return this.#host ? appState.results : null;
  }

  whenReady(): Promise<MmmEngineInfo> {
    if (this.#engine) return Promise.resolve(this.#engine);
    if (!this.#host && owner && owner !== this) return Promise.reject(new MmmError('INVALID_CONFIG', 'only one <mmm-studio> element can run on a page'));
    if (this.#host && appState.engineError) return Promise.reject(new MmmError('ENGINE_FAILED', appState.engineError.message));
    return new Promise((resolve, reject) => this.#readyWaiters.push({ resolve, reject }));
  }

  async loadCsv(input: File | Blob | string, name?: string): Promise<MmmDataSummary> {
    await this.whenReady();
    if (typeof input === 'string') return this.#load(async () => command('loadText')(input, name ?? 'pasted data'));
    const file = input instanceof File ? input : new File([input], name ?? 'data.csv', { type: input.type || 'text/csv' });
    return this.#load(() => command('loadFile')(file));
  }

  async loadDemo(): Promise<MmmDataSummary> {
    await this.whenReady();
    return this.#load(() => command('loadDemo')());
  }

  async loadBundle(input: File | Blob | ArrayBuffer | Uint8Array, name = 'model.mmm'): Promise<MmmFitSummary> {
    await this.whenReady();
    const file = input instanceof File ? input : new File([input as BlobPart], name, { type: 'application/octet-stream' });
    await this.#load(() => command('loadFile')(file));
    const r = appState.results;
    if (!r || appState.dataset?.source !== 'bundle') throw new MmmError('INVALID_DATA', `${file.name} is not a saved model (.mmm)`);
    return fitSummary(r, 'bundle');
  }

  async fit(options: MmmFitOptions = {}): Promise<MmmFitSummary> {
    await this.whenReady();
    try {
      const results = await command('fit')({ ...options });
      return fitSummary(results, 'fit');
    } catch (err) {
      throw toMmmError(err);
    }
  }

  cancelFit(): void {
    if (this.#host) command('cancelFit')();
  }

  async exportBundle(options: { includeData?: boolean } = {}): Promise<Uint8Array> {
    await this.whenReady();
    const results = appState.results;
    const client = appState.client;
    if (!results || appState.sessionId === null || !client) throw new MmmError('NO_MODEL', 'there is no fitted model to export: fit() or loadBundle() first');
    const d = appState.dataset;
    const data = options.includeData && d?.original ? await d.original.text() : null;
    try {
      return await client.call('exportBundle', {
        sessionId: appState.sessionId,
        results,
        info: { dataName: d?.name ?? 'data', mapping: d?.mapping ?? null, data, appVersion: APP_VERSION },
      });
    } catch (err) {
      throw toMmmError(err);
    }
  }

  // ---- internals ------------------------------------------------------------------------------

  #mount(): void {
    const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    shadow.replaceChildren();
    adoptStyles(shadow);
    const container = document.createElement('div');
    // The attribute wins; without one the app follows the user's toggle and prefers-color-scheme.
    forceTheme(themeAttribute(this.getAttribute('theme')));
    this.#applyLocale(this.getAttribute('locale'));
    shadow.append(container);
    this.#container = container;
    appState.threadsPreference = this.getAttribute('threads') === 'off' ? 'off' : 'auto';
    const base = this.getAttribute('base-url');
    this.#host = createAppHost({ container, dropTarget: this, assetBase: base ? folderUrl(base) : EMBED_BASE, embedded: true });
    this.#shell = mountShell(container, { embedded: true, initialTab: this.getAttribute('view') ?? undefined });

    let lastClient = appState.client;
    let lastResults = appState.results;
    this.#unsubscribe.push(
      appState.subscribe(() => {
        if (appState.client && appState.client !== lastClient && appState.init) {
          lastClient = appState.client;
          this.#engineReady();
        }
        if (appState.results !== lastResults) {
          lastResults = appState.results;
          if (lastResults) this.#emit('fitted', fitSummary(lastResults, appState.dataset?.source === 'bundle' ? 'bundle' : 'fit'));
        }
      }),
      appState.onError((e) => {
        this.#emit('error', { code: e.code, message: e.message });
        if (appState.engineError && !appState.client) {
          for (const w of this.#readyWaiters.splice(0)) w.reject(new MmmError('ENGINE_FAILED', appState.engineError.message));
        }
      }),
      appState.onProgress((method, data) => {
        if (method !== 'fit') return;
        const p = data as unknown as FitProgress;
        const r2 = p.latest?.valR2 ?? p.latest?.trainR2 ?? null;
        this.#emit('progress', { phase: p.phase, epoch: p.epoch, totalEpochs: p.totalEpochs, elapsedSeconds: p.elapsedSeconds, etaSeconds: p.etaSeconds, r2 });
      }),
    );
    this.#registerServiceWorker();
    void startEngine();
  }

  #engineReady(): void {
    const init = appState.init!;
    this.#engine = {
      variant: init.variant,
      threads: init.threads,
      reason: appState.variantReason,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      coreVersion: init.buildInfo.version,
      loadMs: init.loadMs,
    };
    for (const w of this.#readyWaiters.splice(0)) w.resolve(this.#engine);
    this.#emit('ready', this.#engine);
  }

  /** Runs a load action; resolves with the new dataset, or rejects with the error it showed. */
  async #load(action: () => Promise<void>): Promise<MmmDataSummary> {
    const before = appState.dataset;
    const errorsBefore = appState.errors.length;
    await action();
    const d = appState.dataset;
    if (!d || d === before) {
      const e = appState.errors[errorsBefore];
      throw new MmmError(e?.code ?? 'LOAD_FAILED', e?.message ?? 'the data could not be loaded');
    }
    return dataSummary(d);
  }

  #emit<K extends 'ready' | 'progress' | 'fitted' | 'error'>(type: K, detail: K extends 'ready' ? MmmEngineInfo : K extends 'progress' ? MmmProgressDetail : K extends 'fitted' ? MmmFitSummary : MmmErrorDetail): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: false, composed: false }));
  }

  /** Numbers in the `locale` attribute's locale (default: the browser's); a bad tag is an error event. */
  #applyLocale(value: string | null): void {
    try {
      setNumberLocale(value);
    } catch (err) {
      setNumberLocale(null);
      queueMicrotask(() => this.#emit('error', { code: 'INVALID_CONFIG', message: `locale attribute: ${(err as Error).message}` }));
    }
  }

  #registerServiceWorker(): void {
    const url = this.getAttribute('service-worker');
    if (!url || !('serviceWorker' in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register(new URL(url, document.baseURI), { updateViaCache: 'none' }).catch((err: unknown) => {
      this.#emit('error', { code: 'SERVICE_WORKER', message: `the service worker could not be registered: ${String(err)}` });
    });
  }

  #teardown(): void {
    this.#teardownTimer = null;
    for (const u of this.#unsubscribe.splice(0)) u();
    appState.client?.terminate('the <mmm-studio> element was removed');
    forgetSession();
    appState.reset();
    forceTheme(null);
    if (this.#host) resetAppHost(this.#host);
    this.#host = null;
    this.#shell = null;
    this.#container = null;
    this.#engine = null;
    this.shadowRoot?.replaceChildren();
    if (owner === this) owner = null;
  }
}

/** The `theme` attribute: "dark" or "light" fix the theme; absent (or anything else) follows the user. */
function themeAttribute(value: string | null): 'dark' | 'light' | null {
  return value === 'dark' || value === 'light' ? value : null;
}

function toMmmError(err: unknown): MmmError {
  if (err instanceof MmmError) return err;
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'INTERNAL';
  return new MmmError(code, err instanceof Error ? err.message : String(err));
}

