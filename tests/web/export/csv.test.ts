// The one CSV writer (web/src/export/csv.ts) and every CSV producer that goes through it: quoting,
// formula escaping, BOM, CRLF line ends, numbers that read back exactly, and the same columns as
// before the producers were moved onto it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { specCsv } from '../../../web/src/charts/render';
import { VIEWS } from '../../../web/src/charts/index';
import type { DemoData } from '../../../web/src/engine/core-types';
import { CSV_BOM, FORMULA_LIKE, toCsv, writeCsv } from '../../../web/src/export/csv';
import { demoToCsv } from '../../../web/src/export/demo-csv';
import { budgetCsv, channelsCsv, contributionsCsv, regionsCsv, responseCurvesCsv } from '../../../web/src/export/results-csv';
import { regionTable } from '../../../web/src/charts/data';
import { makeResults } from '../charts/fixture';

/** The lines of a CSV the writer produced, after checking its framing: BOM, CRLF only, final CRLF. */
function lines(csv: string, bom = true): string[] {
  expect(csv.startsWith(CSV_BOM)).toBe(bom);
  const body = bom ? csv.slice(1) : csv;
  expect(body.endsWith('\r\n')).toBe(true);
  expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // no bare LF or CR outside quoted cells (none here)
  return body.slice(0, -2).split('\r\n');
}

/** Parses a writer's output back (PapaParse, header row), dropping the BOM. */
const parse = (csv: string) => Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });

describe('writeCsv / toCsv', () => {
  it('quotes separators, quotes and line breaks (RFC 4180)', () => {
    const csv = toCsv([
      { name: 'a,b', v: 1.5, ok: true },
      { name: 'say "hi"', v: null, extra: 'x' },
      { name: 'line\nbreak', v: NaN },
      { name: ' padded ', v: Infinity },
    ]);
    expect(csv).toBe(`${CSV_BOM}name,v,ok,extra\r\n"a,b",1.5,true,\r\n"say ""hi""",,,x\r\n"line\nbreak",,,\r\n" padded ",,,\r\n`);
    expect(parse(csv).data).toEqual([
      { name: 'a,b', v: '1.5', ok: 'true', extra: '' },
      { name: 'say "hi"', v: '', ok: '', extra: 'x' },
      { name: 'line\nbreak', v: '', ok: '', extra: '' },
      { name: ' padded ', v: '', ok: '', extra: '' },
    ]);
  });

  it('defuses text a spreadsheet would run as a formula, but leaves numbers and negative-number text alone', () => {
    const csv = writeCsv(['cell'], [['=SUM(A1:A9)'], ['+1+2'], ['-2+3'], ['@cmd'], ['\tx'], ['\rx'], ['-12.5'], ['-.5'], ['-1e-7'], [-3], [-0.25], ['plain'], ['a=b']]);
    // Escaped cells are quoted (PapaParse does so to keep the apostrophe with the cell).
    expect(csv).toBe(`${CSV_BOM}cell\r\n"'=SUM(A1:A9)"\r\n"'+1+2"\r\n"'-2+3"\r\n"'@cmd"\r\n"'\tx"\r\n"'\rx"\r\n-12.5\r\n-.5\r\n-1e-7\r\n-3\r\n-0.25\r\nplain\r\na=b\r\n`);
  });

  it('FORMULA_LIKE matches formula starts only', () => {
    for (const s of ['=1', '+x', '-x', '-', '@a', '\t', '\r', '-1-1', '--1']) expect(FORMULA_LIKE.test(s), s).toBe(true);
    for (const s of ['-1', '-1.5', '-.5', '-1.', '-2E+10', 'x=1', '1', '', 'R²']) expect(FORMULA_LIKE.test(s), s).toBe(false);
  });

  it('escapes formula-like header names too (column names come from user data)', () => {
    expect(lines(writeCsv(['region', '=HYPERLINK("x")'], []))).toEqual([`region,"'=HYPERLINK(""x"")"`]);
  });

  it('starts with a UTF-8 BOM (Excel then reads "R²" and accents), or not, for stdout', () => {
    const csv = writeCsv(['région', 'R²'], [['Île-de-France', 0.93]]);
    const bytes = new TextEncoder().encode(csv);
    expect(Array.from(bytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    expect(lines(csv)).toEqual(['région,R²', 'Île-de-France,0.93']);
    expect(lines(writeCsv(['a'], [[1]], { bom: false }), false)).toEqual(['a', '1']);
  });

  it('writes numbers with String(), so every float64 reads back exactly; NaN and ±Infinity are empty', () => {
    const values = [0, -0.1, 1 / 3, 1e-300, 123456789.123456, Math.PI * 1e21, Number.MIN_VALUE, Math.fround(0.1), -5e-324];
    const csv = writeCsv(['x'], values.map((v) => [v]));
    expect(lines(csv).slice(1).map(Number)).toEqual(values.map((v) => (Object.is(v, -0) ? 0 : v)));
    expect(lines(writeCsv(['x', 'y', 'z'], [[NaN, Infinity, -Infinity]]))[1]).toBe(',,');
  });

  it('writes booleans, dates, bigints and objects readably; null/undefined as empty', () => {
    const csv = writeCsv(['a', 'b', 'c', 'd', 'e', 'f'], [[false, new Date('2024-01-01T00:00:00Z'), 12n, { k: 1 }, null, undefined]]);
    expect(lines(csv)[1]).toBe('false,2024-01-01T00:00:00.000Z,12,"{""k"":1}",,');
  });

  it('toCsv keeps the given column order, and by default every key in first-seen order', () => {
    expect(lines(toCsv([{ b: 1, a: 2 }, { c: 3 }]))).toEqual(['b,a,c', '1,2,', ',,3']);
    expect(lines(toCsv([{ b: 1, a: 2 }], ['a', 'b']))).toEqual(['a,b', '2,1']);
    expect(lines(toCsv([], ['a', 'b']))).toEqual(['a,b']);
  });

  it('streams rows from a generator across many chunks with no row lost or doubled', () => {
    const n = 25_123;
    function* rows() { for (let i = 0; i < n; i++) yield [i, `r${i}`]; }
    const out = lines(writeCsv(['i', 'name'], rows()));
    expect(out).toHaveLength(n + 1);
    expect(out[1]).toBe('0,r0');
    expect(out[10_000]).toBe('9999,r9999');
    expect(out[10_001]).toBe('10000,r10000');
    expect(out[n]).toBe(`${n - 1},r${n - 1}`);
  });
});

describe('every CSV producer goes through the writer, with the same columns as before', () => {
  const r = makeResults();

  it('contributions: region, week, component, value — one row per region × week × component', () => {
    const csv = contributionsCsv(r);
    const out = lines(csv);
    expect(out[0]).toBe('region,week,component,value');
    const { regions: R, weeks: T, channels: C, controls: K } = r.shape;
    expect(out).toHaveLength(1 + R * T * (4 + K + C));
    const rows = parse(csv).data;
    expect(rows.slice(0, 4).map((x) => x.component)).toEqual(['actual', 'prediction', 'baseline', 'seasonality']);
    expect(rows[4 + K].component).toBe(`media:${r.channelNames[0]}`);
    expect(Number(rows[1].value)).toBe(r.prediction[0]);
    expect(lines(contributionsCsv(r, { bom: false }), false)).toEqual(out);
  });

  it('regions: the region table’s fields', () => {
    const csv = regionsCsv(r);
    expect(lines(csv)[0].split(',')).toEqual(Object.keys(regionTable(r)[0]));
    expect(parse(csv).data).toHaveLength(r.shape.regions);
  });

  it('channels, response curves and the budget plan keep their documented columns', () => {
    expect(lines(channelsCsv(r))[0]).toBe('channel,unit,spend,activity,contribution,share,indirect,interaction,incremental,decomposed_contribution,decomposed_share,roi,roi_total,revenue_roi,cost_per_kpi,marginal_roi,marginal_roi_total,effect_per_1000');
    expect(parse(channelsCsv(r)).data.map((x) => x.channel)).toEqual(r.economics.map((e) => e.channel));
    expect(lines(responseCurvesCsv(r))[0]).toBe('channel,unit,factor,weekly,incremental_kpi,hill_fit,half_saturation,slope,top,r2,current_weekly,saturation_pct');
    const budget = lines(budgetCsv(r.budget!));
    expect(budget[0]).toBe('channel,locked,lower,upper,current_spend,optimal_spend,change,change_pct,current_kpi,predicted_kpi,roi,marginal_roi,saturation_pct,simulated_current_kpi,simulated_optimal_kpi');
    expect(budget).toHaveLength(1 + r.budget!.rows.length + 1);
    expect(budget.at(-1)).toMatch(/^TOTAL,/);
    expect(lines(budgetCsv(r.budget!, { bom: false }), false)).toEqual(budget);
  });

  it('chart data downloads (specCsv) carry exactly one BOM', () => {
    const csv = specCsv(VIEWS[0].build(r, {}));
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(csv.startsWith(CSV_BOM + CSV_BOM)).toBe(false);
  });

  it('the example data CSV: week, region, spend and impressions per channel, controls, sales', () => {
    const R = 2, T = 3, C = 2, K = 1;
    const demo = {
      panel: {
        regions: R, weeks: T, channels: C, controls: K,
        media: Float32Array.from({ length: R * T * C }, (_, i) => i * 10.126),
        controlValues: Float32Array.from({ length: R * T * K }, (_, i) => -i / 3),
        kpi: Float32Array.from({ length: R * T }, (_, i) => 100 + i),
        regionNames: ['Nord', 'Île-de-France'], channelNames: ['TV', 'Paid Search'], controlNames: ['Price index'],
        dates: ['2024-01-01', '2024-01-08', '2024-01-15'],
      },
      impressions: Float32Array.from({ length: R * T * C }, (_, i) => i * 1000.4),
      truth: {},
    } as unknown as DemoData;
    const out = lines(demoToCsv(demo));
    expect(out[0]).toBe('week,region,TV_spend,Paid_Search_spend,TV_impressions,Paid_Search_impressions,Price_index,sales');
    expect(out).toHaveLength(1 + R * T);
    expect(out[4]).toBe('2024-01-01,Île-de-France,60.76,70.88,6002,7003,-1,103');
    // A negative control value is a number, not escaped text.
    expect(out[2]).toBe('2024-01-08,Nord,20.25,30.38,2001,3001,-0.33,101');
  });

  it('no other source writes CSV by hand: only csv.ts calls unparse or writes a BOM, and the old helpers are gone', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|mjs|js)$/.test(name)) files.push(p);
      }
    };
    walk(join(root, 'web/src'));
    walk(join(root, 'web/cli'));
    const offenders = files
      .filter((f) => !f.endsWith(join('export', 'csv.ts')))
      .filter((f) => /\bunparse\(|\\ufeff['"` ]*\s*\+|['"`]\\uFEFF['"`]\s*\+|\bcsvLine\(|\bcsvCell\(|\btoCsvText\(/i.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });
});
