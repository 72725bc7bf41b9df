// CSV → validated panel for the CLI, with the same inference as the app and command-line
// overrides of the mapping (--time, --region, --kpi, --media, --controls).
import { buildPanel, inferSchema, parseCsvBytes, validate, type Mapping, type PanelData, type ParsedTable, type ValidationReport } from '../src/ingest/index';
import type { CommandArgs, OptionSpec } from './args';
import { CliUsageError, readInput, type CliIo } from './io';

/** The options that override the detected mapping, spelt the same in every command using them. */
export const MAPPING_OPTIONS = {
  time: { type: 'string' },
  region: { type: 'string' },
  kpi: { type: 'string' },
  media: { type: 'string' },
  controls: { type: 'string' },
} as const satisfies Record<string, OptionSpec>;

export const MAPPING_USAGE = `  --time COL           the date column
  --region COL|none    the region column (none: one national series)
  --kpi COL            the KPI column
  --media COL,COL,...  the media columns (spend, or activity such as impressions)
  --controls COL,...   the control columns`;

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

export function overridesFrom(args: CommandArgs<typeof MAPPING_OPTIONS>): MappingOverrides {
  return { time: args.string('time'), region: args.string('region'), kpi: args.string('kpi'), media: args.list('media'), controls: args.list('controls') };
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

/** Reads the CSV (a file, or standard input for '-'), infers and overrides the mapping,
 * validates it and builds the panel when the data can be trained on. */
export async function loadCsv(path: string, io: CliIo, overrides: MappingOverrides, holdoutWeeks?: number): Promise<LoadedData> {
  const table = parseCsvBytes(await readInput(path, io));
  const mapping = applyOverrides(table, inferSchema(table).mapping, overrides);
  const report = validate(table, mapping, { holdoutWeeks });
  return { table, mapping, report, panel: report.canTrain ? buildPanel(table, mapping) : null };
}
