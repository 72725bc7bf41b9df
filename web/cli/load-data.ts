// CSV → validated panel for the CLI, with the same inference as the app and command-line
// overrides of the mapping (--time, --region, --kpi, --media, --controls).
import { readFileSync } from 'node:fs';
import { buildPanel, inferSchema, parseCsvBytes, validate, type Mapping, type PanelData, type ParsedTable, type ValidationReport } from '../src/ingest/index';
import { CliUsageError } from './io';

export interface MappingOverrides {
  time?: string;
  region?: string;
  kpi?: string;
  media?: string[];
  controls?: string[];
}

export interface LoadedData {
  table: ParsedTable;
  mapping: Mapping;
  report: ValidationReport;
  panel: PanelData | null;
}

export function overridesFrom(options: Map<string, string>): MappingOverrides {
  const list = (k: string) => options.get(k)?.split(',').map((s) => s.trim()).filter(Boolean);
  return { time: options.get('time'), region: options.get('region'), kpi: options.get('kpi'), media: list('media'), controls: list('controls') };
}

export function applyOverrides(table: ParsedTable, base: Mapping, o: MappingOverrides): Mapping {
  const has = (c: string, flag: string) => {
    if (!table.columns.includes(c)) throw new CliUsageError(`${flag}: the file has no column '${c}'. Columns: ${table.columns.join(', ')}`);
    return c;
  };
  const m: Mapping = structuredClone(base);
  if (o.time) m.time = has(o.time, '--time');
  if (o.region) m.region = o.region === 'none' ? null : has(o.region, '--region');
  if (o.kpi) m.kpi = has(o.kpi, '--kpi');
  if (o.media) {
    m.channels = o.media.map((col) => {
      has(col, '--media');
      const known = base.channels.find((c) => c.spend === col || c.activity === col || c.name === col);
      if (known) return known;
      const activity = /impression|click|grp|view|reach|visit/i.test(col);
      return { name: col, spend: activity ? null : col, activity: activity ? col : null };
    });
  }
  if (o.controls) m.controls = o.controls.map((c) => has(c, '--controls'));
  const used = new Set([m.time, m.region, m.kpi, ...m.controls, ...m.channels.flatMap((c) => [c.spend, c.activity, c.reach, c.frequency])].filter(Boolean) as string[]);
  m.ignored = table.columns.filter((c) => !used.has(c) && c !== m.revenuePerKpi);
  return m;
}

export function loadCsv(path: string, overrides: MappingOverrides, holdoutWeeks?: number): LoadedData {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new CliUsageError(`cannot read '${path}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`);
  }
  const table = parseCsvBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const mapping = applyOverrides(table, inferSchema(table).mapping, overrides);
  const report = validate(table, mapping, { holdoutWeeks });
  return { table, mapping, report, panel: report.canTrain ? buildPanel(table, mapping) : null };
}
