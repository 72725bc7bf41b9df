// CSV parsing with PapaParse into a column-major table.
//
// The same incremental path serves three callers: `parseCsvText` (sync; tests, CLI, paste), the
// streaming worker (chunks of a File), and anything else that can hand over text in pieces.
// Rows are never kept as objects: each column is a growing Float64Array plus, while it is useful,
// a dictionary-encoded copy of its text (dates, regions, categories, ids).

import Papa from 'papaparse';
import { guessDecimal, MISSING, NumberParser, NUMBER } from './numbers';
import type { Issue, ParsedColumn, ParsedTable } from './types';

export interface ParseOptions {
  /** Force a delimiter instead of sniffing it. */
  delimiter?: string;
  /** Force the decimal separator. */
  decimal?: ',' | '.';
  /** Force header presence. */
  header?: boolean;
  /** Encoding label to record (text is already decoded). */
  encoding?: string;
  /** Size of the pieces fed to the parser (characters). */
  chunkChars?: number;
}

export interface SniffResult {
  delimiter: string;
  newline: '\n' | '\r\n' | '\r';
  decimal: ',' | '.';
  thousands: string | null;
  /** Lines before the header (titles, notes). */
  skipRecords: number;
  hasHeader: boolean;
  hadBom: boolean;
}

const DELIMITERS = [',', ';', '\t', '|'];

function detectNewline(sample: string): '\n' | '\r\n' | '\r' {
  // Outside quotes would be exact; the first line break is right for every file we have seen.
  const n = sample.indexOf('\n');
  const r = sample.indexOf('\r');
  if (r >= 0 && (n < 0 || r < n)) return n === r + 1 ? '\r\n' : '\r';
  return '\n';
}

function parseSample(sample: string, delimiter: string, newline: '\n' | '\r\n' | '\r', complete: boolean): string[][] {
  const parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' });
  const res = parser.parse(sample, 0, !complete) as { data: string[][] };
  return res.data.slice(0, 200);
}

function isBlankRecord(r: string[]): boolean {
  return r.length === 0 || (r.length === 1 && r[0].trim() === '');
}

function modeOf(values: number[]): number {
  const counts = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount || (c === bestCount && v > best)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

const DATE_LIKE = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}-?W\d{1,2})/i;

/** Sniff delimiter, line ending, decimal convention, preamble lines and header presence. */
export function sniff(text: string, complete: boolean, opts: ParseOptions = {}): SniffResult {
  let hadBom = false;
  if (text.charCodeAt(0) === 0xfeff) {
    hadBom = true;
    text = text.slice(1);
  }
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  const isComplete = complete && sample.length === text.length;
  const newline = detectNewline(sample);

  let delimiter = opts.delimiter ?? ',';
  if (!opts.delimiter) {
    let bestScore = -1;
    for (const d of DELIMITERS) {
      const recs = parseSample(sample, d, newline, isComplete).filter((r) => !isBlankRecord(r));
      if (recs.length === 0) continue;
      const counts = recs.map((r) => r.length);
      const mode = modeOf(counts);
      if (mode < 2) continue;
      const consistent = counts.filter((c) => c === mode).length / counts.length;
      // Consistency first, then more fields; ties go to the earlier (more common) delimiter.
      const score = consistent * 1000 + Math.min(mode, 200);
      if (score > bestScore + 1e-9) {
        bestScore = score;
        delimiter = d;
      }
    }
  }

  const recs = parseSample(sample, delimiter, newline, isComplete);
  // Preamble: leading records with fewer fields than the table (or blank) before the header.
  const nonBlank = recs.filter((r) => !isBlankRecord(r));
  const mode = nonBlank.length ? modeOf(nonBlank.map((r) => r.length)) : 1;
  let skipRecords = 0;
  while (skipRecords < recs.length && skipRecords < 50) {
    const r = recs[skipRecords];
    if (isBlankRecord(r) || (mode > 1 && r.length < Math.max(2, Math.ceil(mode / 2)))) skipRecords++;
    else break;
  }
  if (skipRecords >= recs.length) skipRecords = 0;

  const first = recs[skipRecords] ?? [];
  const dataCells: string[] = [];
  for (let i = skipRecords + 1; i < recs.length; i++) for (const c of recs[i]) dataCells.push(c);
  const dec = opts.decimal ? { decimal: opts.decimal, thousands: opts.decimal === ',' ? '.' : ',' } : guessDecimal(dataCells, delimiter);

  let hasHeader = true;
  if (opts.header !== undefined) hasHeader = opts.header;
  else {
    const np = new NumberParser(dec.decimal);
    let dataLike = 0;
    let nonEmpty = 0;
    for (const c of first) {
      const s = c.trim();
      if (!s) continue;
      nonEmpty++;
      np.parse(s);
      if (np.kind === NUMBER || DATE_LIKE.test(s)) dataLike++;
    }
    // A header has names; a first data row is mostly numbers and dates.
    hasHeader = !(nonEmpty > 0 && dataLike / nonEmpty >= 0.5 && recs.length > skipRecords + 1);
    if (nonEmpty > 0 && dataLike === nonEmpty) hasHeader = false;
  }
  return { delimiter, newline, decimal: dec.decimal, thousands: dec.thousands, skipRecords, hasHeader, hadBom };
}

// ---------------------------------------------------------------------------------------------

class GrowF64 {
  buf: Float64Array;
  length = 0;
  constructor(cap = 1024) {
    this.buf = new Float64Array(cap);
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const n = new Float64Array(this.buf.length * 2);
      n.set(this.buf);
      this.buf = n;
    }
    this.buf[this.length++] = v;
  }
  take(): Float64Array {
    return this.buf.slice(0, this.length);
  }
}

class GrowI32 {
  buf: Int32Array;
  length = 0;
  constructor(cap = 1024) {
    this.buf = new Int32Array(cap);
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const n = new Int32Array(this.buf.length * 2);
      n.set(this.buf);
      this.buf = n;
    }
    this.buf[this.length++] = v;
  }
  take(): Int32Array {
    return this.buf.slice(0, this.length);
  }
}

const DICT_LIMIT = 2000;
const SAMPLE_LIMIT = 12;

class ColumnBuilder {
  values = new GrowF64();
  codes: GrowI32 | null = new GrowI32();
  dictMap: Map<string, number> | null = new Map();
  dict: string[] = [];
  numericCount = 0;
  missingCount = 0;
  textCount = 0;
  textSamples: { row: number; text: string }[] = [];
  missingRows: number[] = [];
  allInteger = true;
  min = Infinity;
  max = -Infinity;
  constructor(readonly name: string) {}

  push(raw: string, row: number, np: NumberParser): void {
    const v = np.parse(raw);
    const kind = np.kind;
    this.values.push(v);
    if (kind === NUMBER) {
      this.numericCount++;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
      if (this.allInteger && !Number.isInteger(v)) this.allInteger = false;
    } else if (kind === MISSING) {
      this.missingCount++;
      if (this.missingRows.length < SAMPLE_LIMIT) this.missingRows.push(row);
    } else {
      this.textCount++;
      if (this.textSamples.length < SAMPLE_LIMIT) this.textSamples.push({ row, text: raw.length > 40 ? `${raw.slice(0, 40).replace(/[\r\n]+/g, ' ')}…` : raw });
    }
    if (this.codes) {
      if (kind === MISSING) this.codes.push(-1);
      else {
        const s = raw.trim();
        let code = this.dictMap!.get(s);
        if (code === undefined) {
          code = this.dict.length;
          this.dict.push(s);
          this.dictMap!.set(s, code);
          if (this.dict.length > DICT_LIMIT && this.textCount <= 0.02 * (this.textCount + this.numericCount)) {
            // Mostly numbers with many distinct values: the text copy is no longer worth keeping.
            this.codes = null;
            this.dictMap = null;
            this.dict = [];
            return;
          }
        }
        this.codes.push(code);
      }
    }
  }

  finish(): ParsedColumn {
    const hasCodes = this.codes !== null;
    return {
      name: this.name,
      values: this.values.take(),
      codes: hasCodes ? this.codes!.take() : null,
      dict: hasCodes ? this.dict : null,
      numericCount: this.numericCount,
      missingCount: this.missingCount,
      textCount: this.textCount,
      textSamples: this.textSamples,
      missingRows: this.missingRows,
      allInteger: this.allInteger,
      min: this.numericCount ? this.min : NaN,
      max: this.numericCount ? this.max : NaN,
    };
  }
}

/** Make header names usable: trim, strip BOM, name blanks like pandas, de-duplicate. */
function cleanHeader(raw: string[], issues: Issue[]): string[] {
  const out: string[] = [];
  const seen = new Map<string, number>();
  raw.forEach((h, i) => {
    let name = h.replace(/^\uFEFF/, '').replace(/[\r\n]+/g, ' ').trim();
    if (!name) {
      name = `Unnamed: ${i}`;
    }
    if (/^[=+@]/.test(name) || (/^-/.test(name) && !/^-?\d/.test(name))) {
      issues.push({
        code: 'FORMULA_LIKE_HEADER',
        severity: 'warning',
        column: name,
        rows: [1],
        message: `Column "${name}" starts with "${name[0]}", like a spreadsheet formula. The app treats it as plain text; exported CSVs prefix it with a quote so spreadsheets do not run it. Consider renaming it.`,
      });
    }
    const base = name;
    let n = seen.get(base) ?? 0;
    if (n > 0) {
      let candidate = `${base}_${n + 1}`;
      while (seen.has(candidate)) candidate = `${base}_${++n + 1}`;
      issues.push({
        code: 'DUPLICATE_COLUMN_NAME',
        severity: 'warning',
        column: candidate,
        rows: [1],
        message: `Column name "${base}" appears more than once; column ${i + 1} is renamed "${candidate}".`,
      });
      name = candidate;
    }
    seen.set(base, n + 1);
    seen.set(name, Math.max(seen.get(name) ?? 0, 1));
    out.push(name);
  });
  return out;
}

/**
 * Incremental CSV → column table. Feed text with `push(chunk)`, then `finish()`.
 * The first piece should be large enough to sniff (64 KB, or the whole text).
 */
export class CsvTableBuilder {
  private cfg: SniffResult | null = null;
  private pending = '';
  private parser: InstanceType<typeof Papa.Parser> | null = null;
  private recordNo = 0; // records seen (1-based row number of the last record)
  private columns: ColumnBuilder[] = [];
  private names: string[] | null = null;
  private np: NumberParser | null = null;
  private rowNumbers = new GrowI32();
  private issues: Issue[] = [];
  private raggedShort: number[] = [];
  private raggedShortCount = 0;
  private raggedLong: number[] = [];
  private raggedLongCount = 0;
  private blankLines = 0;
  private bytesSeen = 0;
  rowCount = 0;

  constructor(private readonly opts: ParseOptions = {}) {}

  get config(): SniffResult | null {
    return this.cfg;
  }

  /** Characters consumed so far. */
  get consumed(): number {
    return this.bytesSeen;
  }

  push(chunk: string, final = false): void {
    this.bytesSeen += chunk.length;
    let input = this.pending + chunk;
    if (!this.cfg) {
      if (!final && input.length < 65536) {
        this.pending = input;
        return;
      }
      this.cfg = sniff(input, final, this.opts);
      if (this.cfg.hadBom) input = input.slice(1);
      this.parser = new Papa.Parser({ delimiter: this.cfg.delimiter, newline: this.cfg.newline, quoteChar: '"' });
      this.np = new NumberParser(this.cfg.decimal);
    }
    if (input.length === 0) {
      this.pending = '';
      return;
    }
    const res = this.parser!.parse(input, 0, !final) as { data: string[][]; meta: { cursor: number }; errors: { type: string; code: string; row?: number }[] };
    for (const rec of res.data) this.record(rec);
    if (final) {
      this.pending = '';
      for (const e of res.errors) {
        if (e.code === 'MissingQuotes' && !this.issues.some((x) => x.code === 'UNCLOSED_QUOTE')) {
          const row = this.recordNo;
          this.issues.push({
            code: 'UNCLOSED_QUOTE',
            severity: 'error',
            rows: [row],
            message: `Row ${row} opens a quote (") that is never closed, so everything after it was read as one value and the rows after it are lost. Remove the stray quote or close it.`,
          });
        }
      }
    } else {
      this.pending = input.slice(res.meta.cursor);
    }
  }

  private record(rec: string[]): void {
    this.recordNo++;
    const row = this.recordNo;
    const cfg = this.cfg!;
    if (row <= cfg.skipRecords) return;
    if (!this.names) {
      if (isBlankRecord(rec)) return; // blank lines before the header
      if (cfg.hasHeader) {
        this.names = cleanHeader(rec, this.issues);
        this.columns = this.names.map((n) => new ColumnBuilder(n));
        return;
      }
      this.names = rec.map((_, i) => `column_${i + 1}`);
      this.columns = this.names.map((n) => new ColumnBuilder(n));
      this.issues.push({
        code: 'NO_HEADER',
        severity: 'warning',
        rows: [row],
        message: `Row ${row} holds numbers or dates, not column names, so the file has no header row. Columns are named column_1 … column_${rec.length}; rename them in the mapping or add a header.`,
      });
    }
    if (isBlankRecord(rec)) {
      this.blankLines++;
      return;
    }
    const ncol = this.columns.length;
    let n = rec.length;
    if (n > ncol) {
      // Trailing empty fields (a trailing delimiter) are harmless.
      let extraNonEmpty = false;
      for (let i = ncol; i < n; i++) if (rec[i].trim() !== '') extraNonEmpty = true;
      if (extraNonEmpty) {
        this.raggedLongCount++;
        if (this.raggedLong.length < SAMPLE_LIMIT) this.raggedLong.push(row);
      }
      n = ncol;
    } else if (n < ncol) {
      this.raggedShortCount++;
      if (this.raggedShort.length < SAMPLE_LIMIT) this.raggedShort.push(row);
    }
    const np = this.np!;
    for (let i = 0; i < n; i++) this.columns[i].push(rec[i], row, np);
    for (let i = n; i < ncol; i++) this.columns[i].push('', row, np);
    this.rowNumbers.push(row);
    this.rowCount++;
  }

  finish(): ParsedTable {
    if (!this.cfg || this.pending.length > 0) this.push('', true);
    const cfg = this.cfg!;
    const issues = this.issues;
    if (this.raggedShortCount > 0) {
      issues.push({
        code: 'RAGGED_ROWS_SHORT',
        severity: 'warning',
        rows: this.raggedShort,
        message: `${this.raggedShortCount} row(s) have fewer fields than the header (${this.columns.length}); e.g. row ${this.raggedShort[0]}. Their missing cells are treated as empty.`,
      });
    }
    if (this.raggedLongCount > 0) {
      issues.push({
        code: 'RAGGED_ROWS_LONG',
        severity: 'warning',
        rows: this.raggedLong,
        message: `${this.raggedLongCount} row(s) have more fields than the header (${this.columns.length}); e.g. row ${this.raggedLong[0]}. The extra values are dropped — check for unquoted delimiters inside values.`,
      });
    }
    if (cfg.skipRecords > 0) {
      issues.push({
        code: 'PREAMBLE_SKIPPED',
        severity: 'info',
        rows: Array.from({ length: Math.min(cfg.skipRecords, SAMPLE_LIMIT) }, (_, i) => i + 1),
        message: `The first ${cfg.skipRecords} line(s) are not part of the table (titles or notes) and are skipped; the header is row ${cfg.skipRecords + 1}.`,
      });
    }
    if (cfg.hadBom) {
      issues.push({ code: 'BOM', severity: 'info', message: 'The file starts with a byte-order mark; it is removed.' });
    }
    if (cfg.decimal === ',') {
      issues.push({
        code: 'DECIMAL_COMMA',
        severity: 'info',
        message: `Numbers use a decimal comma${cfg.thousands ? ` and "${cfg.thousands}" between thousands` : ''}; they are read accordingly.`,
      });
    }
    const names = this.names ?? [];
    return {
      columns: names,
      rowCount: this.rowCount,
      data: this.columns.map((c) => c.finish()),
      sourceRows: this.rowNumbers.take(),
      delimiter: cfg.delimiter,
      decimal: cfg.decimal,
      thousands: cfg.thousands,
      newline: cfg.newline,
      hadBom: cfg.hadBom,
      encoding: this.opts.encoding ?? 'utf-8',
      skippedLines: cfg.skipRecords,
      hasHeader: cfg.hasHeader,
      issues,
    };
  }
}

/** Parse CSV text synchronously (small and medium inputs, CLI, tests, pasted text). */
export function parseCsvText(text: string, opts: ParseOptions = {}): ParsedTable {
  const b = new CsvTableBuilder(opts);
  const step = opts.chunkChars ?? 4 * 1024 * 1024;
  if (text.length <= step) b.push(text, true);
  else {
    for (let i = 0; i < text.length; i += step) b.push(text.slice(i, i + step), i + step >= text.length);
  }
  return b.finish();
}

/**
 * Decode file bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (a superset
 * of Latin-1), which is what spreadsheets on Windows write.
 */
export function decodeBytes(bytes: Uint8Array): { text: string; encoding: string; issues: Issue[] } {
  const issues: Issue[] = [];
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le', issues };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be', issues };
  }
  try {
    // ignoreBOM: keep the BOM in the text so the parser can report it.
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return { text, encoding: 'utf-8', issues };
  } catch {
    const text = new TextDecoder('windows-1252').decode(bytes);
    issues.push({
      code: 'NOT_UTF8',
      severity: 'warning',
      message: 'The file is not valid UTF-8; it was read as Windows-1252 (Latin-1). Check that accented names look right.',
    });
    return { text, encoding: 'windows-1252', issues };
  }
}

/** True when a prefix of a file is valid UTF-8 (allowing a multi-byte character cut at the end). */
export function looksUtf8(prefix: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(prefix, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Parse file bytes (CLI, tests): decode, then parse. */
export function parseCsvBytes(bytes: Uint8Array, opts: ParseOptions = {}): ParsedTable {
  const d = decodeBytes(bytes);
  const t = parseCsvText(d.text, { ...opts, encoding: d.encoding });
  t.issues.unshift(...d.issues);
  return t;
}
