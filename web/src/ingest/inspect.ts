// The JSON summary `mmm-studio inspect --json` prints (and the app can show or export).

import { inferSchema } from './infer';
import { validate } from './panel';
import type { ColumnGuess, Frequency, Inference, Issue, Mapping, ParsedTable, ValidationReport } from './types';

export interface InspectIssue {
  code: string;
  message: string;
  column?: string;
  rows?: number[];
}

export interface InspectJson {
  rows: number;
  columnCount: number;
  delimiter: string;
  decimal: ',' | '.';
  encoding: string;
  hadBom: boolean;
  frequency: Frequency;
  time: string | null;
  region: string | null;
  regions: number;
  weeks: number;
  dateRange: { start: string; end: string } | null;
  kpi: string | null;
  revenuePerKpi: string | null;
  media: { name: string; spend: string | null; activity: string | null; reach?: string | null; frequency?: string | null }[];
  controls: string[];
  ignored: string[];
  dummies: Record<string, string[]>;
  columns: Pick<ColumnGuess, 'column' | 'role' | 'confidence' | 'reason' | 'kind' | 'channel'>[];
  canTrain: boolean;
  errors: InspectIssue[];
  warnings: InspectIssue[];
  infos: InspectIssue[];
}

function strip(i: Issue): InspectIssue {
  const o: InspectIssue = { code: i.code, message: i.message };
  if (i.column !== undefined) o.column = i.column;
  if (i.rows && i.rows.length) o.rows = i.rows;
  return o;
}

export interface InspectOptions {
  mapping?: Mapping;
  holdoutWeeks?: number;
  inference?: Inference;
}

/** Infer (or take) a mapping, validate it and summarise both. */
export function inspectJson(table: ParsedTable, opts: InspectOptions = {}): InspectJson {
  const inference = opts.inference ?? inferSchema(table);
  const mapping = opts.mapping ?? inference.mapping;
  const report: ValidationReport = validate(table, mapping, { holdoutWeeks: opts.holdoutWeeks });
  // Inference issues not already reported by validation (same code and column).
  const have = new Set([...report.errors, ...report.warnings, ...report.infos].map((i) => `${i.code}|${i.column ?? ''}`));
  const extra = inference.issues.filter((i) => !have.has(`${i.code}|${i.column ?? ''}`) && !(opts.mapping && i.severity === 'error'));
  const errors = [...report.errors, ...extra.filter((i) => i.severity === 'error')];
  const warnings = [...report.warnings, ...extra.filter((i) => i.severity === 'warning')];
  const infos = [...report.infos, ...extra.filter((i) => i.severity === 'info')];
  return {
    rows: table.rowCount,
    columnCount: table.columns.length,
    delimiter: table.delimiter,
    decimal: table.decimal,
    encoding: table.encoding,
    hadBom: table.hadBom,
    frequency: report.frequency !== 'unknown' ? report.frequency : inference.frequency,
    time: mapping.time || null,
    region: mapping.region,
    regions: report.shape.regions,
    weeks: report.shape.weeks,
    dateRange: report.dateRange,
    kpi: mapping.kpi || null,
    revenuePerKpi: mapping.revenuePerKpi ?? null,
    media: mapping.channels.map((c) => {
      const o: InspectJson['media'][number] = { name: c.name, spend: c.spend, activity: c.activity };
      if (c.reach || c.frequency) {
        o.reach = c.reach ?? null;
        o.frequency = c.frequency ?? null;
      }
      return o;
    }),
    controls: mapping.controls,
    ignored: mapping.ignored,
    dummies: mapping.dummies ?? {},
    columns: inference.guesses.map((g) => {
      const o: InspectJson['columns'][number] = { column: g.column, role: g.role, confidence: g.confidence, reason: g.reason, kind: g.kind };
      if (g.channel) o.channel = g.channel;
      return o;
    }),
    canTrain: errors.length === 0,
    errors: errors.map(strip),
    warnings: warnings.map(strip),
    infos: infos.map(strip),
  };
}
