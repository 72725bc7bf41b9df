// The batch manifest: a CSV with one row per task (`id`, `data`, and any `fit` option as a column).
// Parsed and checked up front so every task of an array job fails the same way on a bad manifest,
// with the row and column named, instead of some tasks fitting and others not.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import Papa from 'papaparse';
import { CommandArgs, type OptionSpec } from '../args';
import { fitOptionsFrom, TRAINING_OPTIONS } from '../commands/fit';
import { CliUsageError } from '../io';

/** `fit`'s training options that take a value, as manifest columns (the option without `--`):
 * the one list fit itself declares, so a new fit option is a new column without a change here.
 * --out and --json are chosen by batch itself; switches (--quiet) make no sense per row. */
export const FIT_OPTION_COLUMNS = (Object.entries(TRAINING_OPTIONS) as [keyof typeof TRAINING_OPTIONS, OptionSpec][]).filter(([, spec]) => spec.type === 'string').map(([name]) => name);
/** Columns holding file paths: relative ones are resolved against the manifest's folder. */
const PATH_COLUMNS = new Set(['data']);
const RESERVED_COLUMNS = new Set(['out', 'json', 'help']);

/** Ids name folders (DIR/<id>/) on every node of a cluster, so only portable file-name characters;
 * a leading dot is kept for batch's own temporary folders. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const RESERVED_IDS = new Set(['summary.csv']);

export interface BatchTask {
  /** 0-based row index: the task index schedulers pass (SLURM_ARRAY_TASK_ID, …). */
  index: number;
  id: string;
  /** The data file, resolved against the manifest's folder. */
  data: string;
  /** `fit` options from the row's non-empty cells, in column order: ['--seed', '3', …]. */
  fitArgs: string[];
  /** The row's raw cells (a result records them, so a changed row is not mistaken for done). */
  cells: Record<string, string>;
}

export interface Manifest {
  path: string;
  columns: string[];
  tasks: BatchTask[];
}

export function parseManifestText(text: string, manifestPath: string): Manifest {
  const where = `manifest ${manifestPath}`;
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: 'greedy' });
  const fatal = parsed.errors.find((e) => e.type !== 'Delimiter');
  if (fatal) throw new CliUsageError(`${where}: CSV error on line ${(fatal.row ?? 0) + 1}: ${fatal.message}`);
  const [header, ...rows] = parsed.data;
  if (!header) throw new CliUsageError(`${where} is empty: expected a header line with at least the columns id,data`);
  const columns = header.map((c) => c.trim());
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new CliUsageError(`${where}: column '${c}' appears twice in the header`);
    seen.add(c);
  }
  for (const need of ['id', 'data']) if (!seen.has(need)) throw new CliUsageError(`${where}: no '${need}' column (the header is: ${columns.join(',')}). Every manifest needs id and data columns.`);
  const reserved = columns.filter((c) => RESERVED_COLUMNS.has(c));
  if (reserved.length) throw new CliUsageError(`${where}: column${reserved.length > 1 ? 's' : ''} ${reserved.map((c) => `'${c}'`).join(', ')} cannot be set per row (batch chooses --out and --json itself)`);
  const allowed = new Set<string>(['id', 'data', ...FIT_OPTION_COLUMNS]);
  const unknown = columns.filter((c) => !allowed.has(c));
  if (unknown.length) throw new CliUsageError(`${where}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `'${c}'`).join(', ')}. Allowed: id, data, ${FIT_OPTION_COLUMNS.join(', ')}.`);
  if (rows.length === 0) throw new CliUsageError(`${where} has a header but no task rows`);

  const base = dirname(resolve(manifestPath));
  const ids = new Map<string, number>();
  const tasks = rows.map((row, index): BatchTask => {
    const at = `${where}, row ${index} (line ${index + 2})`;
    if (row.length !== columns.length) throw new CliUsageError(`${at}: ${row.length} fields, the header has ${columns.length}`);
    const cells: Record<string, string> = {};
    columns.forEach((c, i) => (cells[c] = row[i].trim()));
    const id = cells.id;
    if (!ID_PATTERN.test(id) || RESERVED_IDS.has(id)) throw new CliUsageError(`${at}: id '${id}' is not usable as a folder name: use 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit${RESERVED_IDS.has(id) ? ` (and not ${id})` : ''}`);
    const earlier = ids.get(id);
    if (earlier !== undefined) throw new CliUsageError(`${at}: id '${id}' is already used by row ${earlier}; ids must be unique`);
    ids.set(id, index);
    if (!cells.data) throw new CliUsageError(`${at}: the data cell is empty; give the CSV file to fit`);
    const fitArgs: string[] = [];
    const values: Record<string, string> = {};
    for (const c of columns) {
      if (c === 'id' || c === 'data' || cells[c] === '') continue;
      values[c] = cells[c];
      fitArgs.push(`--${c}`, PATH_COLUMNS.has(c) ? resolvePath(base, cells[c]) : cells[c]);
    }
    // fit's own checks of numbers and choices, now, so a bad cell names its row and column
    // before any task runs (the column names of the data are checked when the data is read).
    try {
      fitOptionsFrom(new CommandArgs<typeof TRAINING_OPTIONS>([cells.data], values));
    } catch (err) {
      if (err instanceof CliUsageError) throw new CliUsageError(`${at}: ${err.message.replace(/^--(\S+)/, "column '$1'")}`);
      throw err;
    }
    return { index, id, data: resolvePath(base, cells.data), fitArgs, cells };
  });
  return { path: manifestPath, columns, tasks };
}

export function readManifest(manifestPath: string): Manifest {
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliUsageError(`cannot read manifest '${manifestPath}': ${code === 'ENOENT' ? 'no such file' : String(err)}`);
  }
  return parseManifestText(text, manifestPath);
}

const resolvePath = (base: string, p: string) => (isAbsolute(p) ? p : resolve(base, p));
