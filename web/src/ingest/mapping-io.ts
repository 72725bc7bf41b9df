// Save a mapping (JSON file or localStorage) and re-apply it to a new upload of the same shape.

import { cleanUnits, unitsProblem, type DisplayUnits } from '../format/number';
import { dummyName } from './infer';
import { IngestError, type ChannelMapping, type Issue, type Mapping, type ParsedTable } from './types';

export const MAPPING_FORMAT = 'mmm-studio-mapping';
export const MAPPING_VERSION = 1;

export interface SavedMapping {
  format: typeof MAPPING_FORMAT;
  version: number;
  savedAt: string;
  /** Header of the file the mapping was made for. */
  columns: string[];
  mapping: Mapping;
}

export function serializeMapping(mapping: Mapping, columns: string[], now: Date = new Date()): string {
  const saved: SavedMapping = { format: MAPPING_FORMAT, version: MAPPING_VERSION, savedAt: now.toISOString(), columns, mapping };
  return JSON.stringify(saved, null, 2);
}

function isStr(x: unknown): x is string {
  return typeof x === 'string';
}
function isStrOrNull(x: unknown): x is string | null {
  return x === null || typeof x === 'string';
}

/** Parse and check a saved mapping; throws IngestError('BAD_MAPPING_FILE') naming the field. */
export function parseMappingJson(text: string): SavedMapping {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new IngestError('BAD_MAPPING_FILE', `The mapping file is not valid JSON (${(e as Error).message}).`);
  }
  const bad = (field: string, want: string) => new IngestError('BAD_MAPPING_FILE', `The mapping file's "${field}" should be ${want}.`);
  if (!raw || typeof raw !== 'object') throw bad('(root)', 'an object');
  const o = raw as Record<string, unknown>;
  // Accept a bare Mapping too.
  const m = (o.format === MAPPING_FORMAT ? o.mapping : o) as Record<string, unknown> | undefined;
  if (o.format === MAPPING_FORMAT && typeof o.version === 'number' && o.version > MAPPING_VERSION) {
    throw new IngestError('BAD_MAPPING_FILE', `The mapping file is version ${o.version}; this app reads up to version ${MAPPING_VERSION}.`);
  }
  if (!m || typeof m !== 'object') throw bad('mapping', 'an object');
  if (!isStr(m.time)) throw bad('mapping.time', 'a column name');
  if (!isStrOrNull(m.region ?? null)) throw bad('mapping.region', 'a column name or null');
  if (!isStr(m.kpi)) throw bad('mapping.kpi', 'a column name');
  if (!Array.isArray(m.channels)) throw bad('mapping.channels', 'a list');
  const channels: ChannelMapping[] = m.channels.map((c: unknown, i: number) => {
    const ch = c as Record<string, unknown>;
    if (!ch || typeof ch !== 'object' || !isStr(ch.name)) throw bad(`mapping.channels[${i}].name`, 'a text');
    const spend = ch.spend ?? null;
    const activity = ch.activity ?? null;
    if (!isStrOrNull(spend)) throw bad(`mapping.channels[${i}].spend`, 'a column name or null');
    if (!isStrOrNull(activity)) throw bad(`mapping.channels[${i}].activity`, 'a column name or null');
    const out: ChannelMapping = { name: ch.name, spend, activity };
    if (isStr(ch.reach)) out.reach = ch.reach;
    if (isStr(ch.frequency)) out.frequency = ch.frequency;
    return out;
  });
  const strList = (x: unknown, field: string): string[] => {
    if (x === undefined) return [];
    if (!Array.isArray(x) || !x.every(isStr)) throw bad(field, 'a list of column names');
    return x;
  };
  const dummies: Record<string, string[]> = {};
  if (m.dummies !== undefined) {
    if (!m.dummies || typeof m.dummies !== 'object') throw bad('mapping.dummies', 'an object');
    for (const [k, v] of Object.entries(m.dummies as Record<string, unknown>)) dummies[k] = strList(v, `mapping.dummies.${k}`);
  }
  const mapping: Mapping = {
    time: m.time,
    region: (m.region as string | null | undefined) ?? null,
    kpi: m.kpi,
    channels,
    controls: strList(m.controls, 'mapping.controls'),
    ignored: strList(m.ignored, 'mapping.ignored'),
    revenuePerKpi: isStr(m.revenuePerKpi) ? m.revenuePerKpi : null,
    dummies,
  };
  if (m.dateOrder !== undefined && m.dateOrder !== null) {
    if (m.dateOrder !== 'dmy' && m.dateOrder !== 'mdy') throw bad('mapping.dateOrder', '"dmy" (day first), "mdy" (month first) or null');
    mapping.dateOrder = m.dateOrder;
  }
  // Display units (optional; files saved before they existed have none).
  if (m.units !== undefined && m.units !== null) {
    const u = m.units as Record<string, unknown>;
    if (typeof u !== 'object' || [u.currency, u.kpi].some((x) => x !== undefined && x !== null && typeof x !== 'string')) {
      throw bad('mapping.units', 'an object with text fields "currency" (e.g. "EUR") and "kpi" (e.g. "conversions")');
    }
    const problem = unitsProblem(u as DisplayUnits);
    if (problem) throw new IngestError('BAD_MAPPING_FILE', `The mapping file's "mapping.units": ${problem}.`);
    mapping.units = cleanUnits(u as DisplayUnits);
  }
  return {
    format: MAPPING_FORMAT,
    version: typeof o.version === 'number' ? o.version : MAPPING_VERSION,
    savedAt: isStr(o.savedAt) ? o.savedAt : '',
    columns: Array.isArray(o.columns) ? (o.columns as unknown[]).filter(isStr) : [],
    mapping,
  };
}

/**
 * Apply a saved mapping to a table. References to columns the table lacks are dropped (with a
 * warning naming them); columns the mapping never mentions are ignored (with an info).
 */
export function applyMapping(saved: SavedMapping | Mapping, table: Pick<ParsedTable, 'columns'>): { mapping: Mapping; issues: Issue[] } {
  const src: Mapping = 'format' in saved ? saved.mapping : saved;
  const have = new Set(table.columns);
  const issues: Issue[] = [];
  const absent = (column: string, use: string) =>
    issues.push({ code: 'MAPPING_COLUMN_ABSENT', severity: 'warning', column, message: `The saved mapping uses "${column}" as ${use}, but this file has no such column; that part of the mapping is dropped.` });
  const keep = (c: string | null | undefined, use: string): string | null => {
    if (!c) return null;
    if (have.has(c)) return c;
    absent(c, use);
    return null;
  };
  const time = keep(src.time, 'time') ?? '';
  const region = keep(src.region, 'region');
  const kpi = keep(src.kpi, 'KPI') ?? '';
  const channels: ChannelMapping[] = [];
  for (const ch of src.channels) {
    const out: ChannelMapping = { name: ch.name, spend: keep(ch.spend, `spend of ${ch.name}`), activity: keep(ch.activity, `activity of ${ch.name}`) };
    const reach = keep(ch.reach, `reach of ${ch.name}`);
    const freq = keep(ch.frequency, `frequency of ${ch.name}`);
    if (reach && freq) {
      out.reach = reach;
      out.frequency = freq;
    }
    if (out.spend || out.activity || out.reach) channels.push(out);
  }
  const dummies: Record<string, string[]> = {};
  const dummyNames = new Set<string>();
  for (const [col, levels] of Object.entries(src.dummies ?? {})) {
    if (!have.has(col)) {
      absent(col, 'categorical control');
      continue;
    }
    dummies[col] = levels;
    for (const l of levels) dummyNames.add(dummyName(col, l));
  }
  const controls = src.controls.filter((c) => dummyNames.has(c) || keep(c, 'control'));
  const ignored = src.ignored.filter((c) => have.has(c));
  const revenuePerKpi = keep(src.revenuePerKpi ?? null, 'revenue per KPI');
  const mentioned = new Set<string>([time, kpi, ...controls, ...ignored, ...Object.keys(dummies)].filter(Boolean));
  if (region) mentioned.add(region);
  if (revenuePerKpi) mentioned.add(revenuePerKpi);
  for (const ch of channels) for (const c of [ch.spend, ch.activity, ch.reach, ch.frequency]) if (c) mentioned.add(c);
  const fresh = table.columns.filter((c) => !mentioned.has(c));
  if (fresh.length) {
    issues.push({ code: 'NEW_COLUMNS_IGNORED', severity: 'info', message: `Column(s) not in the saved mapping are ignored: ${fresh.join(', ')}. Assign them a role if they matter.` });
    ignored.push(...fresh);
  }
  const mapping: Mapping = { time, region, kpi, channels, controls, ignored, revenuePerKpi, dummies };
  if (src.dateOrder && time) mapping.dateOrder = src.dateOrder;
  if (src.units) mapping.units = cleanUnits(src.units);
  return { mapping, issues };
}

/** Key for remembering a mapping per file layout (same header → same key). */
export function headerFingerprint(columns: string[]): string {
  let h = 2166136261;
  const s = columns.join('\u0001');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return `mmm-studio:mapping:${(h >>> 0).toString(16)}:${columns.length}`;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem?(key: string): void;
}

export function saveMappingToStore(store: KeyValueStore, mapping: Mapping, columns: string[]): string {
  const key = headerFingerprint(columns);
  store.setItem(key, serializeMapping(mapping, columns));
  return key;
}

/** The mapping saved for this header, or null (also null when the stored text is unreadable). */
export function loadMappingFromStore(store: KeyValueStore, columns: string[]): SavedMapping | null {
  const text = store.getItem(headerFingerprint(columns));
  if (!text) return null;
  try {
    return parseMappingJson(text);
  } catch {
    return null;
  }
}
