// The harness's in-memory panel, read from a long CSV and written back (truncated) for mmm_bench.
//
// A panel: {
//   regions: string[], dates: string[] (ISO YYYY-MM-DD, one per week, 7 days apart),
//   kpi: Float64Array[R] (length T each; NaN where a region has no row that week, e.g. ragged starts),
//   channels: [{ name, media: Float64Array[R], spend: Float64Array[R] | null }]
//             media is what the model sees (spend, or impressions); spend (null: unknown) prices ROAS,
//   controls: [{ name, values: Float64Array[R] }],
//   truth: null | { contribution: Float64Array[R][] per channel (same order as channels), KPI units }
//   national: true when the file has no region column (written with region=none) }
import { readFileSync, writeFileSync } from 'node:fs';
import Papa from 'papaparse';
import { fillGaps } from './metrics.mjs';

const DAY_MS = 86_400_000;

export function isoDay(iso) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return NaN;
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

export function isoDate(day) {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Number of a cell, or an error naming the file, row and column. */
function cellNumber(text, file, row, column) {
  const v = typeof text === 'string' && text.trim() !== '' ? Number(text) : NaN;
  if (!Number.isFinite(v)) throw new Error(`${file}: row ${row + 2}, column '${column}': '${text ?? ''}' is not a number`);
  return v;
}

/**
 * Reads a long-format CSV (one row per region-week, or per week when `region` is null) into a panel.
 * spec: { file, region: column | null, time, kpi,
 *         channels: [{ name, media: column | (row => number), spend: column | (row => number) | null }],
 *         controls: [column], truth: [{ channel, column | (row => number) }] | undefined }
 * Column functions receive the parsed row (strings) and a `num(column)` helper.
 */
export function readLongCsv(spec) {
  const text = readFileSync(spec.file, 'utf8');
  const parsed = Papa.parse(text, { header: true, skipEmptyLines: true });
  if (parsed.errors.length) {
    const e = parsed.errors[0];
    throw new Error(`${spec.file}: row ${e.row + 2}: ${e.message}`);
  }
  const rows = parsed.data;
  const header = parsed.meta.fields;
  const need = [spec.time, spec.kpi, ...(spec.region ? [spec.region] : []), ...spec.controls];
  for (const ch of spec.channels) for (const c of [ch.media, ch.spend]) if (typeof c === 'string') need.push(c);
  for (const t of spec.truth ?? []) if (typeof t.column === 'string') need.push(t.column);
  for (const c of need) if (!header.includes(c)) throw new Error(`${spec.file}: no column '${c}' (mapping in tests/bench/quality/datasets.mjs)`);

  const regionIndex = new Map();
  const days = new Set();
  for (const [i, row] of rows.entries()) {
    const region = spec.region ? row[spec.region] : 'national';
    if (!region) throw new Error(`${spec.file}: row ${i + 2}: empty region in '${spec.region}'`);
    if (!regionIndex.has(region)) regionIndex.set(region, regionIndex.size);
    const d = isoDay(row[spec.time]);
    if (!Number.isFinite(d)) throw new Error(`${spec.file}: row ${i + 2}: '${row[spec.time]}' in '${spec.time}' is not a date YYYY-MM-DD`);
    days.add(d);
  }
  const sortedDays = [...days].sort((a, b) => a - b);
  for (let t = 1; t < sortedDays.length; t++)
    if (sortedDays[t] - sortedDays[t - 1] !== 7)
      throw new Error(`${spec.file}: dates ${isoDate(sortedDays[t - 1])} and ${isoDate(sortedDays[t])} are not one week apart`);
  const week = new Map(sortedDays.map((d, t) => [d, t]));
  const R = regionIndex.size;
  const T = sortedDays.length;
  const grid = () => Array.from({ length: R }, () => new Float64Array(T).fill(NaN));
  const value = (getter, row, i) => (typeof getter === 'function' ? getter(row, (c) => cellNumber(row[c], spec.file, i, c)) : cellNumber(row[getter], spec.file, i, getter));

  const panel = {
    regions: [...regionIndex.keys()],
    dates: sortedDays.map(isoDate),
    kpi: grid(),
    channels: spec.channels.map((ch) => ({ name: ch.name, media: grid(), spend: ch.spend ? grid() : null })),
    controls: spec.controls.map((name) => ({ name, values: grid() })),
    truth: spec.truth ? { contribution: spec.truth.map(() => grid()) } : null,
    national: !spec.region,
  };
  for (const [i, row] of rows.entries()) {
    const r = regionIndex.get(spec.region ? row[spec.region] : 'national');
    const t = week.get(isoDay(row[spec.time]));
    if (!Number.isNaN(panel.kpi[r][t])) throw new Error(`${spec.file}: row ${i + 2}: a second row for region ${panel.regions[r]}, ${panel.dates[t]}`);
    panel.kpi[r][t] = cellNumber(row[spec.kpi], spec.file, i, spec.kpi);
    spec.channels.forEach((ch, c) => {
      panel.channels[c].media[r][t] = value(ch.media, row, i);
      if (ch.spend) panel.channels[c].spend[r][t] = value(ch.spend, row, i);
    });
    spec.controls.forEach((name, k) => (panel.controls[k].values[r][t] = cellNumber(row[name], spec.file, i, name)));
    (spec.truth ?? []).forEach((tr, c) => (panel.truth.contribution[c][r][t] = value(tr.column, row, i)));
  }
  // Media and spend of a region-week without a row are 0 (nothing ran); the KPI stays NaN (not
  // scored); controls are carried as the driver carries them.
  for (const k of panel.controls) k.values = fillGaps(k.values);
  for (const ch of panel.channels)
    for (const g of [ch.media, ch.spend]) if (g) for (const row of g) for (let t = 0; t < T; t++) if (Number.isNaN(row[t])) row[t] = 0;
  for (const g of panel.truth?.contribution ?? []) for (const row of g) for (let t = 0; t < T; t++) if (Number.isNaN(row[t])) row[t] = 0;
  return panel;
}

export const panelShape = (p) => ({ regions: p.regions.length, weeks: p.dates.length, channels: p.channels.length, controls: p.controls.length });

/**
 * Writes weeks [0, weeks) of the panel as the CSV mmm_bench reads, with neutral column names, and
 * returns the driver arguments that map it (path, kpi, region, time, media, spend, controls).
 * Region-weeks with a NaN KPI get no row (the driver fills them as the app does).
 */
export function writeFitCsv(panel, weeks, path) {
  const C = panel.channels.length;
  const K = panel.controls.length;
  const priced = panel.channels.map((ch) => ch.spend !== null);
  const anySpend = priced.some(Boolean);
  const head = ['region', 'date', 'kpi'];
  for (let c = 0; c < C; c++) head.push(`m${c}`);
  if (anySpend) for (let c = 0; c < C; c++) if (priced[c]) head.push(`s${c}`);
  for (let k = 0; k < K; k++) head.push(`x${k}`);
  const lines = [head.join(',')];
  panel.regions.forEach((region, r) => {
    for (let t = 0; t < weeks; t++) {
      if (Number.isNaN(panel.kpi[r][t])) continue;
      const f = [`r${r}`, panel.dates[t], panel.kpi[r][t]];
      for (let c = 0; c < C; c++) f.push(panel.channels[c].media[r][t]);
      if (anySpend) for (let c = 0; c < C; c++) if (priced[c]) f.push(panel.channels[c].spend[r][t]);
      for (let k = 0; k < K; k++) f.push(panel.controls[k].values[r][t]);
      lines.push(f.join(','));
    }
  });
  writeFileSync(path, lines.join('\n') + '\n');
  const args = [`path=${path}`, 'kpi=kpi', `region=${panel.national ? 'none' : 'region'}`, 'time=date', `media=${head.slice(3, 3 + C).join(',')}`];
  // Without spend= the driver prices every channel by its media column; with it, '-' marks "no spend".
  if (anySpend) args.push(`spend=${priced.map((p, c) => (p ? `s${c}` : '-')).join(',')}`);
  args.push(`controls=${K ? head.slice(head.length - K).join(',') : ''}`);
  return args;
}
