// Daily → weekly aggregation: media and KPI summed, controls (and dummy shares) averaged,
// weeks start on Monday. Incomplete first/last weeks are dropped (a partial week would look
// like a drop in sales); incomplete weeks in the middle are kept and reported.

import { isoDate, weekday } from './dates';
import { dummyName } from './infer';
import { numericColumn, textColumn, columnOf, cellText } from './table';
import { timeAxisFor } from './timeaxis';
import type { Issue, Mapping, ParsedColumn, ParsedTable } from './types';

export interface AggregateResult {
  table: ParsedTable;
  mapping: Mapping;
  issues: Issue[];
}

export function aggregateToWeekly(table: ParsedTable, mapping: Mapping): AggregateResult {
  const issues: Issue[] = [];
  const axis = timeAxisFor(table, mapping.time, mapping.dateOrder);
  if (!axis || axis.kind !== 'date') throw new Error(`aggregateToWeekly: "${mapping.time}" is not a date column`);
  const n = table.rowCount;
  const regionCol = mapping.region ? columnOf(table, mapping.region) : null;
  const regionCodes = regionCol?.codes ?? null;

  // Group rows by (region, Monday).
  const groupOf = new Int32Array(n).fill(-1);
  const keyToGroup = new Map<number, number>();
  const gRegion: number[] = [];
  const gWeek: number[] = [];
  const gFirstRow: number[] = [];
  const dayFirstRow: number[] = []; // [g*7 + weekday] → first row index, -1
  const dupRows: number[] = [];
  let dupCount = 0;
  for (let i = 0; i < n; i++) {
    const d = axis.days[i];
    if (Number.isNaN(d)) continue;
    const r = regionCodes ? regionCodes[i] : 0;
    if (r < 0) continue;
    const wd = weekday(d);
    const monday = d - wd;
    const key = r * 1e7 + monday;
    let g = keyToGroup.get(key);
    if (g === undefined) {
      g = gRegion.length;
      keyToGroup.set(key, g);
      gRegion.push(r);
      gWeek.push(monday);
      gFirstRow.push(i);
      for (let k = 0; k < 7; k++) dayFirstRow.push(-1);
    }
    const slot = g * 7 + wd;
    if (dayFirstRow[slot] >= 0) {
      dupCount++;
      if (dupRows.length < 10) dupRows.push(table.sourceRows[dayFirstRow[slot]], table.sourceRows[i]);
      continue; // counted once
    }
    dayFirstRow[slot] = i;
    groupOf[i] = g;
  }
  if (dupCount > 0) {
    issues.push({
      code: 'DUPLICATE_ROWS',
      severity: 'error',
      column: mapping.time,
      rows: dupRows,
      message: `${dupCount} row(s) repeat a ${mapping.region ? 'region and day' : 'day'} already present (e.g. rows ${dupRows[0]} and ${dupRows[1]}). Remove the duplicates or add the missing column (region) that tells them apart.`,
    });
  }
  const G = gRegion.length;
  const days = new Int32Array(G);
  for (let g = 0; g < G; g++) for (let k = 0; k < 7; k++) if (dayFirstRow[g * 7 + k] >= 0) days[g]++;
  let minWeek = Infinity, maxWeek = -Infinity;
  for (const w of gWeek) {
    if (w < minWeek) minWeek = w;
    if (w > maxWeek) maxWeek = w;
  }
  const keep = new Uint8Array(G);
  const droppedWeeks = new Set<number>();
  const partialMid: number[] = [];
  let partialMidCount = 0;
  for (let g = 0; g < G; g++) {
    if (days[g] < 7 && (gWeek[g] === minWeek || gWeek[g] === maxWeek)) {
      droppedWeeks.add(gWeek[g]);
      continue;
    }
    if (days[g] < 7) {
      partialMidCount++;
      if (partialMid.length < 10) partialMid.push(table.sourceRows[gFirstRow[g]]);
    }
    keep[g] = 1;
  }
  if (droppedWeeks.size > 0) {
    issues.push({
      code: 'PARTIAL_WEEKS_DROPPED',
      severity: 'info',
      column: mapping.time,
      message: `Incomplete first/last week(s) starting ${[...droppedWeeks].sort((a, b) => a - b).map(isoDate).join(', ')} are left out: a week with missing days would look like a drop in the KPI.`,
    });
  }
  if (partialMidCount > 0) {
    issues.push({
      code: 'MISSING_DAYS',
      severity: 'warning',
      column: mapping.time,
      rows: partialMid,
      message: `${partialMidCount} week(s) inside the date range have fewer than 7 days (e.g. the week of row ${partialMid[0]}); their sums are lower than a full week. Fill the missing days if you can.`,
    });
  }

  // Output groups in input order of first appearance; buildPanel sorts later.
  const out: number[] = [];
  for (let g = 0; g < G; g++) if (keep[g]) out.push(g);
  const outIndex = new Int32Array(G).fill(-1);
  out.forEach((g, j) => (outIndex[g] = j));
  const m = out.length;

  const sumCol = (col: ParsedColumn): Float64Array => {
    const acc = new Float64Array(m);
    const cnt = new Int32Array(m);
    for (let i = 0; i < n; i++) {
      const g = groupOf[i];
      if (g < 0) continue;
      const j = outIndex[g];
      const v = col.values[i];
      if (j < 0 || Number.isNaN(v)) continue;
      acc[j] += v;
      cnt[j]++;
    }
    for (let j = 0; j < m; j++) if (cnt[j] === 0) acc[j] = NaN;
    return acc;
  };
  const meanOf = (get: (i: number) => number): Float64Array => {
    const acc = new Float64Array(m);
    const cnt = new Int32Array(m);
    for (let i = 0; i < n; i++) {
      const g = groupOf[i];
      if (g < 0) continue;
      const j = outIndex[g];
      const v = get(i);
      if (j < 0 || Number.isNaN(v)) continue;
      acc[j] += v;
      cnt[j]++;
    }
    for (let j = 0; j < m; j++) acc[j] = cnt[j] ? acc[j] / cnt[j] : NaN;
    return acc;
  };

  const columns: ParsedColumn[] = [];
  columns.push(textColumn(mapping.time, out.map((g) => isoDate(gWeek[g]))));
  if (regionCol && regionCol.dict) {
    const dict = regionCol.dict;
    columns.push(textColumn(regionCol.name, out.map((g) => dict[gRegion[g]])));
  }
  const done = new Set<string>(columns.map((c) => c.name));
  const addSum = (name: string | null | undefined) => {
    if (!name || done.has(name)) return;
    const col = columnOf(table, name);
    if (!col) return;
    columns.push(numericColumn(name, sumCol(col)));
    done.add(name);
  };
  addSum(mapping.kpi);
  const channels = mapping.channels.map((ch) => {
    addSum(ch.spend);
    addSum(ch.activity);
    if (!ch.activity && ch.reach && ch.frequency) {
      const r = columnOf(table, ch.reach);
      const f = columnOf(table, ch.frequency);
      if (r && f) {
        const name = `${ch.name} reach×frequency`;
        const prod = new Float64Array(n);
        for (let i = 0; i < n; i++) prod[i] = r.values[i] * f.values[i];
        columns.push(numericColumn(name, sumCol(numericColumn(name, prod))));
        done.add(name);
        return { name: ch.name, spend: ch.spend, activity: name };
      }
    }
    return { name: ch.name, spend: ch.spend, activity: ch.activity };
  });
  const controls: string[] = [];
  const dummyLookup = new Map<string, { col: ParsedColumn; level: string }>();
  for (const [src, levels] of Object.entries(mapping.dummies ?? {})) {
    const col = columnOf(table, src);
    if (col) for (const level of levels) dummyLookup.set(dummyName(src, level), { col, level });
  }
  for (const c of mapping.controls) {
    const dummy = dummyLookup.get(c);
    if (dummy) {
      const { col, level } = dummy;
      columns.push(numericColumn(c, meanOf((i) => (cellText(col, i) === level ? 1 : 0))));
      controls.push(c);
      done.add(c);
      continue;
    }
    const col = columnOf(table, c);
    if (!col || done.has(c)) continue;
    columns.push(numericColumn(c, meanOf((i) => col.values[i])));
    controls.push(c);
    done.add(c);
  }
  if (mapping.revenuePerKpi) {
    const col = columnOf(table, mapping.revenuePerKpi);
    if (col && !done.has(col.name)) {
      columns.push(numericColumn(col.name, meanOf((i) => col.values[i])));
      done.add(col.name);
    }
  }

  const sourceRows = new Int32Array(m);
  out.forEach((g, j) => (sourceRows[j] = table.sourceRows[gFirstRow[g]]));
  const weekly: ParsedTable = {
    ...table,
    columns: columns.map((c) => c.name),
    data: columns,
    rowCount: m,
    sourceRows,
    issues: [],
  };
  const newMapping: Mapping = {
    time: mapping.time,
    region: regionCol ? mapping.region : null,
    kpi: mapping.kpi,
    channels,
    controls,
    ignored: mapping.ignored,
    revenuePerKpi: mapping.revenuePerKpi ?? null,
    dummies: {},
  };
  issues.unshift({
    code: 'DAILY_AGGREGATED',
    severity: 'info',
    column: mapping.time,
    message: `Daily rows were summed into ${new Set(out.map((g) => gWeek[g])).size} Monday-based weeks: KPI and media summed, controls averaged${Object.keys(mapping.dummies ?? {}).length ? ', categories become the share of days in each level' : ''}.`,
  });
  return { table: weekly, mapping: newMapping, issues };
}
