// Vega draws axis labels and tooltips itself, so it is given the app's number formatter:
// - expression functions (registered with vega's expressionFunction, which the CSP-safe
//   vega-interpreter also resolves) that axis `labelExpr`s call: the same text as in sentences;
// - the d3-format locale (separators, minus sign, currency) for tooltip `format` strings.
import { expressionFunction, formatLocale } from 'vega';
import { d3NumberLocale, formatAxis, formatCompact, formatNumber, formatPct, numberLocale, onNumberLocale } from '../format/number';

expressionFunction('mmmAxis', (v: number) => formatAxis(v));
expressionFunction('mmmNumber', (v: number) => formatNumber(v));
expressionFunction('mmmCompact', (v: number) => formatCompact(v));
expressionFunction('mmmPct', (v: number, digits?: number) => formatPct(v, digits ?? 0));

/** Gives Vega's d3-format the current locale (called now and on every locale change). */
function applyLocale(locale: string): void {
  formatLocale(d3NumberLocale(locale));
}
applyLocale(numberLocale());
onNumberLocale(applyLocale);

/** Axis labels through the app's formatter: compact from 10,000 on, plain below. */
export const AXIS_NUM = { labelExpr: 'mmmAxis(datum.value)', labelOverlap: true } as const;
/** Axis labels for shares (0.25 → 25 %). */
export const AXIS_PCT = { labelExpr: 'mmmPct(datum.value)', labelOverlap: true } as const;
