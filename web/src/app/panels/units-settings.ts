// Units of the figures: the currency spend is counted in and the KPI's unit. Saved with the
// mapping (so in the mapping file and the model bundle); the dashboards, the budget table and the
// text use them through format/number.ts.
import { currencyCode, currencySymbol, unitsProblem, type DisplayUnits } from '../../format/number';
import type { ViewOptions } from '../../charts';
import { h } from '../dom';
import { appState } from '../state';

/** The chart options for the current units: axis/title words for the KPI and for money. */
export function unitViewOptions(units: DisplayUnits = appState.units): Pick<ViewOptions, 'kpiLabel' | 'spendLabel'> {
  const code = currencyCode(units.currency);
  return { kpiLabel: units.kpi || undefined, spendLabel: code ? currencySymbol(code) : undefined };
}

/** A small form (currency, KPI unit) bound to appState.units; errors say what to type. */
export function renderUnitsSettings(): HTMLElement {
  const currency = h('input', { type: 'text', id: 'units-currency', autocomplete: 'off', size: 8, placeholder: 'e.g. EUR or €', 'aria-describedby': 'units-help units-error' });
  const kpi = h('input', { type: 'text', id: 'units-kpi', autocomplete: 'off', size: 14, maxlength: 40, placeholder: 'e.g. conversions', 'aria-describedby': 'units-help units-error' });
  const error = h('p', { id: 'units-error', class: 'mmm-field-error', role: 'alert' });
  const fill = () => {
    const u = appState.units;
    if (currency !== currency.ownerDocument.activeElement) currency.value = u.currency ?? '';
    if (kpi !== kpi.ownerDocument.activeElement) kpi.value = u.kpi ?? '';
  };
  const apply = () => {
    const next: DisplayUnits = { currency: currency.value.trim(), kpi: kpi.value.trim() };
    const problem = unitsProblem(next);
    error.textContent = problem ? `${problem[0].toUpperCase()}${problem.slice(1)}.` : '';
    currency.setAttribute('aria-invalid', String(!!problem && !!next.currency && !currencyCode(next.currency)));
    if (!problem) appState.setUnits(next);
  };
  currency.addEventListener('change', apply);
  kpi.addEventListener('change', apply);
  appState.subscribe(fill);
  fill();
  return h('div', { class: 'mmm-units', id: 'units-settings' },
    h('div', { class: 'mmm-field mmm-inline' }, h('label', { for: currency.id }, 'Currency'), currency),
    h('div', { class: 'mmm-field mmm-inline' }, h('label', { for: kpi.id }, 'KPI unit'), kpi),
    h('small', { id: 'units-help', class: 'mmm-muted' }, 'Used in the figures and saved with the mapping and the model.'),
    error);
}
