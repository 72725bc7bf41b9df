// <mmm-chart view="…">: one dashboard view of the model loaded in the page's <mmm-studio>, drawn
// with the same view builders (charts/index.ts) and renderer (charts/render.ts) as the Results tab.
import { VIEWS, type ViewDef, type ViewOptions } from '../charts';
import { renderView, type RenderedView } from '../charts/render';
import { appState } from '../app/state';
import { currentTheme, onThemeChange } from '../app/theme-mode';
import type { ModelResults } from '../engine/results';
import { adoptStyles } from './styles';
import type { MmmChartElement as ChartApi, MmmErrorDetail, MmmViewId } from './types';

type ChartState = ChartApi['state'];

const CHART_CSS = `
:host { display: block; min-height: 60px; }
:host([hidden]) { display: none; }
.frame { all: initial; display: block; box-sizing: border-box; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif;
  font-size: 14px; color: #1d232b; background: #ffffff; border-radius: 8px; padding: 8px; }
.frame[data-theme='dark'] { border: 1px solid #35404c; color: #e6ebf1; background: #1b2128; }
.frame[data-theme='dark'] .note { color: #a9b4c0; }
.chart { width: 100%; min-height: 40px; }
.note { margin: 8px 4px; color: #5b6673; line-height: 1.4; }
.chart:focus-visible { outline: 3px solid #c77700; outline-offset: 2px; }
`;

export class MmmChartElement extends HTMLElement implements Omit<ChartApi, 'view'> {
  static readonly observedAttributes = ['view', 'region', 'channel', 'theme'];

  #frame: HTMLElement | null = null;
  #chart: HTMLElement | null = null;
  #note: HTMLElement | null = null;
  #rendered: RenderedView | null = null;
  #token = 0;
  #unsubscribe: (() => void) | null = null;
  #unsubscribeTheme: (() => void) | null = null;
  #lastResults: ModelResults | null = null;
  #resize: ResizeObserver | null = null;
  #drawnWidth = -1;
  #resizeTimer: ReturnType<typeof setTimeout> | null = null;

  get view(): MmmViewId | null {
    return this.getAttribute('view') as MmmViewId | null;
  }

  set view(id: MmmViewId | null) {
    if (id) this.setAttribute('view', id);
    else this.removeAttribute('view');
  }

  get state(): ChartState {
    return (this.dataset.state as ChartState | undefined) ?? 'empty';
  }

  connectedCallback(): void {
    if (!this.#frame) {
      const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      adoptStyles(shadow, [CHART_CSS]);
      this.#frame = document.createElement('div');
      this.#frame.className = 'frame';
      this.#chart = document.createElement('div');
      this.#chart.className = 'chart';
      this.#note = document.createElement('p');
      this.#note.className = 'note';
      this.#frame.append(this.#note, this.#chart);
      shadow.append(this.#frame);
    }
    this.#applyTheme();
    this.#unsubscribeTheme = onThemeChange(() => {
      if (!this.hasAttribute('theme') && this.#applyTheme()) void this.refresh();
    });
    // Follow the page's model: redraw when <mmm-studio> fits or opens one.
    this.#unsubscribe = appState.subscribe(() => {
      if (appState.results !== this.#lastResults) void this.refresh();
    });
    this.#resize = new ResizeObserver(() => {
      if (this.#resizeTimer !== null) clearTimeout(this.#resizeTimer);
      this.#resizeTimer = setTimeout(() => {
        const w = this.#chart?.clientWidth ?? 0;
        if (this.state === 'drawn' && Math.abs(w - this.#drawnWidth) > 8) void this.refresh();
      }, 150);
    });
    this.#resize.observe(this);
    void this.refresh();
  }

  disconnectedCallback(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#unsubscribeTheme?.();
    this.#unsubscribeTheme = null;
    this.#resize?.disconnect();
    this.#resize = null;
    this.#rendered?.finalize();
    this.#rendered = null;
  }

  attributeChangedCallback(name: string): void {
    if (!this.#frame) return;
    if (name !== 'theme' || this.#applyTheme()) void this.refresh();
  }

  /** The `theme` attribute, else the page's theme (toggle, prefers-color-scheme); true if it changed. */
  #applyTheme(): boolean {
    const attr = this.getAttribute('theme');
    const theme = attr === 'dark' || attr === 'light' ? attr : currentTheme();
    const changed = this.#frame!.dataset.theme !== theme;
    this.#frame!.dataset.theme = theme;
    return changed;
  }

  async refresh(): Promise<void> {
    if (!this.#chart || !this.#note) return;
    const token = ++this.#token;
    const results = appState.results;
    this.#lastResults = results;
    const id = this.view;
    const view: ViewDef | undefined = VIEWS.find((v) => v.id === id);
    const finish = (state: ChartState, note: string) => {
      this.dataset.state = state;
      this.#note!.textContent = note;
      this.#note!.hidden = note === '';
    };
    if (!view) {
      this.#clear();
      finish('error', `Unknown view "${id ?? ''}". Use one of: ${VIEWS.map((v) => v.id).join(', ')}.`);
      this.#emitError('INVALID_CONFIG', `unknown view "${id ?? ''}"`);
      return;
    }
    if (!results) {
      this.#clear();
      finish('empty', `${view.title}: no model is loaded yet.`);
      return;
    }
    const why = view.unavailableReason(results);
    if (why) {
      this.#clear();
      finish('unavailable', `${view.title}: ${why}`);
      return;
    }
    finish('drawing', '');
    try {
      const width = Math.max(320, (this.#chart.clientWidth || this.clientWidth || 640) - 24);
      const spec = view.build(results, { ...this.#options(results), width });
      const r = await renderView(this.#chart, spec);
      if (token !== this.#token) return r.finalize();
      this.#rendered?.finalize();
      this.#rendered = r;
      this.#drawnWidth = this.#chart.clientWidth;
      // Keyboard users can reach the chart and hear its text alternative.
      this.#chart.setAttribute('role', 'img');
      this.#chart.tabIndex = 0;
      this.#chart.setAttribute('aria-label', (spec as { description?: string }).description ?? view.description);
      finish('drawn', '');
      this.dispatchEvent(new CustomEvent('rendered', { detail: { view: view.id } }));
    } catch (err) {
      if (token !== this.#token) return;
      this.#clear();
      const message = err instanceof Error ? err.message : String(err);
      finish('error', `Could not draw “${view.title}”: ${message}`);
      this.#emitError('CHART_FAILED', message);
    }
  }

  async toSVG(): Promise<string | null> {
    return this.#rendered ? this.#rendered.view.toSVG() : null;
  }

  #options(r: ModelResults): ViewOptions {
    const o: ViewOptions = {};
    const region = this.getAttribute('region');
    const channel = this.getAttribute('channel');
    if (region !== null) {
      const i = r.regionNames.indexOf(region);
      if (i >= 0) o.region = i;
    }
    if (channel !== null) {
      const i = r.channelNames.indexOf(channel);
      if (i >= 0) o.channel = i;
    }
    return o;
  }

  #clear(): void {
    this.#rendered?.finalize();
    this.#rendered = null;
    this.#chart?.replaceChildren();
    for (const a of ['aria-label', 'role', 'tabindex']) this.#chart?.removeAttribute(a);
  }

  #emitError(code: string, message: string): void {
    const detail: MmmErrorDetail = { code, message };
    this.dispatchEvent(new CustomEvent('error', { detail }));
  }
}
