// DOM-free state of the mapping editor: one row per column with its role, and the rules that
// turn rows into a Mapping (and back). The DOM component only renders this and calls these.

import { dummyLevelsOf, dummyName } from '../../ingest/infer';
import type { ColumnGuess, ColumnKind, ColumnProfile, Inference, Mapping, Role } from '../../ingest/types';

export interface RowState {
  column: string;
  role: Role;
  channel?: string;
  rf?: 'reach' | 'frequency';
  kind: ColumnKind;
  confidence: number;
  reason: string;
  /** True once the user changed this row. */
  userSet: boolean;
  /** Levels encoded as dummies when a text column is a control. */
  levels?: string[];
}

export const ROLE_LABELS: Record<Role, string> = {
  time: 'Time (dates / weeks)',
  region: 'Region (geo)',
  kpi: 'KPI (outcome)',
  media_spend: 'Media spend',
  media_activity: 'Media activity (impressions, clicks…)',
  control: 'Control',
  revenue_per_kpi: 'Revenue per KPI',
  ignore: 'Ignore',
};

export const ROLE_ORDER: Role[] = ['time', 'region', 'kpi', 'media_spend', 'media_activity', 'control', 'revenue_per_kpi', 'ignore'];

const SINGLE: Role[] = ['time', 'region', 'kpi', 'revenue_per_kpi'];

function dummyLevels(profile: ColumnProfile | undefined): string[] | undefined {
  if (!profile?.levels || profile.levels.length === 0) return undefined;
  const { encoded } = dummyLevelsOf(profile.levels, profile.missing);
  return encoded.length ? encoded : undefined;
}

/** Values of a category column that can become dummies (the reference value excluded), most common first. */
export function dummyChoices(profile: ColumnProfile | undefined): string[] {
  return dummyLevels(profile) ?? [];
}

/** Pick which values of a category control become dummies; none left switches the column off (ignored). */
export function setLevels(rows: RowState[], column: string, levels: string[]): RowState[] {
  return rows.map((r) => {
    if (r.column !== column) return r;
    if (levels.length === 0) return { ...r, role: 'ignore', levels: [], userSet: true, confidence: 1, reason: 'ignored: you unticked every value' };
    return { ...r, role: 'control', levels: [...levels], userSet: true, confidence: 1, reason: `set by you: ${levels.length} value(s) as 0/1 controls` };
  });
}

export function initialRows(inference: Inference): RowState[] {
  return inference.guesses.map((g: ColumnGuess, i) => {
    const row: RowState = {
      column: g.column,
      role: g.role,
      kind: g.kind,
      confidence: g.confidence,
      reason: g.reason,
      userSet: false,
    };
    if (g.channel) row.channel = g.channel;
    if (g.rf) row.rf = g.rf;
    const levels = inference.mapping.dummies?.[g.column] ?? (g.kind === 'text' ? dummyLevels(inference.profiles?.[i]) : undefined);
    if (levels) row.levels = levels;
    return row;
  });
}

/** Change one row's role. Time, region, KPI and revenue-per-KPI are single: the previous holder becomes ignored. */
export function setRole(rows: RowState[], column: string, role: Role, profiles?: ColumnProfile[]): RowState[] {
  return rows.map((r, i) => {
    if (r.column === column) {
      const next: RowState = { ...r, role, userSet: true, confidence: 1, reason: `set by you (was: ${r.userSet ? 'your choice' : r.reason})` };
      if ((role === 'media_spend' || role === 'media_activity') && !next.channel) next.channel = column;
      if (role !== 'media_activity') delete next.rf;
      if (role === 'control' && r.kind === 'text' && !next.levels?.length) {
        const lv = dummyLevels(profiles?.[i]);
        if (lv) next.levels = lv;
      }
      return next;
    }
    if (SINGLE.includes(role) && r.role === role) {
      return { ...r, role: 'ignore', userSet: true, confidence: 1, reason: `ignored: you chose "${column}" as ${ROLE_LABELS[role]}` };
    }
    return r;
  });
}

/** Rename the channel of a media column (all columns of that channel follow). */
export function renameChannel(rows: RowState[], column: string, name: string): RowState[] {
  const row = rows.find((r) => r.column === column);
  const clean = name.trim();
  if (!row || !clean) return rows;
  const old = row.channel ?? row.column;
  return rows.map((r) => {
    if (r.column === column || ((r.role === 'media_spend' || r.role === 'media_activity') && (r.channel ?? r.column) === old)) {
      return { ...r, channel: clean, userSet: r.column === column ? true : r.userSet };
    }
    return r;
  });
}

export interface RowsMappingResult {
  mapping: Mapping;
  /** Problems the user should fix in the table (not data problems). */
  problems: string[];
}

export function rowsToMapping(rows: RowState[]): RowsMappingResult {
  const problems: string[] = [];
  const first = (role: Role) => rows.find((r) => r.role === role)?.column ?? null;
  const time = first('time');
  const kpi = first('kpi');
  if (!time) problems.push('Choose the time column.');
  if (!kpi) problems.push('Choose the KPI column.');
  type Ch = { name: string; spend: string | null; activity: string | null; reach?: string; frequency?: string };
  const channels = new Map<string, Ch>();
  for (const r of rows) {
    if (r.role !== 'media_spend' && r.role !== 'media_activity') continue;
    const name = r.channel ?? r.column;
    const key = name.toLowerCase();
    let ch = channels.get(key);
    if (!ch) {
      ch = { name, spend: null, activity: null };
      channels.set(key, ch);
    }
    if (r.role === 'media_spend') {
      if (ch.spend) problems.push(`Channel "${name}" has two spend columns (${ch.spend}, ${r.column}); rename one channel.`);
      else ch.spend = r.column;
    } else if (r.rf === 'reach') ch.reach = r.column;
    else if (r.rf === 'frequency') ch.frequency = r.column;
    else if (ch.activity) problems.push(`Channel "${name}" has two activity columns (${ch.activity}, ${r.column}); rename one channel.`);
    else ch.activity = r.column;
  }
  const chList = [...channels.values()].map((c) => {
    const out: Mapping['channels'][number] = { name: c.name, spend: c.spend, activity: c.activity };
    if (c.reach && c.frequency) {
      out.reach = c.reach;
      out.frequency = c.frequency;
    } else if (!c.activity && (c.reach || c.frequency)) {
      out.activity = c.reach ?? null;
      if (c.frequency && !c.reach) problems.push(`Channel "${c.name}" has a frequency column but no reach column.`);
    }
    return out;
  });
  if (chList.length === 0) problems.push('Mark at least one column as media spend or activity.');
  const controls: string[] = [];
  const dummies: Record<string, string[]> = {};
  for (const r of rows) {
    if (r.role !== 'control') continue;
    if (r.kind === 'text') {
      const lv = r.levels ?? [];
      if (lv.length === 0) {
        problems.push(`"${r.column}" is text with fewer than two categories; it cannot be a control.`);
        continue;
      }
      dummies[r.column] = lv;
      for (const l of lv) controls.push(dummyName(r.column, l));
    } else controls.push(r.column);
  }
  const mapping: Mapping = {
    time: time ?? '',
    region: first('region'),
    kpi: kpi ?? '',
    channels: chList,
    controls,
    ignored: rows.filter((r) => r.role === 'ignore').map((r) => r.column),
    revenuePerKpi: first('revenue_per_kpi'),
    dummies,
  };
  return { mapping, problems };
}

/** Rows that reflect a (saved or applied) mapping; columns it does not mention are ignored. */
export function mappingToRows(mapping: Mapping, base: RowState[]): RowState[] {
  const roleOf = new Map<string, { role: Role; channel?: string; rf?: 'reach' | 'frequency'; levels?: string[] }>();
  if (mapping.time) roleOf.set(mapping.time, { role: 'time' });
  if (mapping.region) roleOf.set(mapping.region, { role: 'region' });
  if (mapping.kpi) roleOf.set(mapping.kpi, { role: 'kpi' });
  if (mapping.revenuePerKpi) roleOf.set(mapping.revenuePerKpi, { role: 'revenue_per_kpi' });
  for (const ch of mapping.channels) {
    if (ch.spend) roleOf.set(ch.spend, { role: 'media_spend', channel: ch.name });
    if (ch.activity) roleOf.set(ch.activity, { role: 'media_activity', channel: ch.name });
    if (ch.reach) roleOf.set(ch.reach, { role: 'media_activity', channel: ch.name, rf: 'reach' });
    if (ch.frequency) roleOf.set(ch.frequency, { role: 'media_activity', channel: ch.name, rf: 'frequency' });
  }
  for (const c of mapping.controls) if (!roleOf.has(c)) roleOf.set(c, { role: 'control' });
  for (const [src, levels] of Object.entries(mapping.dummies ?? {})) roleOf.set(src, { role: 'control', levels });
  return base.map((r) => {
    const m = roleOf.get(r.column);
    const next: RowState = { ...r, role: m?.role ?? 'ignore', userSet: true, confidence: 1, reason: m ? 'from the saved mapping' : 'not in the saved mapping' };
    delete next.rf;
    if (m?.channel) next.channel = m.channel;
    if (m?.rf) next.rf = m.rf;
    if (m?.levels) next.levels = m.levels;
    return next;
  });
}

/** SVG path for a sparkline of `values` in a w×h box (empty string when nothing to draw). */
export function sparklinePath(values: number[], w: number, h: number, pad = 1): string {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return '';
  let min = Infinity, max = -Infinity;
  for (const x of v) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const span = max - min || 1;
  const n = values.length;
  const parts: string[] = [];
  let pen = false;
  values.forEach((x, i) => {
    if (!Number.isFinite(x)) {
      pen = false;
      return;
    }
    const px = n === 1 ? w / 2 : pad + (i * (w - 2 * pad)) / (n - 1);
    const py = max === min ? h / 2 : h - pad - ((x - min) * (h - 2 * pad)) / span;
    parts.push(`${pen ? 'L' : 'M'}${px.toFixed(1)} ${py.toFixed(1)}`);
    pen = true;
  });
  return parts.join(' ');
}

/** One-line summary of a mapping for people. */
export function mappingSummary(m: Mapping): string {
  const parts = [
    `KPI: ${m.kpi || '—'}`,
    `time: ${m.time || '—'}`,
    m.region ? `region: ${m.region}` : 'national (one region)',
    `${m.channels.length} channel${m.channels.length === 1 ? '' : 's'}`,
    `${m.controls.length} control${m.controls.length === 1 ? '' : 's'}`,
    `${m.ignored.length} ignored`,
  ];
  return parts.join(' · ');
}
