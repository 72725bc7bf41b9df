// The app's one number formatter (web/src/format/number.ts) in three locales, and the same
// compact suffixes on a chart axis as in text (Vega calls the formatter through mmmAxis).
import * as vega from 'vega';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cleanUnits, currencyCode, currencySymbol, d3NumberLocale, formatAxis, formatCompact, formatFixed, formatKpi, formatMoney, formatNumber,
  formatPct, formatSignedPct, numberLocale, setNumberLocale, supportedLocale, unitsProblem,
} from '../../../web/src/format/number';
import { AXIS_NUM } from '../../../web/src/charts/vega-format';
import { compileSpec, runView } from '../charts/helpers';

// Intl separates some groups with no-break spaces (fr-FR: U+202F); compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

beforeEach(() => setNumberLocale('en-US'));
afterEach(() => setNumberLocale('en-US'));

describe('formatNumber / formatFixed / formatPct per locale', () => {
  it.each([
    ['en-US', '1,234,567', '12.3', '0.00123', '0.873', '12.3%'],
    ['de-DE', '1.234.567', '12,3', '0,00123', '0,873', '12,3 %'],
    ['fr-FR', '1 234 567', '12,3', '0,00123', '0,873', '12,3 %'],
  ])('%s', (locale, big, mid, small, r2, pct) => {
    setNumberLocale(locale);
    expect(numberLocale()).toBe(locale);
    expect(plain(formatNumber(1234567.4))).toBe(big);
    expect(formatNumber(12.34)).toBe(mid);
    expect(formatNumber(0.0012345)).toBe(small);
    expect(formatFixed(0.8731, 3)).toBe(r2);
    expect(plain(formatPct(0.1234))).toBe(pct);
  });

  it('negatives keep their sign in every format', () => {
    expect(formatNumber(-1234.5)).toBe('-1,235');
    expect(formatFixed(-0.05, 3)).toBe('-0.050');
    expect(formatCompact(-12_345)).toBe('-12.3K');
    expect(formatPct(-0.25)).toBe('-25.0%');
    expect(formatSignedPct(0.042)).toBe('+4.2%');
    expect(formatSignedPct(-0.01)).toBe('-1.0%');
    setNumberLocale('de-DE');
    expect(formatNumber(-1234.5)).toBe('-1.235');
  });

  it('NaN, ±Infinity, null and undefined print as a dash, never "NaN"', () => {
    for (const f of [formatNumber, (v: number) => formatFixed(v, 2), formatCompact, formatPct, formatAxis, (v: number) => formatMoney(v, { currency: 'EUR' })]) {
      expect(f(NaN)).toBe('–');
      expect(f(Infinity)).toBe('–');
      expect(f(null as unknown as number)).toBe('–');
      expect(f(undefined as unknown as number)).toBe('–');
    }
    expect(formatKpi(NaN, { kpi: 'conversions' })).toBe('–');
  });
});

describe('compact suffixes', () => {
  it.each([
    ['en-US', ['1.2B', '3.4M', '45.6K', '999', '0.0123']],
    ['de-DE', ['1,2 Mrd.', '3,4 Mio.', '45.600', '999', '0,0123']],
    ['fr-FR', ['1,2 Md', '3,4 M', '45,6 k', '999', '0,0123']],
  ])('%s', (locale, expected) => {
    setNumberLocale(locale);
    expect([1.2e9, 3.4e6, 45_600, 999, 0.0123].map((v) => plain(formatCompact(v)))).toEqual(expected);
  });

  it('axis labels are plain below 10,000 and compact above', () => {
    expect(formatAxis(2500)).toBe('2,500');
    expect(formatAxis(0.25)).toBe('0.25');
    expect(formatAxis(1.2e9)).toBe('1.2B');
  });

  it('regression: a Vega axis says "1.2B" like the text, not d3\'s SI "1.2G"', async () => {
    const spec = {
      data: { values: [{ x: 'a', y: 0 }, { x: 'b', y: 1.2e9 }] },
      mark: 'bar',
      encoding: { x: { field: 'x', type: 'nominal' }, y: { field: 'y', type: 'quantitative', axis: { ...AXIS_NUM, values: [0, 6e8, 1.2e9] } } },
    };
    const labels = async () => {
      const { vg } = compileSpec(spec as never);
      const view = await runView(vg);
      const svg = await view.toSVG();
      view.finalize();
      return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    };
    const en = await labels();
    expect(en).toContain(formatCompact(1.2e9));
    expect(en).toContain('1.2B');
    expect(en.join(' ')).not.toMatch(/G\b/);
    setNumberLocale('de-DE');
    expect((await labels()).map(plain)).toContain('1,2 Mrd.');
  });

  it('Vega tooltips (d3-format) get the locale\'s separators', () => {
    setNumberLocale('de-DE');
    // The default locale every new Vega View takes (its tooltips and `format` strings use it).
    // (vega exports defaultLocale; its typings do not declare it.)
    const { defaultLocale } = vega as unknown as { defaultLocale(): { format(spec: string): (v: number) => string } };
    const d3format = (v: number, f: string) => defaultLocale().format(f)(v);
    expect(d3format(1234.5, ',.2f')).toBe('1.234,50');
    expect(d3NumberLocale('fr-FR').decimal).toBe(',');
    setNumberLocale('en-US');
    expect(d3format(1234.5, ',.2f')).toBe('1,234.50');
  });
});

describe('locale setting', () => {
  it('accepts BCP 47 tags and rejects unknown ones with a clear message', () => {
    expect(supportedLocale('de-DE')).toBe('de-DE');
    expect(supportedLocale('not a locale')).toBeNull();
    expect(() => setNumberLocale('not a locale')).toThrow(/unknown locale "not a locale".*en-US, de-DE/);
    expect(numberLocale()).toBe('en-US');
    // null → the browser's (navigator.language in Node 21+, else en-US)
    expect(supportedLocale(setNumberLocale(null))).not.toBeNull();
  });
});

describe('currency and KPI units', () => {
  it('reads ISO codes and common symbols', () => {
    expect(currencyCode('€')).toBe('EUR');
    expect(currencyCode('usd')).toBe('USD');
    expect(currencyCode('GBP')).toBe('GBP');
    expect(currencyCode('conversions')).toBeNull();
    expect(currencyCode('')).toBeNull();
    expect(currencySymbol('EUR')).toBe('€');
  });

  it('formats money in the locale\'s currency style', () => {
    expect(formatMoney(1234.5, { currency: 'EUR' })).toBe('€1,235');
    expect(formatMoney(1234567, { currency: 'USD' }, { compact: true })).toBe('$1.23M');
    expect(formatMoney(-20, { currency: 'USD' })).toBe('-$20');
    expect(formatMoney(1.255, { currency: 'USD' })).toBe('$1.26');
    setNumberLocale('de-DE');
    expect(plain(formatMoney(1234.5, { currency: '€' }))).toBe('1.235 €');
    setNumberLocale('fr-FR');
    expect(plain(formatMoney(1234.5, { currency: 'EUR' }))).toBe('1 235 €');
    // No currency set: a plain number.
    setNumberLocale('en-US');
    expect(formatMoney(1234.5, {})).toBe('1,235');
  });

  it('appends the KPI unit', () => {
    expect(formatKpi(1234, { kpi: 'conversions' }, { compact: true })).toBe('1.23K conversions');
    expect(formatKpi(12, null)).toBe('12');
  });

  it('says what is wrong with a units setting, and keeps only usable fields', () => {
    expect(unitsProblem({ currency: 'EUR', kpi: 'sales' })).toBeNull();
    expect(unitsProblem({ currency: 'euros' })).toMatch(/"euros" is not a currency: use an ISO 4217 code/);
    expect(unitsProblem({ kpi: 'x'.repeat(41) })).toMatch(/41 characters long/);
    expect(cleanUnits({ currency: '€', kpi: '  sales ' })).toEqual({ currency: 'EUR', kpi: 'sales' });
    expect(cleanUnits({ currency: 'euros' })).toEqual({});
    expect(cleanUnits(null)).toEqual({});
  });
});
