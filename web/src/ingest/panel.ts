// Validation and panel building share one resolution step: place every row on the
// (region, week) grid, find duplicates and holes, then check each mapped column.

import { aggregateToWeekly } from './aggregate';
import { isoDate, isoWeekOfYear, medianStep } from './dates';
import { dummyName } from './infer';
import { cellText, columnOf, naturalCompare } from './table';
import { timeAxisFor } from './timeaxis';
import {
  IngestError,
  type FillStats,
  type Frequency,
  type Issue,
  type Mapping,
  type PanelData,
  type ParsedColumn,
  type ParsedTable,
  type ValidationReport,
} from './types';

export const DEFAULT_HOLDOUT_WEEKS = 13;
export const MIN_TRAIN_WEEKS = 26;
const LIST = 10;

export interface ValidateOptions {
  holdoutWeeks?: number;
}

interface Resolved {
  table: ParsedTable;
  mapping: Mapping;
  issues: Issue[];
  frequency: Frequency;
  aggregated: boolean;
  regionNames: string[];
  weeks: number;
  dates: string[];
  weekOfYear: Int32Array;
  /** Per row of `table`: cell index r*weeks+t, or -1 when the row is skipped (or a duplicate). */
  rowCell: Int32Array;
  /** Per cell: row index, or -1 when no row. */
  cellRow: Int32Array;
  skippedRows: number;
  ok: boolean;
}

function fmtRows(rows: number[]): string {
  if (rows.length === 0) return '';
  return rows.length === 1 ? `row ${rows[0]}` : `rows ${rows.slice(0, 5).join(', ')}${rows.length > 5 ? ', …' : ''}`;
}

/** Columns a mapping refers to (dummy names resolved to their text column). */
function referencedColumns(mapping: Mapping): { column: string; use: string }[] {
  const out: { column: string; use: string }[] = [];
  if (mapping.time) out.push({ column: mapping.time, use: 'time' });
  if (mapping.region) out.push({ column: mapping.region, use: 'region' });
  if (mapping.kpi) out.push({ column: mapping.kpi, use: 'KPI' });
  for (const ch of mapping.channels) {
    if (ch.spend) out.push({ column: ch.spend, use: `spend of ${ch.name}` });
    if (ch.activity) out.push({ column: ch.activity, use: `activity of ${ch.name}` });
    if (ch.reach) out.push({ column: ch.reach, use: `reach of ${ch.name}` });
    if (ch.frequency) out.push({ column: ch.frequency, use: `frequency of ${ch.name}` });
  }
  const dummyNames = new Set<string>();
  for (const [src, levels] of Object.entries(mapping.dummies ?? {})) for (const l of levels) dummyNames.add(dummyName(src, l));
  for (const c of mapping.controls) if (!dummyNames.has(c)) out.push({ column: c, use: 'control' });
  for (const src of Object.keys(mapping.dummies ?? {})) if ((mapping.dummies![src] ?? []).length) out.push({ column: src, use: 'categorical control' });
  if (mapping.revenuePerKpi) out.push({ column: mapping.revenuePerKpi, use: 'revenue per KPI' });
  return out;
}

function resolve(table: ParsedTable, mapping: Mapping, depth = 0): Resolved {
  const issues: Issue[] = depth === 0 ? [...table.issues] : [];
  const n = table.rowCount;
  const fail = (): Resolved => ({
    table, mapping, issues, frequency: 'unknown', aggregated: false, regionNames: [], weeks: 0, dates: [],
    weekOfYear: new Int32Array(0), rowCell: new Int32Array(n).fill(-1), cellRow: new Int32Array(0), skippedRows: 0, ok: false,
  });

  if (table.columns.length === 0) {
    issues.push({ code: 'EMPTY_FILE', severity: 'error', message: 'The file is empty: no header and no rows.' });
    return fail();
  }
  if (n === 0) {
    issues.push({ code: 'NO_DATA_ROWS', severity: 'error', rows: [1], message: 'The file has a header row but no data rows.' });
    return fail();
  }

  // Every referenced column must exist, and be used once.
  const used = new Map<string, string>();
  let missingColumn = false;
  for (const { column, use } of referencedColumns(mapping)) {
    if (!table.columns.includes(column)) {
      issues.push({ code: 'MAPPING_COLUMN_MISSING', severity: 'error', column, message: `The mapping uses "${column}" as ${use}, but the file has no such column.` });
      missingColumn = true;
      continue;
    }
    const prev = used.get(column);
    if (prev && !(prev.startsWith('categorical') && use.startsWith('categorical'))) {
      issues.push({ code: 'MAPPING_CONFLICT', severity: 'error', column, message: `"${column}" is mapped both as ${prev} and as ${use}; a column can play one part only.` });
    } else used.set(column, use);
  }
  if (!mapping.time) issues.push({ code: 'NO_TIME_COLUMN', severity: 'error', message: 'No time column is chosen. Pick the column with dates or week numbers.' });
  if (!mapping.kpi) issues.push({ code: 'NO_KPI', severity: 'error', message: 'No KPI is chosen. Pick the column with the outcome (sales, conversions, revenue…).' });
  if (mapping.channels.length === 0) issues.push({ code: 'NO_MEDIA', severity: 'error', message: 'No media channel is mapped. Mark at least one spend or activity column as media.' });
  for (const ch of mapping.channels) {
    if (!ch.spend && !ch.activity && !(ch.reach && ch.frequency)) {
      issues.push({ code: 'EMPTY_CHANNEL', severity: 'error', message: `Channel "${ch.name}" has neither a spend nor an activity column.` });
    }
  }
  if (missingColumn || !mapping.time) return fail();

  const axis = timeAxisFor(table, mapping.time, mapping.dateOrder);
  if (!axis) {
    const col = columnOf(table, mapping.time)!;
    const sample = col.textSamples[0] ?? (col.dict && col.dict[0] !== undefined ? { row: table.sourceRows[0], text: col.dict[0] } : null);
    issues.push({
      code: 'BAD_TIME_COLUMN',
      severity: 'error',
      column: mapping.time,
      rows: sample ? [sample.row] : undefined,
      message: `"${mapping.time}" cannot be read as dates or week numbers${sample ? ` (e.g. "${sample.text}" in row ${sample.row})` : ''}. Use dates like 2024-01-29, 01/29/2024, 29.01.2024 or 2024-W05.`,
    });
    return fail();
  }

  // Rows whose time (or region) cannot be read.
  const regionCol = mapping.region ? columnOf(table, mapping.region) : null;
  if (regionCol && !regionCol.codes) {
    issues.push({ code: 'BAD_REGION_COLUMN', severity: 'error', column: regionCol.name, message: `"${regionCol.name}" has too many different values to be a region column.` });
    return fail();
  }
  const badTime: number[] = [];
  let badTimeCount = 0;
  const badRegion: number[] = [];
  let badRegionCount = 0;
  const rowOk = new Uint8Array(n);
  const timeCol = columnOf(table, mapping.time)!;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(axis.days[i])) {
      badTimeCount++;
      if (badTime.length < LIST) badTime.push(table.sourceRows[i]);
      continue;
    }
    if (regionCol && regionCol.codes![i] < 0) {
      badRegionCount++;
      if (badRegion.length < LIST) badRegion.push(table.sourceRows[i]);
      continue;
    }
    rowOk[i] = 1;
  }
  const tolerable = (count: number) => count <= Math.max(2, Math.floor(0.01 * n));
  let skippedRows = 0;
  if (badTimeCount > 0) {
    const firstBad = (() => {
      for (let i = 0; i < n; i++) if (Number.isNaN(axis.days[i])) return cellText(timeCol, i);
      return null;
    })();
    const ok = tolerable(badTimeCount);
    issues.push({
      code: ok ? 'BAD_DATES_SKIPPED' : 'BAD_DATES',
      severity: ok ? 'warning' : 'error',
      column: mapping.time,
      rows: badTime,
      message: `${badTimeCount} row(s) have no readable date in "${mapping.time}" (${fmtRows(badTime)}${firstBad ? `, e.g. "${firstBad}"` : ', empty'}). ${ok ? 'They are skipped (summary or note rows?).' : 'Fix or delete these rows.'}`,
    });
    skippedRows += badTimeCount;
  }
  if (badRegionCount > 0) {
    const ok = tolerable(badRegionCount);
    issues.push({
      code: ok ? 'MISSING_REGION_SKIPPED' : 'MISSING_REGION',
      severity: ok ? 'warning' : 'error',
      column: mapping.region!,
      rows: badRegion,
      message: `${badRegionCount} row(s) have an empty region in "${mapping.region}" (${fmtRows(badRegion)}). ${ok ? 'They are skipped.' : 'Fill in the region or delete these rows.'}`,
    });
    skippedRows += badRegionCount;
  }

  // Frequency; daily data is summed into weeks and resolved again.
  const distinct = new Set<number>();
  for (let i = 0; i < n; i++) if (rowOk[i]) distinct.add(axis.days[i]);
  const sorted = [...distinct].sort((a, b) => a - b);
  const step = medianStep(sorted);
  let frequency: Frequency = axis.kind === 'week-id' || axis.format === 'iso-week' || step === 7 ? 'weekly' : step === 1 ? 'daily' : 'unknown';
  if (frequency === 'daily' && axis.kind === 'date' && depth === 0) {
    const agg = aggregateToWeekly(table, mapping);
    const inner = resolve(agg.table, agg.mapping, depth + 1);
    inner.issues.unshift(...issues, ...agg.issues);
    inner.aggregated = true;
    inner.frequency = 'daily';
    inner.skippedRows += skippedRows;
    inner.ok = inner.ok && !issues.some((x) => x.severity === 'error') && !agg.issues.some((x) => x.severity === 'error');
    return inner;
  }
  if (sorted.length === 0) {
    issues.push({ code: 'BAD_DATES', severity: 'error', column: mapping.time, message: `No row has a readable date in "${mapping.time}".` });
    return fail();
  }
  if (frequency === 'unknown' && sorted.length > 1) {
    issues.push({
      code: 'NOT_WEEKLY',
      severity: step > 7 ? 'error' : 'warning',
      column: mapping.time,
      message: `Dates in "${mapping.time}" are typically ${step} days apart. The model needs weekly data${step > 7 ? ' (monthly or coarser data cannot be used)' : ''}; aggregate the data to weeks first.`,
    });
  }

  // Week grid.
  const unitStep = axis.kind === 'week-id' ? 1 : 7;
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const aligned = sorted.every((d) => (d - min) % unitStep === 0);
  const gridLen = Math.floor((max - min) / unitStep) + 1;
  let weekValues: number[];
  if (frequency === 'weekly' && aligned && gridLen <= 2 * sorted.length + 10) {
    weekValues = Array.from({ length: gridLen }, (_, t) => min + t * unitStep);
    if (gridLen > sorted.length) {
      const have = new Set(sorted);
      const gaps = weekValues.filter((w) => !have.has(w));
      issues.push({
        code: 'MISSING_WEEKS',
        severity: 'warning',
        column: mapping.time,
        message: `${gaps.length} week(s) have no rows at all (e.g. ${gaps.slice(0, 3).map((w) => (axis.kind === 'date' ? isoDate(w) : String(w))).join(', ')}). They are added: media 0, KPI and controls carried over from the previous week.`,
      });
    }
  } else {
    weekValues = sorted;
    if (frequency === 'weekly' && !aligned) {
      issues.push({
        code: 'IRREGULAR_DATES',
        severity: 'warning',
        column: mapping.time,
        message: `Dates in "${mapping.time}" are not all a whole number of weeks apart (different weekdays?). Each distinct date is used as its own week, in order.`,
      });
    } else if (frequency === 'weekly' && aligned && gridLen > 2 * sorted.length + 10) {
      issues.push({
        code: 'DATE_GAPS',
        severity: 'warning',
        column: mapping.time,
        message: `The dates in "${mapping.time}" span ${gridLen} weeks but only ${sorted.length} are present; check for mistyped years. Only the present weeks are used.`,
      });
    }
  }
  const weekIndex = new Map<number, number>();
  weekValues.forEach((w, t) => weekIndex.set(w, t));
  const weeks = weekValues.length;

  // Regions, sorted naturally.
  let regionNames: string[];
  let regionOfCode: Int32Array;
  if (regionCol) {
    const dict = regionCol.dict!;
    const present = new Uint8Array(dict.length);
    for (let i = 0; i < n; i++) if (rowOk[i]) present[regionCol.codes![i]] = 1;
    const codes = dict.map((_, c) => c).filter((c) => present[c]);
    codes.sort((a, b) => naturalCompare(dict[a], dict[b]));
    regionNames = codes.map((c) => dict[c]);
    regionOfCode = new Int32Array(dict.length).fill(-1);
    codes.forEach((c, r) => (regionOfCode[c] = r));
  } else {
    regionNames = ['National'];
    regionOfCode = new Int32Array(1);
  }
  const R = regionNames.length;

  // Place rows.
  const cellRow = new Int32Array(R * weeks).fill(-1);
  const rowCell = new Int32Array(n).fill(-1);
  const dupRows: number[] = [];
  let dupCount = 0;
  const perRegion = new Int32Array(R);
  for (let i = 0; i < n; i++) {
    if (!rowOk[i]) continue;
    const r = regionCol ? regionOfCode[regionCol.codes![i]] : 0;
    const t = weekIndex.get(axis.days[i])!;
    const cell = r * weeks + t;
    if (cellRow[cell] >= 0) {
      dupCount++;
      if (dupRows.length < LIST) dupRows.push(table.sourceRows[cellRow[cell]], table.sourceRows[i]);
      continue;
    }
    cellRow[cell] = i;
    rowCell[i] = cell;
    perRegion[r]++;
  }
  if (dupCount > 0) {
    const key = regionCol ? 'region and week' : 'week';
    issues.push({
      code: 'DUPLICATE_ROWS',
      severity: 'error',
      column: regionCol ? `${mapping.region}, ${mapping.time}` : mapping.time,
      rows: dupRows,
      message: `${dupCount} row(s) repeat a ${key} (${regionCol ? `"${mapping.region}", "${mapping.time}"` : `"${mapping.time}"`}) already present: rows ${dupRows.slice(0, 6).reduce<string[]>((acc, r, k) => (k % 2 ? acc : [...acc, `${r}&${dupRows[k + 1]}`]), []).join(', ')}. ${regionCol ? 'Remove the duplicates.' : 'Remove the duplicates, or choose the region column if the file has one row per region and week.'}`,
    });
  }
  let missingCells = 0;
  for (let c = 0; c < R * weeks; c++) if (cellRow[c] < 0) missingCells++;
  if (missingCells > 0 && dupCount === 0) {
    const examples: string[] = [];
    for (let c = 0; c < R * weeks && examples.length < 3; c++) {
      if (cellRow[c] < 0) {
        const r = Math.floor(c / weeks);
        const t = c % weeks;
        examples.push(`${regionNames[r]} ${axis.kind === 'date' ? isoDate(weekValues[t]) : weekValues[t]}`);
      }
    }
    issues.push({
      code: 'MISSING_CELLS',
      severity: 'info',
      message: `${missingCells} (region, week) combination(s) have no row (e.g. ${examples.join('; ')}): media is set to 0, the KPI and controls are carried forward (then backward) within the region.`,
    });
  }
  const few: string[] = [];
  for (let r = 0; r < R; r++) if (weeks > 0 && perRegion[r] < Math.max(4, 0.5 * weeks)) few.push(`${regionNames[r]} (${perRegion[r]})`);
  if (few.length > 0 && R > 1) {
    issues.push({
      code: 'REGION_FEW_WEEKS',
      severity: 'warning',
      column: mapping.region ?? undefined,
      message: `${few.length} region(s) have rows for fewer than half of the ${weeks} weeks: ${few.slice(0, 5).join(', ')}${few.length > 5 ? ', …' : ''}. Their gaps are filled; consider removing them.`,
    });
  }

  const dates = weekValues.map((w) => (axis.kind === 'date' ? isoDate(w) : String(w)));
  const weekOfYear = new Int32Array(weeks);
  const base = axis.kind === 'week-id' ? (min <= 0 ? 0 : 1) : 0;
  weekValues.forEach((w, t) => (weekOfYear[t] = axis.kind === 'date' ? isoWeekOfYear(w) : ((((w - base) % 52) + 52) % 52) + 1));

  return {
    table, mapping, issues, frequency: depth > 0 ? 'daily' : frequency, aggregated: depth > 0, regionNames, weeks, dates, weekOfYear,
    rowCell, cellRow, skippedRows, ok: !issues.some((x) => x.severity === 'error'),
  };
}

// ---- column checks -------------------------------------------------------------------------

function negativeRows(table: ParsedTable, col: ParsedColumn, rowCell: Int32Array): { count: number; rows: number[]; min: number } {
  let count = 0;
  let min = 0;
  const rows: number[] = [];
  for (let i = 0; i < col.values.length; i++) {
    const v = col.values[i];
    if (v < 0 && rowCell[i] >= 0) {
      count++;
      if (v < min) min = v;
      if (rows.length < LIST) rows.push(table.sourceRows[i]);
    }
  }
  return { count, rows, min };
}

function textIssue(col: ParsedColumn, what: string, then: string): Issue | null {
  if (col.textCount === 0) return null;
  const rows = col.textSamples.map((s) => s.row);
  return {
    code: 'NON_NUMERIC',
    severity: 'warning',
    column: col.name,
    rows,
    message: `${col.textCount} cell(s) in "${col.name}" (${what}) are not numbers, e.g. "${col.textSamples[0]?.text ?? ''}" in row ${rows[0]}; ${then}.`,
  };
}

function isConstantValues(v: Float64Array): boolean {
  let first = NaN;
  for (const x of v) {
    if (Number.isNaN(x)) continue;
    if (Number.isNaN(first)) first = x;
    else if (x !== first) return false;
  }
  return true;
}

function checkColumns(res: Resolved): Issue[] {
  const { table, mapping, rowCell } = res;
  const out: Issue[] = [];
  const kpi = columnOf(table, mapping.kpi);
  if (kpi) {
    if (kpi.numericCount === 0) {
      out.push({ code: 'KPI_NOT_NUMERIC', severity: 'error', column: kpi.name, message: `The KPI "${kpi.name}" has no numeric values${kpi.textSamples[0] ? ` (e.g. "${kpi.textSamples[0].text}" in row ${kpi.textSamples[0].row})` : ''}. Choose a numeric outcome column.` });
    } else {
      const t = textIssue(kpi, 'KPI', 'they are treated as missing and filled from neighbouring weeks');
      if (t) out.push(t);
      if (kpi.missingCount > 0) {
        out.push({ code: 'MISSING_VALUES', severity: 'info', column: kpi.name, rows: kpi.missingRows, message: `${kpi.missingCount} empty KPI cell(s) in "${kpi.name}" (${fmtRows(kpi.missingRows)}): carried forward from the previous week (backward at the start) within the region.` });
      }
      const neg = negativeRows(table, kpi, rowCell);
      if (neg.count > 0) out.push({ code: 'NEGATIVE_KPI', severity: 'warning', column: kpi.name, rows: neg.rows, message: `${neg.count} negative KPI value(s) in "${kpi.name}" (${fmtRows(neg.rows)}, min ${neg.min}). The model expects a non-negative outcome; check these rows.` });
      if (kpi.min === kpi.max && kpi.textCount === 0) out.push({ code: 'KPI_CONSTANT', severity: 'error', column: kpi.name, message: `The KPI "${kpi.name}" is constant (${kpi.min}); there is nothing to explain.` });
    }
  }
  for (const ch of mapping.channels) {
    let total = 0;
    const parts = [ch.spend, ch.activity, ch.activity ? null : ch.reach ?? null, ch.activity ? null : ch.frequency ?? null];
    for (const name of parts) {
      if (!name) continue;
      const col = columnOf(table, name);
      if (!col) continue;
      const isSpend = name === ch.spend;
      const neg = negativeRows(table, col, rowCell);
      if (neg.count > 0) {
        out.push({
          code: isSpend ? 'NEGATIVE_SPEND' : 'NEGATIVE_MEDIA',
          severity: 'error',
          column: name,
          rows: neg.rows,
          message: `${neg.count} negative value(s) in ${isSpend ? 'spend' : 'activity'} column "${name}" (${fmtRows(neg.rows)}, min ${neg.min}). Media cannot be negative: correct these rows (refunds belong in a separate control column).`,
        });
      }
      const t = textIssue(col, isSpend ? `spend of ${ch.name}` : `activity of ${ch.name}`, 'they are treated as 0');
      if (t) out.push(t);
      if (col.missingCount > 0) {
        out.push({ code: 'MISSING_VALUES', severity: 'info', column: name, rows: col.missingRows, message: `${col.missingCount} empty cell(s) in "${name}" (${fmtRows(col.missingRows)}): treated as 0 (no media that week).` });
      }
      let sum = 0;
      for (const v of col.values) if (v > 0) sum += v;
      if (name === ch.spend || name === ch.activity || (!ch.activity && name === ch.reach)) total += sum;
      if (isSpend && sum === 0 && ch.activity) {
        out.push({ code: 'ZERO_SPEND', severity: 'warning', column: name, message: `Spend column "${name}" of channel "${ch.name}" is 0 everywhere; ROI for this channel cannot be computed.` });
      }
    }
    if (total === 0) {
      out.push({ code: 'ALL_ZERO_CHANNEL', severity: 'warning', column: ch.spend ?? ch.activity ?? ch.reach ?? undefined, message: `Channel "${ch.name}" is 0 (or empty) in every week; the model cannot learn its effect. Remove it or check the column.` });
    }
  }
  const dummyNames = new Map<string, { src: string; level: string }>();
  for (const [src, levels] of Object.entries(mapping.dummies ?? {})) for (const l of levels) dummyNames.set(dummyName(src, l), { src, level: l });
  for (const c of mapping.controls) {
    const dummy = dummyNames.get(c);
    if (dummy) {
      const col = columnOf(table, dummy.src);
      if (col && (!col.dict || !col.dict.includes(dummy.level))) {
        out.push({ code: 'DUMMY_LEVEL_ABSENT', severity: 'warning', column: dummy.src, message: `"${dummy.src}" has no value "${dummy.level}"; the control ${c} is 0 everywhere and is left out.` });
      }
      continue;
    }
    const col = columnOf(table, c);
    if (!col) continue;
    if (col.numericCount === 0) {
      out.push({ code: 'CONTROL_NOT_NUMERIC', severity: 'error', column: c, rows: col.textSamples.map((s) => s.row), message: `Control "${c}" has no numeric values (e.g. "${col.textSamples[0]?.text ?? ''}"). Mark it as categorical (dummies) or ignore it.` });
      continue;
    }
    const t = textIssue(col, 'control', 'they are treated as missing and carried over from the previous week');
    if (t) out.push(t);
    if (col.missingCount > 0) out.push({ code: 'MISSING_VALUES', severity: 'info', column: c, rows: col.missingRows, message: `${col.missingCount} empty cell(s) in control "${c}" (${fmtRows(col.missingRows)}): carried forward (then backward) within the region.` });
    if (isConstantValues(col.values)) out.push({ code: 'CONSTANT_COLUMN', severity: 'warning', column: c, message: `Control "${c}" has the same value in every row; it carries no information and is left out.` });
  }
  if (mapping.revenuePerKpi) {
    const col = columnOf(table, mapping.revenuePerKpi);
    if (col) {
      const neg = negativeRows(table, col, rowCell);
      if (neg.count > 0) out.push({ code: 'NEGATIVE_REVENUE_PER_KPI', severity: 'warning', column: col.name, rows: neg.rows, message: `${neg.count} negative value(s) in "${col.name}" (${fmtRows(neg.rows)}); revenue ROI will be wrong for those weeks.` });
    }
  }
  // Region with no KPI at all.
  if (kpi && res.regionNames.length > 0) {
    const R = res.regionNames.length;
    const has = new Uint8Array(R);
    for (let i = 0; i < table.rowCount; i++) {
      const cell = rowCell[i];
      if (cell >= 0 && !Number.isNaN(kpi.values[i])) has[Math.floor(cell / res.weeks)] = 1;
    }
    const empty = res.regionNames.filter((_, r) => !has[r]);
    if (empty.length > 0 && kpi.numericCount > 0) {
      out.push({ code: 'REGION_NO_KPI', severity: 'error', column: kpi.name, message: `Region(s) ${empty.slice(0, 5).join(', ')} have no KPI value at all; remove them or fill in the KPI.` });
    }
  }
  return out;
}

export function validate(table: ParsedTable, mapping: Mapping, opts: ValidateOptions = {}): ValidationReport {
  const holdout = opts.holdoutWeeks ?? DEFAULT_HOLDOUT_WEEKS;
  const res = resolve(table, mapping);
  const all = [...res.issues];
  if (res.weeks > 0) all.push(...checkColumns(res));
  const weeks = res.weeks;
  if (weeks > 0) {
    if (weeks - holdout < MIN_TRAIN_WEEKS) {
      all.push({
        code: 'TOO_FEW_WEEKS',
        severity: 'error',
        column: mapping.time,
        message: `${weeks} week(s) of data ("${mapping.time}"): with a ${holdout}-week holdout at least ${MIN_TRAIN_WEEKS + holdout} are needed (${MIN_TRAIN_WEEKS} to train). Add history or shorten the holdout.`,
      });
    } else if (weeks < 52 + holdout) {
      all.push({ code: 'SHORT_HISTORY', severity: 'warning', column: mapping.time, message: `${weeks} weeks is less than a year of training data plus the ${holdout}-week holdout; yearly seasonality cannot be learned well.` });
    }
  }
  // Dedupe identical codes+columns coming from inference and resolution.
  const seen = new Set<string>();
  const issues = all.filter((x) => {
    const k = `${x.code}|${x.column ?? ''}|${x.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const errors = issues.filter((x) => x.severity === 'error');
  const warnings = issues.filter((x) => x.severity === 'warning');
  const infos = issues.filter((x) => x.severity === 'info');
  const controls = effectiveControls(res).length;
  return {
    shape: { regions: res.regionNames.length, weeks, channels: res.mapping.channels.length, controls },
    dateRange: res.dates.length ? { start: res.dates[0], end: res.dates[res.dates.length - 1] } : null,
    frequency: res.frequency,
    errors,
    warnings,
    infos,
    canTrain: errors.length === 0,
    blocking: errors.map((e) => `${e.code}: ${e.message}`),
  };
}

/** Controls that make it into the panel: known columns or dummies, not constant. */
function effectiveControls(res: Resolved): { name: string; get: (row: number) => number }[] {
  const { table, mapping } = res;
  const out: { name: string; get: (row: number) => number }[] = [];
  const dummyNames = new Map<string, { src: string; level: string }>();
  for (const [src, levels] of Object.entries(mapping.dummies ?? {})) for (const l of levels) dummyNames.set(dummyName(src, l), { src, level: l });
  for (const c of mapping.controls) {
    const dummy = dummyNames.get(c);
    if (dummy) {
      const col = columnOf(table, dummy.src);
      if (!col || !col.dict || !col.dict.includes(dummy.level)) continue;
      const code = col.dict.indexOf(dummy.level);
      out.push({ name: c, get: (i) => (col.codes![i] === code ? 1 : 0) });
      continue;
    }
    const col = columnOf(table, c);
    if (!col || col.numericCount === 0 || isConstantValues(col.values)) continue;
    out.push({ name: c, get: (i) => col.values[i] });
  }
  return out;
}

/** Carry forward, then backward, within each region; returns the number of cells filled. */
function fillSeries(a: Float32Array | Float64Array, R: number, W: number, stride: number, k: number): number {
  let filled = 0;
  for (let r = 0; r < R; r++) {
    let last = NaN;
    let firstValid = -1;
    for (let t = 0; t < W; t++) {
      const idx = (r * W + t) * stride + k;
      const v = a[idx];
      if (Number.isNaN(v)) {
        if (!Number.isNaN(last)) {
          a[idx] = last;
          filled++;
        }
      } else {
        last = v;
        if (firstValid < 0) firstValid = t;
      }
    }
    if (firstValid < 0) {
      for (let t = 0; t < W; t++) a[(r * W + t) * stride + k] = 0;
      filled += W;
    } else {
      const v0 = a[(r * W + firstValid) * stride + k];
      for (let t = 0; t < firstValid; t++) {
        a[(r * W + t) * stride + k] = v0;
        filled++;
      }
    }
  }
  return filled;
}

export function buildPanel(table: ParsedTable, mapping: Mapping): PanelData {
  const res = resolve(table, mapping);
  const colIssues = res.weeks > 0 ? checkColumns(res) : [];
  const errors = [...res.issues, ...colIssues].filter((x) => x.severity === 'error');
  if (errors.length > 0 || res.weeks === 0) {
    throw new IngestError(errors[0]?.code ?? 'INVALID_DATA', errors.length ? errors.map((e) => e.message).join('\n') : 'No data.', errors);
  }
  const t = res.table;
  const m = res.mapping;
  const R = res.regionNames.length;
  const W = res.weeks;
  const C = m.channels.length;
  const n = t.rowCount;
  const cells = R * W;
  const fill: FillStats = {
    missingCells: 0, mediaZeroFilled: 0, kpiFilled: 0, controlFilled: 0, droppedControls: [], skippedRows: res.skippedRows, aggregatedFromDaily: res.aggregated,
  };
  for (let c = 0; c < cells; c++) if (res.cellRow[c] < 0) fill.missingCells++;

  const media = new Float32Array(cells * C);
  const anySpend = m.channels.some((ch) => ch.spend);
  const spend = anySpend ? new Float32Array(cells * C) : null;
  const mediaKind: ('spend' | 'activity')[] = [];
  m.channels.forEach((ch, c) => {
    const sp = ch.spend ? columnOf(t, ch.spend) : null;
    const act = ch.activity ? columnOf(t, ch.activity) : null;
    const reach = !act && ch.reach ? columnOf(t, ch.reach) : null;
    const freq = !act && ch.frequency ? columnOf(t, ch.frequency) : null;
    mediaKind.push(sp ? 'spend' : 'activity');
    for (let cell = 0; cell < cells; cell++) {
      const i = res.cellRow[cell];
      let driver = 0;
      let s = 0;
      if (i >= 0) {
        if (sp) s = sp.values[i];
        if (sp) driver = s;
        else if (act) driver = act.values[i];
        else if (reach && freq) driver = reach.values[i] * freq.values[i];
      }
      if (!(driver >= 0)) driver = 0; // NaN → 0
      if (!(s >= 0)) s = 0;
      if (i < 0 || (sp ? Number.isNaN(sp.values[i]) : act ? Number.isNaN(act.values[i]) : false)) fill.mediaZeroFilled++;
      media[cell * C + c] = driver;
      if (spend) spend[cell * C + c] = s;
    }
  });

  const kpiCol = columnOf(t, m.kpi)!;
  const kpi = new Float32Array(cells).fill(NaN);
  for (let cell = 0; cell < cells; cell++) {
    const i = res.cellRow[cell];
    if (i >= 0) kpi[cell] = kpiCol.values[i];
  }
  fill.kpiFilled = fillSeries(kpi, R, W, 1, 0);

  const ctrls = effectiveControls(res);
  for (const c of m.controls) if (!ctrls.some((x) => x.name === c)) fill.droppedControls.push(c);
  const K = ctrls.length;
  const controlValues = new Float32Array(cells * K).fill(NaN);
  ctrls.forEach((ctl, k) => {
    for (let cell = 0; cell < cells; cell++) {
      const i = res.cellRow[cell];
      if (i >= 0) controlValues[cell * K + k] = ctl.get(i);
    }
    fill.controlFilled += fillSeries(controlValues, R, W, K, k);
  });

  let revenuePerKpi: Float32Array | null = null;
  if (m.revenuePerKpi) {
    const col = columnOf(t, m.revenuePerKpi);
    if (col) {
      revenuePerKpi = new Float32Array(cells).fill(NaN);
      for (let cell = 0; cell < cells; cell++) {
        const i = res.cellRow[cell];
        if (i >= 0) revenuePerKpi[cell] = col.values[i];
      }
      fillSeries(revenuePerKpi, R, W, 1, 0);
    }
  }
  void n;
  return {
    regions: R,
    weeks: W,
    channels: C,
    controls: K,
    media,
    spend,
    controlValues,
    kpi,
    revenuePerKpi,
    regionNames: res.regionNames,
    channelNames: m.channels.map((ch) => ch.name),
    controlNames: ctrls.map((x) => x.name),
    dates: res.dates,
    weekOfYear: res.weekOfYear,
    mediaKind,
    fill,
  };
}
