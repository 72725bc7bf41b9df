// Shared types of the ingest layer (CSV → ParsedTable → schema inference → validation → Panel).
// Pure data; no DOM, no Node APIs. Used by the app (browser, worker) and the CLI (Node).
import type { DisplayUnits } from '../format/number';

export type Role =
  | 'time'
  | 'region'
  | 'kpi'
  | 'media_spend'
  | 'media_activity'
  | 'control'
  | 'ignore'
  | 'revenue_per_kpi';

export type ColumnKind = 'numeric' | 'text' | 'date' | 'integer-id';

export interface ColumnGuess {
  column: string;
  role: Role;
  /** Channel name for media columns (spend and activity of one channel share it). */
  channel?: string;
  /** 0..1 */
  confidence: number;
  /** Why, in words a marketer understands. */
  reason: string;
  kind: ColumnKind;
  /** Set on a text column that is encoded as dummy controls: the column itself (see Mapping.dummies). */
  dummyOf?: string;
  /** Reach/frequency pair members: the part this column plays in a channel. */
  rf?: 'reach' | 'frequency';
}

export interface ChannelMapping {
  name: string;
  /** Spend column, or null (activity-only / organic channel). */
  spend: string | null;
  /** Activity column (impressions, clicks, GRPs…), or null. */
  activity: string | null;
  /** Reach and frequency columns; when activity is null the activity is reach × frequency. */
  reach?: string | null;
  frequency?: string | null;
}

export interface Mapping {
  time: string;
  region: string | null;
  kpi: string;
  channels: ChannelMapping[];
  /** Control column names, after dummy encoding (a dummy is named `column=level`). */
  controls: string[];
  ignored: string[];
  revenuePerKpi?: string | null;
  /** Text column → the levels encoded as 0/1 controls (see dummyLevels in infer.ts for the reference level). */
  dummies?: Record<string, string[]>;
  /** Day/month order of slash or dot dates whose order the values leave open (no number above 12). */
  dateOrder?: DateOrder | null;
  /** Currency of spend and unit of the KPI, for figures (set in the Results tab). */
  units?: DisplayUnits;
}

export type DateOrder = 'dmy' | 'mdy';

/** How the day/month order of ambiguous dates was chosen (shown next to the override in the mapping). */
export interface DateOrderChoice {
  column: string;
  chosen: DateOrder;
  /** Why this order, in words. */
  why: string;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Issue {
  code: string;
  severity: Severity;
  message: string;
  column?: string;
  /** 1-based row numbers as in the file: the header is row 1, the first data row is row 2. */
  rows?: number[];
}

export interface BadCell {
  row: number;
  text: string;
}

/** One column of a parsed table, column-major. */
export interface ParsedColumn {
  name: string;
  /** Numeric value of every row; NaN where the cell is empty, a missing token or not a number. */
  values: Float64Array;
  /**
   * Dictionary-encoded text of every row (codes index `dict`, -1 = empty/missing token), kept for
   * columns with text or few distinct values; null for high-cardinality numeric columns.
   */
  codes: Int32Array | null;
  dict: string[] | null;
  /** Non-empty cells that parsed as numbers. */
  numericCount: number;
  /** Empty cells or missing tokens (NA, NaN, null, -, …). */
  missingCount: number;
  /** Non-empty cells that are not numbers. */
  textCount: number;
  /** First few non-numeric cells (row numbers as in the file). */
  textSamples: BadCell[];
  /** First few missing cells (row numbers). */
  missingRows: number[];
  /** All numeric values are integers. */
  allInteger: boolean;
  min: number;
  max: number;
}

export interface ParsedTable {
  columns: string[];
  rowCount: number;
  /** Column-major data, same order as `columns`. */
  data: ParsedColumn[];
  /** File row number (header = 1) of every data row. */
  sourceRows: Int32Array;
  delimiter: string;
  decimal: ',' | '.';
  thousands: string | null;
  newline: string;
  hadBom: boolean;
  encoding: string;
  /** Number of leading lines skipped before the header (titles, notes). */
  skippedLines: number;
  hasHeader: boolean;
  /** Problems found while parsing (ragged rows, renamed headers, encoding, …). */
  issues: Issue[];
}

export type Frequency = 'weekly' | 'daily' | 'unknown';

/** A small summary of a column for the mapping UI (sparkline, range, categories). */
export interface ColumnProfile {
  column: string;
  /** Up to 80 points: the column averaged per time step (or per row bin when there is no time). */
  spark: number[];
  min: number;
  max: number;
  missing: number;
  nonNumeric: number;
  distinct: number | null;
  /** Most common text values (text columns), most common first, at most 20. */
  levels?: { level: string; count: number }[];
}

export interface Inference {
  guesses: ColumnGuess[];
  mapping: Mapping;
  frequency: Frequency;
  issues: Issue[];
  /** Same order as guesses. */
  profiles: ColumnProfile[];
  /** Set when the time column's day/month order is ambiguous. */
  dateOrder?: DateOrderChoice | null;
}

export interface PanelShape {
  regions: number;
  weeks: number;
  channels: number;
  controls: number;
}

export interface ValidationReport {
  shape: PanelShape;
  dateRange: { start: string; end: string } | null;
  frequency: Frequency;
  errors: Issue[];
  warnings: Issue[];
  infos: Issue[];
  canTrain: boolean;
  /** One line per blocking error, for a summary. */
  blocking: string[];
}

export interface FillStats {
  /** (region, week) cells with no row in the file. */
  missingCells: number;
  /** Media cells set to 0 (missing rows, empty or non-numeric cells). */
  mediaZeroFilled: number;
  /** KPI cells carried forward/back. */
  kpiFilled: number;
  /** Control cells carried forward/back (or set to 0 when the region has no value at all). */
  controlFilled: number;
  /** Controls left out because they are constant. */
  droppedControls: string[];
  /** Rows skipped (unparseable time, partial weeks after aggregation, …). */
  skippedRows: number;
  /** True when daily rows were summed into weeks. */
  aggregatedFromDaily: boolean;
}

export interface PanelData {
  regions: number;
  weeks: number;
  channels: number;
  controls: number;
  /** [(r*weeks+t)*channels+c]: spend when the channel has spend, else its activity. */
  media: Float32Array;
  /** Same layout; 0 for channels without spend; null when no channel has spend. */
  spend: Float32Array | null;
  /** [(r*weeks+t)*controls+k] */
  controlValues: Float32Array;
  /** [r*weeks+t] */
  kpi: Float32Array;
  /** [r*weeks+t] revenue per KPI unit, when mapped. */
  revenuePerKpi: Float32Array | null;
  regionNames: string[];
  channelNames: string[];
  controlNames: string[];
  /** ISO yyyy-mm-dd of each week, or week ids as text. */
  dates: string[];
  /** 1..53 */
  weekOfYear: Int32Array;
  mediaKind: ('spend' | 'activity')[];
  fill: FillStats;
}

export class IngestError extends Error {
  readonly code: string;
  readonly issues: Issue[];
  constructor(code: string, message: string, issues: Issue[] = []) {
    super(message);
    this.name = 'IngestError';
    this.code = code;
    this.issues = issues;
  }
}
