// Budget: the interactive part of dashboard view 17. Budget, planning horizon, goal (fixed budget,
// target ROI, target marginal ROI), per-channel lower/upper bounds and locks; every edit re-runs
// the optimiser in the engine (debounced) on the fitted response curves, with a full-model check,
// and redraws the "current vs optimal" table and the budget chart. Errors (e.g. bounds that cannot
// hold the budget) appear next to the inputs as a readable message.
import { budgetSpec } from '../../charts/budget';
import { renderView, type RenderedView } from '../../charts/render';
import { formatCompact, formatMoney, formatNumber, formatSignedPct, onNumberLocale } from '../../format/number';
import type { BudgetBoundInput, BudgetOptions } from '../../engine/core-types';
import { EngineError } from '../../engine/errors';
import type { BudgetPlan, ModelResults } from '../../engine/results';
import { clear, h } from '../dom';
import { appHost } from '../host';
import { termLinks } from '../glossary';
import { appState } from '../state';
import { onThemeChange } from '../theme-mode';
import { unitViewOptions } from './units-settings';

/** Delay between the last edit and the optimiser run. */
const DEBOUNCE_MS = 300;

interface RowUi {
  channel: string;
  lower: HTMLInputElement;
  upper: HTMLInputElement;
  lock: HTMLInputElement;
  cells: Record<'current' | 'optimal' | 'change' | 'kpiCurrent' | 'kpiOptimal' | 'mroi', HTMLTableCellElement>;
  tr: HTMLTableRowElement;
}

/** Spend in the units setting's currency (a plain rounded number without one). */
const money = (v: number) => formatMoney(Math.round(v), appState.units);
/** Changes arrive in percent (12.5 → +12.5 %). */
const signedPct = (v: number) => formatSignedPct(v / 100);

export function mountBudgetPanel(section: HTMLElement): { onShow(): void } {
  const empty = h('div', { class: 'mmm-panel', id: 'budget-empty' }, h('h2', {}, 'Budget optimizer'),
    h('p', { id: 'budget-empty-text' }, 'Train a model first: the budget optimizer works on the fitted model’s response curves.'));

  const budget = h('input', { type: 'number', id: 'budget-total', min: 0, step: 'any', 'aria-describedby': 'budget-total-help budget-error' });
  const budgetHelp = h('small', { id: 'budget-total-help' });
  const weeks = h('input', { type: 'number', id: 'budget-weeks', min: 1, step: 1, 'aria-describedby': 'budget-weeks-help budget-error' });
  const weeksHelp = h('small', { id: 'budget-weeks-help' }, 'The plan follows the spend pattern of the data’s last weeks.');
  const mode = h('select', { id: 'budget-mode', 'aria-describedby': 'budget-mode-help budget-error' },
    h('option', { value: 'fixed' }, 'Best use of a fixed budget'),
    h('option', { value: 'target-roi' }, 'Largest budget at a target ROI'),
    h('option', { value: 'target-mroi' }, 'Spend until the marginal ROI falls to a target'));
  const modeHelp = h('small', { id: 'budget-mode-help' }, 'What the optimizer maximises.');
  const target = h('input', { type: 'number', id: 'budget-target', min: 0, step: 'any', disabled: true, 'aria-describedby': 'budget-target-help budget-error' });
  const targetHelp = h('small', { id: 'budget-target-help' }, 'KPI per unit of spend (for the target goals).');
  const pct = h('input', { type: 'number', id: 'budget-bound-pct', min: 0, max: 1000, step: 5, value: 30, 'aria-describedby': 'budget-bound-pct-help budget-error' });
  const pctHelp = h('small', { id: 'budget-bound-pct-help' }, 'Default bounds: current spend ± this percentage (empty bound cells).');
  const field = (input: HTMLElement, label: string, help: HTMLElement) =>
    h('div', { class: 'mmm-field' }, h('label', { for: input.id }, label), input, help);
  const form = h('div', { class: 'mmm-form-grid', id: 'budget-form' },
    field(budget, 'Budget over the horizon', budgetHelp),
    field(weeks, 'Horizon (weeks)', weeksHelp),
    field(mode, 'Goal', modeHelp),
    field(target, 'Target', targetHelp),
    field(pct, 'Default bounds (± %)', pctHelp));
  const error = h('div', { id: 'budget-error', 'aria-live': 'assertive' });
  const status = h('p', { id: 'budget-status', class: 'mmm-muted', 'aria-live': 'polite' });
  const caption = h('caption', {});
  const tbody = h('tbody', {});
  const tfoot = h('tfoot', {});
  const table = h('table', { class: 'mmm-table', id: 'budget-table' }, caption,
    h('thead', {}, h('tr', {}, ...['Channel', 'Current spend', 'Lower bound', 'Upper bound', 'Lock', 'Optimal spend', 'Change', 'KPI now', 'KPI with plan', 'Marginal ROI']
      .map((t) => h('th', { scope: 'col' }, t)))),
    tbody, tfoot);
  const resetBtn = h('button', { class: 'mmm-button', id: 'budget-reset', type: 'button' }, 'Reset to defaults');
  const summary = h('p', { id: 'budget-summary', 'aria-live': 'polite' });
  const fixedNote = h('p', { id: 'budget-fixed', class: 'mmm-muted' });
  const chart = h('div', { id: 'budget-chart', class: 'mmm-chart', role: 'img', 'aria-label': 'Current and optimal spend per channel' });
  const layout = h('div', { id: 'budget-layout', hidden: true },
    h('div', { class: 'mmm-panel' },
      h('h2', {}, 'Budget optimizer'),
      h('p', { class: 'mmm-muted' }, 'Allocates the budget over the channels with spend so the predicted incremental KPI is largest, on each channel’s response curve from the fitted model, within the bounds you set. The plan is then checked by running the full model on the last weeks’ spend pattern, scaled per channel.'),
      form, error,
      h('div', { class: 'mmm-scroll-x' }, table),
      h('p', { id: 'budget-terms', class: 'mmm-muted' }, termLinks('marginal ROI, ROI, response curves with saturation')),
      h('div', { class: 'mmm-actions mmm-actions-start' }, resetBtn),
      status, summary, fixedNote),
    h('div', { class: 'mmm-panel' }, h('h2', {}, 'Current vs optimal'), chart));
  section.append(empty, layout);

  let results: ModelResults | null = null;
  let rows: RowUi[] = [];
  let plan: BudgetPlan | null = null;
  let budgetEdited = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let token = 0;
  let rendered: RenderedView | null = null;
  let drawToken = 0;

  const showError = (title: string, message: string) => {
    clear(error);
    error.append(h('div', { class: 'mmm-alert mmm-alert-error', role: 'alert', id: 'budget-error-message' }, h('strong', {}, title), h('div', {}, message)));
    for (const el of [budget, weeks, target, pct, ...rows.flatMap((r) => [r.lower, r.upper])]) el.setAttribute('aria-invalid', 'true');
    // The table keeps the last feasible plan, faded, so the numbers are not mistaken for the new one.
    table.dataset.stale = 'true';
    table.style.opacity = '0.55';
  };
  const clearError = () => {
    clear(error);
    for (const el of [budget, weeks, target, pct, ...rows.flatMap((r) => [r.lower, r.upper])]) el.removeAttribute('aria-invalid');
    delete table.dataset.stale;
    table.style.opacity = '';
  };

  const draw = async (p: BudgetPlan) => {
    if (!results) return;
    const mine = ++drawToken;
    try {
      const spec = budgetSpec({ ...results, budget: p }, { ...unitViewOptions(), width: Math.max(360, chart.clientWidth - 40) });
      const r = await renderView(chart, spec);
      if (mine !== drawToken) return r.finalize();
      rendered?.finalize();
      rendered = r;
      chart.dataset.state = 'drawn';
      chart.dataset.budget = String(p.budget);
    } catch (err) {
      if (mine !== drawToken) return;
      chart.dataset.state = 'error';
      showError('Could not draw the budget chart', err instanceof Error ? err.message : String(err));
    }
  };

  const buildRows = (p: BudgetPlan) => {
    clear(tbody);
    rows = p.rows.map((r, i) => {
      const label = (what: string) => `${what} for ${r.channel} (spend over the horizon)`;
      const lower = h('input', { type: 'number', id: `budget-lower-${i}`, min: 0, step: 'any', 'aria-label': label('Lower bound'), 'aria-describedby': 'budget-error', 'data-channel': r.channel, class: 'mmm-input-number' });
      const upper = h('input', { type: 'number', id: `budget-upper-${i}`, min: 0, step: 'any', 'aria-label': label('Upper bound'), 'aria-describedby': 'budget-error', 'data-channel': r.channel, class: 'mmm-input-number' });
      const lock = h('input', { type: 'checkbox', id: `budget-lock-${i}`, 'aria-label': `Keep ${r.channel} at its current spend`, 'data-channel': r.channel });
      const td = () => h('td', {});
      const cells = { current: td(), optimal: td(), change: td(), kpiCurrent: td(), kpiOptimal: td(), mroi: td() };
      const tr = h('tr', { 'data-channel': r.channel },
        h('th', { scope: 'row' }, r.channel), cells.current, h('td', {}, lower), h('td', {}, upper), h('td', {}, lock),
        cells.optimal, cells.change, cells.kpiCurrent, cells.kpiOptimal, cells.mroi);
      for (const el of [lower, upper]) el.addEventListener('input', schedule);
      lock.addEventListener('change', () => {
        lower.disabled = upper.disabled = lock.checked;
        schedule();
      });
      tbody.append(tr);
      return { channel: r.channel, lower, upper, lock, cells, tr };
    });
  };

  const show = (p: BudgetPlan) => {
    plan = p;
    if (rows.length !== p.rows.length || rows.some((r, i) => r.channel !== p.rows[i].channel)) buildRows(p);
    p.rows.forEach((r, i) => {
      const ui = rows[i];
      ui.cells.current.textContent = money(r.currentSpend);
      ui.cells.optimal.textContent = money(r.optimalSpend);
      ui.cells.change.textContent = r.currentSpend > 0 ? signedPct(r.changePct) : r.optimalSpend > 0 ? 'new' : '–';
      ui.cells.kpiCurrent.textContent = formatCompact(r.currentKpi);
      ui.cells.kpiOptimal.textContent = formatCompact(r.predictedKpi);
      ui.cells.mroi.textContent = formatNumber(r.marginalRoi);
      // Empty bound cells show the bound in force as their placeholder.
      ui.lower.placeholder = money(r.lower);
      ui.upper.placeholder = money(r.upper);
      ui.tr.dataset.optimal = String(r.optimalSpend);
      ui.tr.dataset.atBound = r.atLower ? 'lower' : r.atUpper ? 'upper' : '';
    });
    const cur = p.rows.reduce((a, r) => a + r.currentSpend, 0);
    clear(tfoot);
    tfoot.append(h('tr', {}, h('th', { scope: 'row' }, 'Total'), h('td', {}, money(cur)), h('td', {}), h('td', {}), h('td', {}),
      h('td', {}, money(p.budget)), h('td', {}, cur > 0 ? signedPct((100 * (p.budget - cur)) / cur) : '–'),
      h('td', {}, formatCompact(p.currentKpi)), h('td', {}, formatCompact(p.optimalKpi)), h('td', {})));
    caption.textContent = `Spend over ${p.weeks} week${p.weeks === 1 ? '' : 's'}: current (the data’s last ${p.weeks} weeks) and optimal. Empty bound cells use the defaults shown.`;
    if (!budgetEdited || p.mode !== 'fixed') budget.value = String(Math.round(p.budget));
    budgetHelp.textContent = `Current spend over the horizon: ${money(p.currentBudget ?? cur)}.`;
    weeks.value = String(p.weeks);
    summary.textContent =
      `Predicted incremental KPI over ${p.weeks} weeks on the fitted curves: ${formatCompact(p.currentKpi)} → ${formatCompact(p.optimalKpi)} (${signedPct(p.upliftPct)}). ` +
      `Full-model check: ${formatCompact(p.simulatedCurrentKpi)} → ${formatCompact(p.simulatedOptimalKpi)} (${signedPct(p.simulatedUpliftPct)}).` +
      (p.mode === 'target-roi' && p.targetMet === false ? ' No budget reaches the target ROI; this is the best ROI plan within the bounds.' : '');
    fixedNote.textContent = p.fixedChannels?.length ? `Kept as they are (no spend known, or no response curve): ${p.fixedChannels.join(', ')}.` : '';
    table.dataset.budget = String(p.budget);
    if (results) results.budget = p; // the Results tab's budget view shows the plan built here
    void draw(p);
  };

  const request = (): BudgetOptions => {
    const m = mode.value as BudgetOptions['mode'];
    const num = (el: HTMLInputElement) => (el.value.trim() === '' ? undefined : Number(el.value));
    const bounds: BudgetBoundInput[] = [];
    for (const r of rows) {
      const lower = num(r.lower);
      const upper = num(r.upper);
      if (r.lock.checked || lower !== undefined || upper !== undefined) bounds.push({ channel: r.channel, lower: r.lock.checked ? null : lower ?? null, upper: r.lock.checked ? null : upper ?? null, locked: r.lock.checked });
    }
    const p = num(pct);
    return {
      mode: m,
      budget: m === 'fixed' && budgetEdited ? num(budget) : undefined,
      target: m === 'fixed' ? undefined : num(target),
      weeks: num(weeks),
      boundPct: p === undefined ? undefined : p / 100,
      bounds,
    };
  };

  const validate = (o: BudgetOptions): string => {
    const W = results?.shape.weeks ?? 0;
    if (o.weeks !== undefined && (!Number.isInteger(o.weeks) || o.weeks < 1 || o.weeks > W)) return `The horizon must be a whole number of weeks from 1 to ${W}.`;
    if (o.budget !== undefined && !(o.budget >= 0)) return 'The budget must be a number of 0 or more.';
    if (o.mode !== 'fixed' && !(o.target !== undefined && o.target > 0)) return 'Enter a target above 0 for this goal.';
    if (o.boundPct !== undefined && !(o.boundPct >= 0)) return 'The default bounds must be a percentage of 0 or more.';
    for (const b of o.bounds ?? []) {
      for (const v of [b.lower, b.upper]) if (v !== null && v !== undefined && !(v >= 0)) return `Bounds for ${b.channel} must be numbers of 0 or more.`;
      if (b.lower != null && b.upper != null && b.lower > b.upper) return `${b.channel}: the lower bound (${money(b.lower)}) is above the upper bound (${money(b.upper)}).`;
    }
    return '';
  };

  const run = async () => {
    timer = null;
    const client = appState.client;
    const sessionId = appState.sessionId;
    const forResults = results;
    if (!client || sessionId === null || !forResults) return;
    const options = request();
    const problem = validate(options);
    if (problem) {
      showError('Check the inputs', problem);
      status.textContent = '';
      return;
    }
    const mine = ++token;
    const t0 = performance.now();
    status.textContent = 'Optimizing…';
    section.dataset.state = 'busy';
    try {
      const p = await client.call('optimizeBudget', { sessionId, options });
      if (mine !== token || forResults !== results) return;
      clearError();
      status.textContent = `Optimized and checked with the full model in ${Math.round(performance.now() - t0)} ms.`;
      show(p);
    } catch (err) {
      if (mine !== token) return;
      const e = err instanceof EngineError ? err : new EngineError('INTERNAL', String(err));
      status.textContent = '';
      showError(e.code === 'INVALID_CONFIG' ? 'This plan is not possible' : `The optimizer failed (${e.code})`, readable(e.message));
    } finally {
      if (mine === token) section.dataset.state = 'idle';
    }
  };

  function schedule() {
    if (timer) clearTimeout(timer);
    section.dataset.state = 'pending';
    timer = setTimeout(() => void run(), DEBOUNCE_MS);
  }

  budget.addEventListener('input', () => {
    budgetEdited = budget.value.trim() !== '';
    schedule();
  });
  for (const el of [weeks, target, pct]) el.addEventListener('input', schedule);
  mode.addEventListener('change', () => {
    const fixed = mode.value === 'fixed';
    target.disabled = fixed;
    budget.disabled = !fixed;
    if (!fixed && target.value === '' && plan) {
      const m = plan.rows.map((r) => r.marginalRoi).filter((x) => Number.isFinite(x) && x > 0);
      const roi = plan.optimalKpi / Math.max(1e-12, plan.budget);
      target.value = (mode.value === 'target-roi' ? roi : m.length ? Math.min(...m) : 1).toPrecision(3);
    }
    schedule();
  });
  resetBtn.addEventListener('click', () => {
    for (const r of rows) {
      r.lower.value = r.upper.value = '';
      r.lock.checked = false;
      r.lower.disabled = r.upper.disabled = false;
    }
    budgetEdited = false;
    budget.value = '';
    pct.value = '30';
    mode.value = 'fixed';
    target.disabled = true;
    budget.disabled = false;
    weeks.value = results?.budget ? String(results.budget.weeks) : '';
    schedule();
  });

  const build = () => {
    results = appState.results;
    token++;
    if (timer) clearTimeout(timer);
    timer = null;
    rendered?.finalize();
    rendered = null;
    clear(chart);
    clearError();
    rows = [];
    clear(tbody);
    plan = null;
    budgetEdited = false;
    const p = results?.budget ?? null;
    empty.hidden = !!p;
    layout.hidden = !p;
    if (!results) {
      empty.querySelector('#budget-empty-text')!.textContent = 'Train a model first: the budget optimizer works on the fitted model’s response curves.';
      return;
    }
    if (!p) {
      empty.querySelector('#budget-empty-text')!.textContent =
        `No budget plan for this model: ${results.analysis?.budgetMessage ?? results.analysis?.error ?? 'the optimizer needs channels with spend'}.`;
      return;
    }
    weeks.max = String(results.shape.weeks);
    weeks.value = String(p.weeks);
    mode.value = p.mode;
    pct.value = '30';
    target.value = '';
    target.disabled = true;
    budget.disabled = false;
    status.textContent = '';
    show(p);
  };

  let last: ModelResults | null = null;
  let lastUnits = JSON.stringify(appState.units);
  appState.subscribe(() => {
    const units = JSON.stringify(appState.units);
    if (appState.results !== last) {
      last = appState.results;
      lastUnits = units;
      build();
    } else if (units !== lastUnits && plan) {
      // New currency or KPI unit: the same plan, written in the new units.
      lastUnits = units;
      show(plan);
    }
  });
  // Colours and number style follow the theme and the locale.
  appHost().onUnmount(onThemeChange(() => plan && void draw(plan)));
  appHost().onUnmount(onNumberLocale(() => plan && show(plan)));
  build();
  let drawnWidth = -1;
  return {
    onShow: () => {
      // The chart drawn while the tab was hidden had no width: draw it again at the real size.
      if (plan && chart.clientWidth !== drawnWidth) {
        drawnWidth = chart.clientWidth;
        void draw(plan);
      }
    },
  };
}

/** The core's messages are precise; drop its internal prefixes for the UI. */
function readable(message: string): string {
  const m = message.replace(/^(optimize_budget|budget): /, '');
  return m.charAt(0).toUpperCase() + m.slice(1);
}
