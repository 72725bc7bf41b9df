// The one number formatter of the app: every figure in text, tables, chart titles and chart axes
// goes through Intl.NumberFormat with the user's locale (navigator.language unless overridden), so
// "1.2B" in a sentence is "1.2B" on the axis too (charts/vega-format.ts hands these functions to
// Vega), and a German user reads "1,2 Mrd.". Missing or non-finite values print as "–".
//
// A display-unit setting (currency for spend, a name for the KPI) is saved with the mapping and the
// model bundle; formatMoney/formatKpi apply it.

/** What the money and the KPI are counted in, e.g. { currency: 'EUR', kpi: 'conversions' }. */
export interface DisplayUnits {
  /** ISO 4217 code ("EUR") or a common symbol ("€", "$", "£", "¥"); empty for "no currency". */
  currency?: string | null;
  /** Name of the KPI's unit ("conversions", "sales"); empty for the generic "KPI". */
  kpi?: string | null;
}

export const MISSING = '–';
const FALLBACK_LOCALE = 'en-US';

/** Symbols people type for a currency, mapped to the ISO code Intl needs. */
const SYMBOL_CODES: Record<string, string> = { '€': 'EUR', '$': 'USD', 'US$': 'USD', '£': 'GBP', '¥': 'JPY', '₹': 'INR', 'zł': 'PLN', 'R$': 'BRL' };

const cache = new Map<string, Intl.NumberFormat>();
const listeners = new Set<(locale: string) => void>();

/** A canonical locale tag Intl supports, or null ("xx-nonsense", "" → null). */
export function supportedLocale(tag: string | null | undefined): string | null {
  if (!tag || typeof tag !== 'string') return null;
  try {
    const [canonical] = Intl.NumberFormat.supportedLocalesOf([tag]);
    return canonical ?? null;
  } catch {
    return null; // RangeError: not a well-formed language tag
  }
}

/** The browser's preferred locale (navigator.language), else en-US. */
export function browserLocale(): string {
  const nav = typeof navigator !== 'undefined' ? navigator.language : undefined;
  return supportedLocale(nav) ?? FALLBACK_LOCALE;
}

let current = browserLocale();

/** The locale numbers are formatted in. */
export function numberLocale(): string {
  return current;
}

/**
 * Sets the locale for every formatter (null → the browser's). Throws a RangeError naming the tag
 * when Intl does not know it, so a typo in a `locale` attribute is reported, not ignored.
 */
export function setNumberLocale(tag: string | null | undefined): string {
  const next = tag === null || tag === undefined || tag === '' ? browserLocale() : supportedLocale(tag);
  if (!next) throw new RangeError(`unknown locale "${tag}": use a BCP 47 tag such as en-US, de-DE or fr-FR`);
  if (next !== current) {
    current = next;
    for (const fn of listeners) fn(current);
  }
  return current;
}

/** Called after the locale changes (charts re-register their number locale). */
export function onNumberLocale(fn: (locale: string) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function nf(options: Intl.NumberFormatOptions, locale = current): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Decimals that keep about three significant digits: 1234567 · 12.3 · 1.23 · 0.00123. */
function decimalsFor(a: number): number {
  if (a >= 1000 || a === 0) return 0;
  if (a >= 10) return 1;
  if (a >= 1) return 2;
  return Math.min(8, 2 - Math.floor(Math.log10(a)));
}

/** A number with grouping and sensible decimals: 1,234,567 · 12.3 · 0.00123 (en-US). */
export function formatNumber(v: number | null | undefined, locale?: string): string {
  if (!finite(v)) return MISSING;
  return nf({ maximumFractionDigits: decimalsFor(Math.abs(v)) }, locale).format(v);
}

/** Exactly `digits` decimals (R², coefficients): 0.873 · −0.050. */
export function formatFixed(v: number | null | undefined, digits: number, locale?: string): string {
  if (!finite(v)) return MISSING;
  return nf({ minimumFractionDigits: digits, maximumFractionDigits: digits }, locale).format(v);
}

/** A whole number with grouping (counts, rounded totals): 12,345. */
export function formatInteger(v: number | null | undefined, locale?: string): string {
  if (!finite(v)) return MISSING;
  return nf({ maximumFractionDigits: 0 }, locale).format(v);
}

/** Compact with the locale's suffixes, `digits` significant digits: 1.23M · 45.6K · 0.0123. */
export function formatCompact(v: number | null | undefined, digits = 3, locale?: string): string {
  if (!finite(v)) return MISSING;
  return nf({ notation: 'compact', compactDisplay: 'short', maximumSignificantDigits: digits }, locale).format(v);
}

/** A share (0.123 → 12.3 %, with the locale's percent style). */
export function formatPct(v: number | null | undefined, digits = 1, locale?: string): string {
  if (!finite(v)) return MISSING;
  return nf({ style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }, locale).format(v);
}

/** A signed share for changes: +4.2 % / −1.0 %. */
export function formatSignedPct(v: number | null | undefined, digits = 1, locale?: string): string {
  if (!finite(v)) return MISSING;
  return nf({ style: 'percent', signDisplay: 'exceptZero', minimumFractionDigits: digits, maximumFractionDigits: digits }, locale).format(v);
}

/** Tiny differences (numerical checks): 1.23E-7. */
export function formatScientific(v: number | null | undefined, locale?: string): string {
  if (!finite(v)) return MISSING;
  return v === 0 ? formatInteger(0, locale) : nf({ notation: 'scientific', maximumFractionDigits: 2 }, locale).format(v);
}

/** Axis tick labels: compact from 10,000 on (12.5K, 3.4M), plain below (0.25, 800, 2,500). */
export function formatAxis(v: number | null | undefined, locale?: string): string {
  if (!finite(v)) return MISSING;
  return Math.abs(v) >= 10_000 ? formatCompact(v, 3, locale) : formatNumber(v, locale);
}

// ---------------------------------------------------------------------------------------------
// Units

/** The ISO 4217 code for a currency setting ("€" → EUR, "usd" → USD), or null if it is not one. */
export function currencyCode(unit: string | null | undefined): string | null {
  const u = unit?.trim();
  if (!u) return null;
  const code = SYMBOL_CODES[u] ?? (/^[A-Za-z]{3}$/.test(u) ? u.toUpperCase() : null);
  if (!code) return null;
  try {
    nf({ style: 'currency', currency: code });
    return code;
  } catch {
    return null;
  }
}

/**
 * Checks a units setting; returns a message saying what is wrong, or null when it is usable.
 * A currency must be an ISO code or a known symbol; a KPI unit is free text up to 40 characters.
 */
export function unitsProblem(units: DisplayUnits): string | null {
  const c = units.currency?.trim();
  if (c && !currencyCode(c)) return `"${c}" is not a currency: use an ISO 4217 code such as EUR, USD or GBP, or one of the symbols ${Object.keys(SYMBOL_CODES).slice(0, 5).join(' ')}`;
  const k = units.kpi?.trim();
  if (k && k.length > 40) return `the KPI unit "${k.slice(0, 20)}…" is ${k.length} characters long: keep it to 40 (e.g. "conversions")`;
  return null;
}

/** Only the usable fields of a units setting (unknown currencies and blanks dropped). */
export function cleanUnits(units: DisplayUnits | null | undefined): DisplayUnits {
  const out: DisplayUnits = {};
  const code = currencyCode(units?.currency);
  if (code) out.currency = code;
  const kpi = units?.kpi?.trim();
  if (kpi && kpi.length <= 40) out.kpi = kpi;
  return out;
}

/** The currency's symbol in the current locale ("€", "$", "CHF"). */
export function currencySymbol(code: string, locale?: string): string {
  const part = nf({ style: 'currency', currency: code, currencyDisplay: 'narrowSymbol' }, locale).formatToParts(1).find((p) => p.type === 'currency');
  return part?.value ?? code;
}

/** Money in the setting's currency (€1,234 · 1.234 €), compact on request; plain without one. */
export function formatMoney(v: number | null | undefined, units: DisplayUnits | null | undefined, opts: { compact?: boolean; locale?: string } = {}): string {
  if (!finite(v)) return MISSING;
  const code = currencyCode(units?.currency);
  if (!code) return opts.compact ? formatCompact(v, 3, opts.locale) : formatNumber(v, opts.locale);
  const base: Intl.NumberFormatOptions = { style: 'currency', currency: code, currencyDisplay: 'narrowSymbol' };
  return opts.compact
    ? nf({ ...base, notation: 'compact', maximumSignificantDigits: 3 }, opts.locale).format(v)
    : nf({ ...base, maximumFractionDigits: Math.min(2, decimalsFor(Math.abs(v))), minimumFractionDigits: 0 }, opts.locale).format(v);
}

/** A KPI amount with its unit when one is set: "1.2K conversions"; just the number otherwise. */
export function formatKpi(v: number | null | undefined, units: DisplayUnits | null | undefined, opts: { compact?: boolean; locale?: string } = {}): string {
  const n = opts.compact ? formatCompact(v, 3, opts.locale) : formatNumber(v, opts.locale);
  const unit = units?.kpi?.trim();
  return unit && n !== MISSING ? `${n} ${unit}` : n;
}

// ---------------------------------------------------------------------------------------------
// For Vega's d3-format (tooltips): the current locale's separators

export interface D3NumberLocale {
  decimal: string;
  thousands: string;
  grouping: number[];
  currency: [string, string];
  minus: string;
}

/** The d3-format locale definition matching Intl's output for `locale` (used by Vega tooltips). */
export function d3NumberLocale(locale = current, units?: DisplayUnits | null): D3NumberLocale {
  const parts = nf({ useGrouping: true }, locale).formatToParts(-1234567.5);
  const get = (type: string, fallback: string) => parts.find((p) => p.type === type)?.value ?? fallback;
  const code = currencyCode(units?.currency);
  let currency: [string, string] = ['', ''];
  if (code) {
    const cp = nf({ style: 'currency', currency: code, currencyDisplay: 'narrowSymbol' }, locale).formatToParts(1);
    const i = cp.findIndex((p) => p.type === 'currency');
    const sym = cp[i]?.value ?? code;
    const spaced = (s: string | undefined) => (s !== undefined && /^\s+$/.test(s) ? ' ' : '');
    currency = i === 0 ? [sym + spaced(cp[1]?.value), ''] : ['', spaced(cp[i - 1]?.value) + sym];
  }
  // Group sizes from the integer parts (3 for most locales; Intl's en-IN gives 3 then 2).
  const ints = parts.filter((p) => p.type === 'integer').map((p) => p.value.length).reverse();
  const grouping = ints.length > 1 ? ints.slice(0, -1) : [3];
  return { decimal: get('decimal', '.'), thousands: get('group', ','), grouping, currency, minus: get('minusSign', '-') };
}
