// The experiments file (lift tests to calibrate the fit to) and the ROI-priors file: CSV text →
// the core's Experiment / RoiPrior (indices into the panel), with one message per problem naming
// the row (spreadsheet numbering: the header is row 1), the column, what is wrong and how to fix it.
// The core checks the same rules again (fit_config.cpp validate_calibration); checking here first
// lets the app show every problem in a table and the CLI refuse a bad file before a long fit.
import Papa from 'papaparse';
import leven from 'leven';
import type { Experiment, RoiPrior } from '../engine/core-types';
import { parseDateWith, type DateFormat } from '../ingest/dates';

/** What the files are checked against: the mapped panel's names, weeks and spend. */
export interface CalibrationPanel {
  regions: number;
  weeks: number;
  channels: number;
  channelNames: string[];
  regionNames: string[];
  /** ISO yyyy-mm-dd of each week, or week ids as text (PanelData.dates). */
  dates: string[];
  /** [(r*weeks+t)*channels+c]; null when no channel has spend. */
  spend: Float32Array | null;
}

export interface FileMessage {
  /** Spreadsheet row (header = 1); null for the file as a whole. */
  row: number | null;
  column?: string;
  message: string;
}

export interface ParsedExperiment {
  row: number;
  channel: string;
  start: string;
  end: string;
  /** Region names as the panel spells them; empty = all regions. */
  regions: string[];
  kind: 'lift' | 'roi';
  value: number;
  se: number;
  experiment: Experiment;
}

export interface ParsedPrior {
  row: number;
  channel: string;
  prior: RoiPrior;
}

export interface ExperimentsCheck {
  experiments: ParsedExperiment[];
  errors: FileMessage[];
}

export interface PriorsCheck {
  priors: ParsedPrior[];
  errors: FileMessage[];
}

export interface ExperimentsFileOptions {
  /** Weeks the fit holds out at the end (a test there could not inform the fit); default 13, the core's. */
  holdoutWeeks?: number;
  /** Format of the data's time column, so dates may be written the same way (e.g. 'dmy'). */
  timeFormat?: DateFormat | null;
}

export const EXPERIMENT_COLUMNS = ['channel', 'start', 'end', 'regions', 'lift', 'lift_se', 'roi', 'roi_se', 'readout_weeks'] as const;
/** The readout of a test that counts the carryover after it: at most this many weeks (the core's cap). */
export const MAX_READOUT_WEEKS = 26;
export const PRIOR_COLUMNS = ['channel', 'roi_mean', 'roi_sd'] as const;
const DEFAULT_HOLDOUT_WEEKS = 13;

/** Header cells lower-cased and trimmed; the column names are not case-sensitive. */
interface Table {
  header: string[];
  rows: string[][];
}

function readTable(text: string, what: string, known: readonly string[], required: readonly string[]): { table: Table | null; errors: FileMessage[] } {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const cells = parsed.data;
  if (!cells.length) return { table: null, errors: [{ row: null, message: `the ${what} file is empty; it needs a header row (${known.join(', ')}) and one row per ${what === 'experiments' ? 'test' : 'channel'}` }] };
  const header = cells[0].map((c) => c.trim().toLowerCase());
  const errors: FileMessage[] = [];
  for (const col of header) {
    if (known.includes(col)) continue;
    const near = nearest(col, known);
    errors.push({ row: 1, column: col, message: `unknown column '${col}'${near ? `; did you mean '${near}'?` : ''} (the columns are ${known.join(', ')})` });
  }
  for (const col of required)
    if (!header.includes(col)) errors.push({ row: 1, column: col, message: `the ${what} file has no '${col}' column (the header row must name ${required.join(', ')})` });
  if (errors.length) return { table: null, errors };
  if (cells.length === 1) return { table: null, errors: [{ row: null, message: `the ${what} file has a header but no rows` }] };
  return { table: { header, rows: cells.slice(1) }, errors };
}

/** The closest of `names` to `s` when it is close enough to be a likely misspelling. */
function nearest(s: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const n of names) {
    const d = leven(s.toLowerCase(), n.toLowerCase());
    if (d < bestDistance) (best = n), (bestDistance = d);
  }
  return bestDistance <= Math.max(2, Math.floor(s.length / 3)) ? best : undefined;
}

/** Loose spelling for names: case, spaces, underscores and hyphens do not matter ("Paid search" = "paid_search"). */
const loose = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** The channel's index, or a message naming the nearest channel. */
function channelIndex(name: string, panel: CalibrationPanel): number | string {
  if (!name) return `no channel given; use one of ${panel.channelNames.join(', ')}`;
  let i = panel.channelNames.indexOf(name);
  if (i < 0) i = panel.channelNames.findIndex((c) => loose(c) === loose(name));
  if (i >= 0) return i;
  const near = nearest(name, panel.channelNames);
  return `unknown channel '${name}'${near ? `; did you mean '${near}'?` : ''} (the channels are ${panel.channelNames.join(', ')})`;
}

/** A cell as a number: undefined when empty, NaN when it is not a number. */
function numberCell(s: string | undefined): number | undefined {
  const t = (s ?? '').trim();
  if (t === '') return undefined;
  return Number(t);
}

/** Week index of a date written as the data's own week label, an ISO date or in the time column's
 * format: the week that contains the day. A message when it cannot be read or is outside the data. */
export function weekOfDate(text: string, panel: CalibrationPanel, timeFormat?: DateFormat | null): number | string {
  const s = text.trim();
  if (!s) return 'no date given';
  const exact = panel.dates.indexOf(s);
  if (exact >= 0) return exact;
  const first = panel.dates[0];
  const last = panel.dates[panel.dates.length - 1];
  const range = `the data runs from ${first} to ${last}`;
  const panelDays = panel.dates.map((d) => parseDateWith(d, 'iso'));
  if (panelDays.some((d) => Number.isNaN(d))) {
    // Week ids: only the ids themselves identify a week.
    return Number.isInteger(Number(s)) ? `week ${s} is outside the data (${range})` : `'${s}' is not one of the data's weeks (${range})`;
  }
  let day = parseDateWith(s, 'iso');
  if (Number.isNaN(day) && timeFormat && timeFormat !== 'week-id') day = parseDateWith(s, timeFormat);
  if (Number.isNaN(day)) return `cannot read the date '${s}'; write it as yyyy-mm-dd (e.g. ${first}) or like the data's time column`;
  const step = panelDays.length > 1 ? panelDays[1] - panelDays[0] : 7;
  if (day < panelDays[0] || day >= panelDays[panelDays.length - 1] + step) return `the date ${s} is outside the data (${range})`;
  let t = 0;
  while (t + 1 < panelDays.length && panelDays[t + 1] <= day) t++;
  return t;
}

/** Spend of channel c in the regions and weeks of a window (0 without spend). */
function windowSpend(panel: CalibrationPanel, c: number, start: number, end: number, regions: number[]): number {
  if (!panel.spend) return 0;
  const rs = regions.length ? regions : Array.from({ length: panel.regions }, (_, r) => r);
  let s = 0;
  for (const r of rs) for (let t = start; t <= end; t++) s += panel.spend[(r * panel.weeks + t) * panel.channels + c];
  return s;
}

/** Checks an experiments file against the panel. Every problem is reported (not only the first). */
export function parseExperimentsCsv(text: string, panel: CalibrationPanel, options: ExperimentsFileOptions = {}): ExperimentsCheck {
  const { table, errors } = readTable(text, 'experiments', EXPERIMENT_COLUMNS, ['channel', 'start', 'end']);
  if (!table) return { experiments: [], errors };
  const holdout = Math.max(0, Math.min(options.holdoutWeeks ?? DEFAULT_HOLDOUT_WEEKS, panel.weeks));
  const trainWeeks = panel.weeks - holdout;
  const experiments: ParsedExperiment[] = [];
  const col = (cells: string[], name: string) => (table.header.includes(name) ? (cells[table.header.indexOf(name)] ?? '').trim() : '');
  table.rows.forEach((cells, i) => {
    const row = i + 2;
    const rowErrors: FileMessage[] = [];
    const fail = (column: string, message: string) => rowErrors.push({ row, column, message: `row ${row}: ${message}` });
    const channelName = col(cells, 'channel');
    const channel = channelIndex(channelName, panel);
    if (typeof channel === 'string') fail('channel', channel);
    const start = weekOfDate(col(cells, 'start'), panel, options.timeFormat);
    const end = weekOfDate(col(cells, 'end'), panel, options.timeFormat);
    if (typeof start === 'string') fail('start', `start: ${start}`);
    if (typeof end === 'string') fail('end', `end: ${end}`);
    if (typeof start === 'number' && typeof end === 'number') {
      if (end < start) fail('end', `the end (${col(cells, 'end')}) is before the start (${col(cells, 'start')}); swap them`);
      else if (end >= trainWeeks)
        fail('end', `the test runs until ${panel.dates[end]}, into the ${holdout} holdout weeks (from ${panel.dates[trainWeeks] ?? 'the start'}), which must stay unseen by the fit; end it before ${panel.dates[trainWeeks]}, shorten the holdout, or leave the test out`);
    }
    const regionText = col(cells, 'regions');
    const regions: number[] = [];
    const regionNames: string[] = [];
    if (regionText && loose(regionText) !== 'all') {
      for (const name of regionText.split(/[;|]/).map((s) => s.trim()).filter(Boolean)) {
        let r = panel.regionNames.indexOf(name);
        if (r < 0) r = panel.regionNames.findIndex((n) => loose(n) === loose(name));
        if (r < 0) {
          const near = nearest(name, panel.regionNames);
          fail('regions', `unknown region '${name}'${near ? `; did you mean '${near}'?` : ''} (separate regions with ';' or '|')`);
        } else if (!regions.includes(r)) (regions.push(r), regionNames.push(panel.regionNames[r]));
      }
    }
    const lift = numberCell(col(cells, 'lift'));
    const liftSe = numberCell(col(cells, 'lift_se'));
    const roi = numberCell(col(cells, 'roi'));
    const roiSe = numberCell(col(cells, 'roi_se'));
    for (const [name, v] of [['lift', lift], ['lift_se', liftSe], ['roi', roi], ['roi_se', roiSe]] as const)
      if (v !== undefined && !Number.isFinite(v)) fail(name, `${name} '${col(cells, name)}' is not a number`);
    let kind: 'lift' | 'roi' | null = null;
    if (lift !== undefined && roi !== undefined) fail('lift', 'gives both a lift and an ROI; give one of them (with its standard error)');
    else if (lift === undefined && roi === undefined) fail('lift', 'gives neither a lift nor an ROI; fill lift and lift_se (incremental KPI over the test) or roi and roi_se');
    else kind = lift !== undefined ? 'lift' : 'roi';
    // readout_weeks: how many weeks after the test's last week its measured lift includes (a cooldown).
    // Empty = the whole carryover of the switched-off spend, as the model counts it by default.
    const readoutText = col(cells, 'readout_weeks');
    const readoutWeeks = numberCell(readoutText);
    if (readoutWeeks !== undefined && !(Number.isInteger(readoutWeeks) && readoutWeeks >= 0 && readoutWeeks <= MAX_READOUT_WEEKS))
      fail('readout_weeks', `readout_weeks '${readoutText}' must be a whole number of weeks from 0 to ${MAX_READOUT_WEEKS} (the weeks after the test's end that its lift includes; 0 = the test weeks only, empty = until the carryover fades)`);
    const seName = kind === 'roi' ? 'roi_se' : 'lift_se';
    const se = kind === 'roi' ? roiSe : liftSe;
    if (kind && se === undefined) fail(seName, `${seName} is missing; give the test's standard error (a positive number)`);
    else if (kind && Number.isFinite(se) && !(se! > 0)) fail(seName, `${seName} is ${se}; a standard error must be positive`);
    if (kind === 'roi' && typeof channel === 'number' && typeof start === 'number' && typeof end === 'number' && end >= start) {
      const spend = windowSpend(panel, channel, start, end, regions);
      if (!(spend > 0))
        fail('roi', `gives an ROI, but ${panel.channelNames[channel]} has no spend in the test's regions and weeks${panel.spend ? '' : ' (the data maps no spend)'}; give the lift instead, or map the channel's spend`);
    }
    errors.push(...rowErrors);
    if (rowErrors.length || typeof channel !== 'number' || typeof start !== 'number' || typeof end !== 'number' || !kind) return;
    const value = (kind === 'lift' ? lift : roi)!;
    const experiment: Experiment = {
      channel, startWeek: start, endWeek: end, ...(regions.length ? { regions } : {}), ...(kind === 'lift' ? { lift: value, liftSe: se } : { roi: value, roiSe: se }),
      ...(readoutWeeks !== undefined ? { readoutWeeks } : {}),
    };
    experiments.push({ row, channel: panel.channelNames[channel], start: panel.dates[start], end: panel.dates[end], regions: regionNames, kind, value, se: se!, experiment });
  });
  return { experiments, errors };
}

/** Checks a priors file (channel, roi_mean, roi_sd) against the panel. */
export function parsePriorsCsv(text: string, panel: CalibrationPanel): PriorsCheck {
  const { table, errors } = readTable(text, 'priors', PRIOR_COLUMNS, PRIOR_COLUMNS);
  if (!table) return { priors: [], errors };
  const priors: ParsedPrior[] = [];
  const seen = new Map<number, number>();
  const col = (cells: string[], name: string) => (cells[table.header.indexOf(name)] ?? '').trim();
  table.rows.forEach((cells, i) => {
    const row = i + 2;
    const before = errors.length;
    const fail = (column: string, message: string) => errors.push({ row, column, message: `row ${row}: ${message}` });
    const name = col(cells, 'channel');
    const channel = channelIndex(name, panel);
    if (typeof channel === 'string') fail('channel', channel);
    else if (seen.has(channel)) fail('channel', `${panel.channelNames[channel]} already has a prior (row ${seen.get(channel)}); give one prior per channel`);
    else {
      seen.set(channel, row);
      if (!hasSpend(panel, channel)) fail('channel', `${panel.channelNames[channel]} has no spend${panel.spend ? '' : ' (the data maps no spend)'}, so it has no ROI; map its spend column or leave it out`);
    }
    const mean = numberCell(col(cells, 'roi_mean'));
    const sd = numberCell(col(cells, 'roi_sd'));
    if (mean === undefined) fail('roi_mean', 'roi_mean is missing; give the ROI you expect (KPI per unit of spend, 0 or more)');
    else if (!Number.isFinite(mean)) fail('roi_mean', `roi_mean '${col(cells, 'roi_mean')}' is not a number`);
    else if (mean < 0) fail('roi_mean', `roi_mean is ${mean}; an ROI prior must be 0 or more`);
    if (sd === undefined) fail('roi_sd', 'roi_sd is missing; give the spread of your belief (a positive number)');
    else if (!Number.isFinite(sd)) fail('roi_sd', `roi_sd '${col(cells, 'roi_sd')}' is not a number`);
    else if (!(sd > 0)) fail('roi_sd', `roi_sd is ${sd}; the spread must be positive`);
    if (errors.length === before && typeof channel === 'number') priors.push({ row, channel: panel.channelNames[channel], prior: { channel, mean: mean!, sd: sd! } });
  });
  return { priors, errors };
}

function hasSpend(panel: CalibrationPanel, c: number): boolean {
  if (!panel.spend) return false;
  for (let i = c; i < panel.spend.length; i += panel.channels) if (panel.spend[i] > 0) return true;
  return false;
}

/** One line per problem, for the CLI and the app's summary. */
export function describeErrors(file: string, errors: FileMessage[]): string {
  return errors.map((e) => `${file}: ${e.message}`).join('\n');
}
