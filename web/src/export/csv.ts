// The one CSV writer: every CSV the app and the CLI write goes through writeCsv (or toCsv for
// rows of objects), so all of them share one dialect:
// - PapaParse's unparse does the RFC 4180 quoting (separators, quotes, line breaks, edge spaces);
// - CRLF line ends (RFC 4180), including after the last row;
// - a UTF-8 byte-order mark, without which Excel reads UTF-8 as the local code page and garbles
//   "R²" and accented region or channel names (left out only for text piped to stdout, where a
//   BOM would become part of the first column's name in other tools);
// - text cells that a spreadsheet would run as a formula (starting with = + - @ tab or CR) get a
//   leading apostrophe. Numbers are never touched, nor is text that is just a negative number.
// Numbers are written with String(), the shortest text that reads back as the same double;
// NaN, ±Infinity, null and undefined become empty cells.
import Papa from 'papaparse';

export const CSV_BOM = '\uFEFF';
export const CSV_NEWLINE = '\r\n';

/** Text a spreadsheet would evaluate, unless it is a plain negative number such as "-12.5". */
export const FORMULA_LIKE = /^(?!-(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$)[=+\-@\t\r]/;

/** Rows handed to unparse at a time: big exports (millions of rows) never exist twice as arrays. */
const CHUNK_ROWS = 10_000;

export interface CsvOptions {
  /** Start with a UTF-8 byte-order mark (default true; false for text written to stdout). */
  bom?: boolean;
}

const UNPARSE: Papa.UnparseConfig = { newline: CSV_NEWLINE, escapeFormulae: FORMULA_LIKE, quotes: false };

/** What PapaParse should see for one value: it formats numbers, booleans and dates itself. */
function cellValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint' || v instanceof Date) return v;
  return JSON.stringify(v);
}

/** The row as PapaParse should see it; copied only when a cell needs changing (most rows are
 * plain strings and finite numbers, and big exports have millions of them). */
function prepared(row: readonly unknown[]): readonly unknown[] {
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (cellValue(v) !== v) return row.map(cellValue);
  }
  return row;
}

/** A header and rows of cells → CSV text. `rows` may be a generator, so callers can stream. */
export function writeCsv(header: readonly string[], rows: Iterable<readonly unknown[]>, { bom = true }: CsvOptions = {}): string {
  const parts: string[] = [bom ? CSV_BOM : '', Papa.unparse([header.map(cellValue)], UNPARSE), CSV_NEWLINE];
  let chunk: (readonly unknown[])[] = [];
  const flush = () => {
    if (chunk.length) parts.push(Papa.unparse(chunk, UNPARSE), CSV_NEWLINE);
    chunk = [];
  };
  for (const row of rows) {
    chunk.push(prepared(row));
    if (chunk.length === CHUNK_ROWS) flush();
  }
  flush();
  return parts.join('');
}

/** Rows of objects → CSV with the given columns (default: every key, in first-seen order). */
export function toCsv(rows: readonly Record<string, unknown>[], columns?: readonly string[], options?: CsvOptions): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return writeCsv(cols, (function* () { for (const r of rows) yield cols.map((c) => r[c]); })(), options);
}
