// `mmm-studio inspect <file.csv | -> [--json] [--holdout-weeks N] [--mapping mapping.json]`
// Reads a CSV, infers the mapping (or applies a saved one), validates it and prints a report.
// Exit codes: 0 = can train, 1 = blocking data errors, 2 = usage error or unreadable file.

import { readFile } from 'node:fs/promises';
import { parseCommandArgs, type CommandSpec } from '../args';
import { readInput, type CliIo } from '../io';
import {
  applyMapping,
  inspectJson,
  parseCsvBytes,
  parseMappingJson,
  type InspectIssue,
  type InspectJson,
  type Mapping,
} from '../../src/ingest/index';

export const INSPECT = {
  name: 'inspect',
  options: { json: { type: 'boolean' }, 'holdout-weeks': { type: 'string' }, mapping: { type: 'string' } },
  positionals: { min: 1, max: 1, what: "one CSV file ('-' reads standard input)" },
  usage: `Usage: mmm-studio inspect <file.csv | -> [--json] [--holdout-weeks N] [--mapping mapping.json]

Reads the CSV ('-': standard input), detects the time, region, KPI, media and control columns,
checks the data and prints what the model would get.
  --json               print the report as JSON
  --holdout-weeks N    check the data with N holdout weeks (as fit --holdout-weeks N would)
  --mapping FILE       apply a mapping saved from the app instead of the detected one
  -h, --help           this help
Exit code 0 when the data can be used for training, 1 when there are blocking errors, 2 when the
file cannot be read or the command line is wrong.`,
} as const satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

function fmtIssue(i: InspectIssue): string {
  const where = [i.column ? `column "${i.column}"` : '', i.rows?.length ? `rows ${i.rows.slice(0, 8).join(', ')}${i.rows.length > 8 ? ', …' : ''}` : '']
    .filter(Boolean)
    .join(', ');
  return `  [${i.code}]${where ? ` (${where})` : ''} ${i.message}`;
}

export function formatInspectReport(file: string, j: InspectJson): string {
  const lines: string[] = [];
  lines.push(`${file}: ${j.rows} rows × ${j.columnCount} columns (delimiter ${JSON.stringify(j.delimiter)}, decimal "${j.decimal}", ${j.encoding}${j.hadBom ? ', BOM' : ''})`);
  lines.push(`Panel: ${j.regions} region(s) × ${j.weeks} week(s) × ${j.media.length} channel(s) × ${j.controls.length} control(s)` + (j.dateRange ? `, ${j.dateRange.start} … ${j.dateRange.end}` : '') + (j.frequency === 'daily' ? ' (daily data summed into weeks)' : ''));
  lines.push(`Time: ${j.time ?? '—'}   Region: ${j.region ?? '— (national)'}   KPI: ${j.kpi ?? '—'}${j.revenuePerKpi ? `   Revenue per KPI: ${j.revenuePerKpi}` : ''}`);
  lines.push('Media:');
  if (j.media.length === 0) lines.push('  (none)');
  for (const m of j.media) {
    const act = m.activity ?? (m.reach && m.frequency ? `${m.reach} × ${m.frequency}` : '—');
    lines.push(`  ${m.name}: spend ${m.spend ?? '—'}, activity ${act}${m.activity && m.reach ? ` (reach ${m.reach} × frequency ${m.frequency} also given)` : ''}`);
  }
  lines.push(`Controls: ${j.controls.length ? j.controls.join(', ') : '(none)'}`);
  lines.push(`Ignored: ${j.ignored.length ? j.ignored.join(', ') : '(none)'}`);
  lines.push('Columns:');
  const w = Math.min(32, Math.max(6, ...j.columns.map((c) => c.column.length)));
  for (const c of j.columns) {
    lines.push(`  ${c.column.padEnd(w)}  ${c.role.padEnd(15)} ${String(Math.round(c.confidence * 100)).padStart(3)}%  ${c.reason}`);
  }
  if (j.errors.length) {
    lines.push(`Errors (${j.errors.length}) — these block training:`);
    for (const e of j.errors) lines.push(fmtIssue(e));
  }
  if (j.warnings.length) {
    lines.push(`Warnings (${j.warnings.length}):`);
    for (const e of j.warnings) lines.push(fmtIssue(e));
  }
  if (j.infos.length) {
    lines.push('Notes:');
    for (const e of j.infos) lines.push(fmtIssue(e));
  }
  lines.push(j.canTrain ? 'Result: OK — the data can be used for training.' : 'Result: NOT READY — fix the errors above.');
  return lines.join('\n') + '\n';
}

export async function inspectCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, INSPECT, io);
  if (!args) return 0;
  const json = args.flag('json');
  const holdout = args.int('holdout-weeks', 0, 520);
  const mappingFile = args.string('mapping');
  const file = args.positional[0];
  let bytes: Uint8Array;
  try {
    bytes = await readInput(file, io);
  } catch (e) {
    // With --json the failure is also JSON, so a script reading stdout sees what went wrong.
    if (json) io.stdout(JSON.stringify({ file, errors: [{ code: 'FILE_UNREADABLE', message: (e as Error).message }] }, null, 2) + '\n');
    throw e;
  }
  try {
    const table = parseCsvBytes(bytes);
    let mapping: Mapping | undefined;
    const extraWarnings: InspectIssue[] = [];
    if (mappingFile) {
      const saved = parseMappingJson(await readFile(mappingFile, 'utf8'));
      const applied = applyMapping(saved, table);
      mapping = applied.mapping;
      extraWarnings.push(...applied.issues.map((i) => ({ code: i.code, message: i.message, ...(i.column ? { column: i.column } : {}) })));
    }
    const result = inspectJson(table, { mapping, holdoutWeeks: holdout });
    result.warnings.push(...extraWarnings);
    if (json) io.stdout(JSON.stringify({ file, ...result }, null, 2) + '\n');
    else io.stdout(formatInspectReport(file, result));
    return result.canTrain ? 0 : 1;
  } catch (e) {
    const msg = (e as Error).message;
    if (json) io.stdout(JSON.stringify({ file, errors: [{ code: (e as { code?: string }).code ?? 'INTERNAL', message: msg }] }, null, 2) + '\n');
    io.stderr(`mmm-studio inspect: ${msg}`);
    return 2;
  }
}
