// Results: every dashboard view of the fitted model, grouped, with its options (region, channel,
// weeks, …), a text alternative, links to the glossary, the units of the figures, and PNG/SVG/CSV
// export. Unavailable views say why in visible text. Views redraw when the units or the theme change.
import { VIEWS, type OptionDef, type ViewDef, type ViewGroup, type ViewOptions } from '../../charts';
import { renderView, saveCsv, savePng, saveSvg, type RenderedView } from '../../charts/render';
import type { ModelResults } from '../../engine/results';
import { onNumberLocale } from '../../format/number';
import { alertBox, clear, h } from '../dom';
import { appHost } from '../host';
import { termLinks } from '../glossary';
import { renderRegionsTable } from './regions-table';
import { renderCalibrationShiftNotice, renderExperimentsWarning, renderVerdictBox } from './verdict-box';
import { appState } from '../state';
import { onThemeChange } from '../theme-mode';
import { renderUnitsSettings, unitViewOptions } from './units-settings';

const GROUP_LABELS: Record<ViewGroup, string> = {
  fit: 'Model fit',
  contributions: 'Contributions',
  channels: 'Channels',
  dag: 'Channel interactions',
  response: 'Response & ROI',
  budget: 'Budget',
  regions: 'Regions',
  diagnostics: 'Diagnostics',
  demo: 'Known truth',
};

/** Options shared across views (a region chosen in one view carries to the next). */
const shared: ViewOptions = {};

export function mountResultsPanel(section: HTMLElement): { onShow(): void } {
  const empty = h('div', { class: 'mmm-panel', id: 'results-empty' }, h('h2', {}, 'Results'), h('p', {}, 'Train a model first: the dashboards appear here when training finishes.'));
  const nav = h('nav', { class: 'mmm-viewnav', 'aria-label': 'Dashboard views', id: 'view-nav' });
  const title = h('h2', { id: 'view-title' });
  const description = h('p', { id: 'view-description', class: 'mmm-muted' });
  // The Model quality view's verdict on the forecasts, as text above the chart (and above the
  // experiments view, the warning when the calibrated model disagrees with a test).
  const verdict = h('div', { id: 'view-verdict' });
  const controls = h('div', { class: 'mmm-view-controls', id: 'view-controls' });
  const chart = h('div', { class: 'mmm-chart mmm-chart-large', id: 'view-chart', tabindex: 0 });
  const messages = h('div', { id: 'view-messages', 'aria-live': 'polite' });
  const exportBar = h('div', { class: 'mmm-actions mmm-actions-start', role: 'toolbar', 'aria-label': 'Export this view' });
  const extra = h('div', { id: 'view-extra' });
  const terms = h('p', { id: 'view-terms', class: 'mmm-muted' });
  const viewPane = h('div', { class: 'mmm-panel mmm-viewpane' }, renderUnitsSettings(), title, description, verdict, terms, controls, chart, exportBar, messages, extra);
  const layout = h('div', { class: 'mmm-results', hidden: true, id: 'results-layout' }, nav, viewPane);
  section.append(empty, layout);

  let current: ViewDef | null = null;
  let rendered: RenderedView | null = null;
  let results: ModelResults | null = null;
  let renderToken = 0;

  const draw = async () => {
    if (!current || !results) return;
    const token = ++renderToken;
    clear(messages);
    title.textContent = current.title;
    description.textContent = current.description;
    clear(verdict);
    if (current.id === 'quality') verdict.append(renderVerdictBox(results));
    const notice = current.id === 'experiments' ? renderExperimentsWarning(results) : current.id === 'calibration-shift' ? renderCalibrationShiftNotice(results) : null;
    if (notice) verdict.append(notice);
    chart.dataset.view = current.id;
    chart.dataset.state = 'drawing';
    try {
      const spec = current.build(results, { ...shared, ...unitViewOptions(), width: Math.max(320, chart.clientWidth - 40) });
      rendered?.finalize();
      rendered = null;
      const r = await renderView(chart, spec);
      if (token !== renderToken) return r.finalize();
      rendered = r;
      chart.dataset.state = 'drawn';
      const alt = (spec as { description?: string }).description ?? current.description;
      chart.setAttribute('aria-label', alt);
      clear(terms);
      const links = termLinks(`${current.title} ${current.description} ${alt}`);
      if (links) terms.append(links);
    } catch (err) {
      if (token !== renderToken) return;
      clear(chart);
      chart.dataset.state = 'error';
      messages.append(alertBox('error', `Could not draw “${current.title}”`, err instanceof Error ? err.message : String(err)));
      appState.recordError('CHART_FAILED', `${current.id}: ${String(err)}`);
    }
  };

  const select = (view: ViewDef) => {
    current = view;
    clear(extra);
    if (view.id === 'regions' && results) {
      // Drill-down: a region chosen here becomes the region of the views that take one.
      extra.append(renderRegionsTable(results, (region, target) => {
        shared.region = region;
        const next = VIEWS.find((v) => v.id === target.viewId);
        if (next && results && next.available(results)) select(next);
      }));
    }
    for (const b of nav.querySelectorAll('button')) b.setAttribute('aria-current', String(b.dataset.view === view.id));
    renderControls(controls, view.options ?? [], results!, () => void draw());
    void draw();
  };

  exportBar.append(
    h('button', { class: 'mmm-button', id: 'export-png', onclick: () => rendered && void savePng(rendered) }, 'Save PNG'),
    h('button', { class: 'mmm-button', id: 'export-svg', onclick: () => rendered && void saveSvg(rendered) }, 'Save SVG'),
    h('button', { class: 'mmm-button', id: 'export-csv', onclick: () => rendered && saveCsv(rendered.spec) }, 'Save data (CSV)'),
  );

  const build = () => {
    results = appState.results;
    empty.hidden = !!results;
    layout.hidden = !results;
    if (!results) {
      rendered?.finalize();
      rendered = null;
      current = null;
      return;
    }
    clear(nav);
    // The view pane's title is an h2; the menu gets one too, so its group headings (h3) nest.
    nav.append(h('h2', { class: 'mmm-visually-hidden' }, 'Dashboard views'));
    const groups = new Map<ViewGroup, ViewDef[]>();
    for (const v of VIEWS) groups.set(v.group, [...(groups.get(v.group) ?? []), v]);
    for (const [group, views] of groups) {
      nav.append(h('h3', {}, GROUP_LABELS[group]));
      for (const v of views) {
        const why = v.unavailableReason(results);
        const whyId = `view-why-${v.id}`;
        nav.append(h('button', {
          class: 'mmm-viewlink', 'data-view': v.id, disabled: why !== '', title: why || v.description,
          'aria-describedby': why ? whyId : null,
          onclick: () => select(v),
        }, v.title));
        // The reason is text on the page, not only a tooltip (touch and keyboard users see it too).
        if (why) nav.append(h('small', { class: 'mmm-viewlink-why', id: whyId }, why));
      }
    }
    const keep = current && current.available(results) ? current : VIEWS.find((v) => v.available(results!))!;
    select(keep);
  };

  let last: ModelResults | null = null;
  let lastUnits = JSON.stringify(appState.units);
  appState.subscribe(() => {
    const units = JSON.stringify(appState.units);
    if (appState.results !== last) {
      last = appState.results;
      lastUnits = units;
      build();
    } else if (units !== lastUnits) {
      lastUnits = units;
      void draw();
    }
  });
  // Page-wide listeners: dropped when an <mmm-studio> is removed.
  appHost().onUnmount(onThemeChange(() => void draw()));
  appHost().onUnmount(onNumberLocale(() => void draw()));
  // Charts drawn while the tab was hidden had no width: draw again at the real size.
  let drawnWidth = -1;
  return {
    onShow: () => {
      if (current && chart.clientWidth !== drawnWidth) {
        drawnWidth = chart.clientWidth;
        void draw();
      }
    },
  };
}

function renderControls(container: HTMLElement, options: OptionDef[], r: ModelResults, changed: () => void): void {
  clear(container);
  for (const o of options) {
    const id = `view-opt-${String(o.key)}`;
    let input: HTMLSelectElement | HTMLInputElement;
    const setShared = (v: unknown) => {
      (shared as Record<string, unknown>)[o.key] = v;
      changed();
    };
    if (o.control === 'region' || o.control === 'channel') {
      const names = o.control === 'region' ? r.regionNames : r.channelNames;
      const sel = h('select', { id });
      if (o.control === 'region') sel.append(h('option', { value: '' }, `All ${r.shape.regions} regions`));
      names.forEach((n, i) => sel.append(h('option', { value: String(i) }, n)));
      const cur = shared[o.key];
      sel.value = cur === null || cur === undefined ? (o.control === 'region' ? '' : '0') : String(cur);
      sel.addEventListener('change', () => setShared(sel.value === '' ? null : Number(sel.value)));
      input = sel;
    } else if (o.control === 'range') {
      const from = h('select', { id: `${id}-from`, 'aria-label': 'From week' });
      const to = h('select', { id: `${id}-to`, 'aria-label': 'To week' });
      r.dates.forEach((d, i) => {
        from.append(h('option', { value: String(i) }, d));
        to.append(h('option', { value: String(i + 1) }, d));
      });
      const cur = shared.range ?? { from: 0, to: r.shape.weeks };
      from.value = String(cur.from);
      to.value = String(cur.to);
      const upd = () => {
        const a = Number(from.value);
        const b = Number(to.value);
        setShared(b > a ? { from: a, to: b } : { from: b - 1, to: a + 1 });
      };
      from.addEventListener('change', upd);
      to.addEventListener('change', upd);
      container.append(h('div', { class: 'mmm-field mmm-inline' }, h('label', { for: from.id }, o.label), h('span', {}, from, ' to ', to)));
      continue;
    } else if (o.control === 'select') {
      const sel = h('select', { id });
      for (const c of o.choices ?? []) sel.append(h('option', { value: c.value }, c.label));
      sel.value = String(shared[o.key] ?? o.default ?? '');
      sel.addEventListener('change', () => setShared(sel.value));
      input = sel;
    } else if (o.control === 'boolean') {
      const cb = h('input', { type: 'checkbox', id });
      cb.checked = Boolean(shared[o.key] ?? o.default);
      cb.addEventListener('change', () => setShared(cb.checked));
      input = cb;
    } else {
      const num = h('input', { type: 'number', id, min: o.min, max: o.max, step: o.step });
      num.value = String(shared[o.key] ?? o.default ?? '');
      num.addEventListener('change', () => setShared(num.value === '' ? undefined : Number(num.value)));
      input = num;
    }
    container.append(h('div', { class: 'mmm-field mmm-inline' }, h('label', { for: id }, o.label), input));
  }
}
