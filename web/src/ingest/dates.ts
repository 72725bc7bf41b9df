// Date recognition for the time column: ISO dates (with optional time), slashed/dotted US and EU
// dates, compact yyyymmdd, month names, ISO weeks (2024-W05) and integer week ids.
// Dates become day numbers (days since 1970-01-01, UTC) so arithmetic is exact.

export type DateFormat =
  | 'iso' // yyyy-mm-dd, yyyy/mm/dd, yyyy.mm.dd (+ time)
  | 'mdy' // mm/dd/yyyy
  | 'dmy' // dd/mm/yyyy, dd.mm.yyyy
  | 'ymd-compact' // yyyymmdd
  | 'month-name' // 5 Jan 2024, Jan 5 2024, 05-Jan-2024
  | 'iso-week' // 2024-W05, 2024W05, 2024-W05-1
  | 'week-id'; // integers 1..n

export const DAY_MS = 86_400_000;

export function dayNumber(y: number, m: number, d: number): number {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1000 || y > 9999) return NaN;
  const t = Date.UTC(y, m - 1, d);
  const dt = new Date(t);
  if (dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return NaN; // 31 Feb etc.
  return Math.round(t / DAY_MS);
}

export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday */
export function weekday(day: number): number {
  // 1970-01-01 was a Thursday (3).
  return (((day + 3) % 7) + 7) % 7;
}

/** ISO-8601 week number (1..53) of a day. */
export function isoWeekOfYear(day: number): number {
  const thursday = day - weekday(day) + 3;
  const y = new Date(thursday * DAY_MS).getUTCFullYear();
  const jan1 = Math.round(Date.UTC(y, 0, 1) / DAY_MS);
  return Math.floor((thursday - jan1) / 7) + 1;
}

/** Monday of ISO week `w` of ISO year `y`. */
export function isoWeekStart(y: number, w: number): number {
  if (w < 1 || w > 53) return NaN;
  const jan4 = Math.round(Date.UTC(y, 0, 4) / DAY_MS);
  const week1Monday = jan4 - weekday(jan4);
  const d = week1Monday + (w - 1) * 7;
  if (w === 53 && isoWeekOfYear(d) !== 53) return NaN;
  return d;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
  // A few common non-English abbreviations.
  mrz: 3, mär: 3, mai: 5, okt: 10, dez: 12, janv: 1, févr: 2, avr: 4, juin: 6, juil: 7, août: 8, déc: 12, ene: 1, abr: 4, ago: 8, dic: 12,
};

const RE_ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const RE_SLASH = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?)?$/;
const RE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const RE_WEEK = /^(\d{4})-?W(\d{1,2})(?:-?([1-7]))?$/i;
const RE_MONTH_A = /^(\d{1,2})[\s-]+([A-Za-zäéû]{3,9})\.?[\s-,]+(\d{2}|\d{4})$/; // 5 Jan 2024, 05-Jan-24
const RE_MONTH_B = /^([A-Za-zäéû]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/; // Jan 5, 2024

function year2(y: number, s: string): number {
  if (s.length === 2) return y < 70 ? 2000 + y : 1900 + y;
  return y;
}

export interface DateCandidate {
  format: DateFormat;
  /** Day numbers (or week ids for 'week-id'); NaN where a value could not be read. */
  days: Float64Array;
  parsed: number;
  failed: number;
  /** For slashed dates: why day/month order was chosen. */
  note?: string;
}

/**
 * Try to read a column of strings as dates. Returns null when fewer than `minShare` of the
 * non-empty values parse. Text values are given through a dictionary (codes + dict) so each
 * distinct string is parsed once.
 */
export function parseDateColumn(
  codes: Int32Array,
  dict: string[],
  opts: { minShare?: number; preferDayFirst?: boolean; ambiguousOrder?: 'dmy' | 'mdy' | null } = {},
): DateCandidate | null {
  const minShare = opts.minShare ?? 0.9;
  const n = dict.length;
  if (n === 0) return null;
  // Classify each distinct value.
  let iso = 0, slash = 0, compact = 0, week = 0, month = 0;
  let firstOver12 = false, secondOver12 = false;
  for (const raw of dict) {
    const s = raw.trim();
    let m: RegExpExecArray | null;
    if (RE_ISO.test(s)) iso++;
    else if ((m = RE_SLASH.exec(s))) {
      slash++;
      if (+m[1] > 12) firstOver12 = true;
      if (+m[2] > 12) secondOver12 = true;
    } else if (RE_WEEK.test(s)) week++;
    else if (RE_COMPACT.test(s)) compact++;
    else if (RE_MONTH_A.test(s) || RE_MONTH_B.test(s)) month++;
  }
  const best = Math.max(iso, slash, compact, week, month);
  if (best === 0 || best < minShare * n) return null;
  let format: DateFormat;
  let note: string | undefined;
  if (best === iso) format = 'iso';
  else if (best === week) format = 'iso-week';
  else if (best === slash) {
    if (firstOver12 && !secondOver12) {
      format = 'dmy';
      note = 'day first (a first number above 12 was found)';
    } else if (secondOver12 && !firstOver12) {
      format = 'mdy';
      note = 'month first (a second number above 12 was found)';
    } else if (firstOver12 && secondOver12) {
      return null;
    } else {
      format = opts.ambiguousOrder ?? (opts.preferDayFirst ? 'dmy' : 'mdy');
      note = `ambiguous day/month order; ${format === 'dmy' ? 'day' : 'month'} first ${opts.ambiguousOrder ? 'chosen' : 'assumed'}`;
    }
  } else if (best === compact) format = 'ymd-compact';
  else format = 'month-name';

  const dictDays = new Float64Array(n);
  for (let i = 0; i < n; i++) dictDays[i] = parseDateWith(dict[i].trim(), format);
  const days = new Float64Array(codes.length);
  let parsed = 0, failed = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c < 0) {
      days[i] = NaN;
      continue;
    }
    const d = dictDays[c];
    days[i] = d;
    if (Number.isNaN(d)) failed++;
    else parsed++;
  }
  if (parsed === 0 || parsed < minShare * (parsed + failed)) return null;
  return { format, days, parsed, failed, note };
}

export function parseDateWith(s: string, format: DateFormat): number {
  let m: RegExpExecArray | null;
  switch (format) {
    case 'iso':
      if ((m = RE_ISO.exec(s))) return dayNumber(+m[1], +m[2], +m[3]);
      return NaN;
    case 'mdy':
      if ((m = RE_SLASH.exec(s))) return dayNumber(year2(+m[3], m[3]), +m[1], +m[2]);
      return NaN;
    case 'dmy':
      if ((m = RE_SLASH.exec(s))) return dayNumber(year2(+m[3], m[3]), +m[2], +m[1]);
      return NaN;
    case 'ymd-compact':
      if ((m = RE_COMPACT.exec(s))) return dayNumber(+m[1], +m[2], +m[3]);
      return NaN;
    case 'iso-week':
      if ((m = RE_WEEK.exec(s))) {
        const start = isoWeekStart(+m[1], +m[2]);
        return m[3] ? start + (+m[3] - 1) : start;
      }
      return NaN;
    case 'month-name': {
      if ((m = RE_MONTH_A.exec(s))) {
        const mo = MONTHS[m[2].toLowerCase()];
        return mo ? dayNumber(year2(+m[3], m[3]), mo, +m[1]) : NaN;
      }
      if ((m = RE_MONTH_B.exec(s))) {
        const mo = MONTHS[m[1].toLowerCase()];
        return mo ? dayNumber(+m[3], mo, +m[2]) : NaN;
      }
      return NaN;
    }
    case 'week-id': {
      const v = Number(s);
      return Number.isInteger(v) ? v : NaN;
    }
  }
}

/** Read an integer column of yyyymmdd values as dates, when every value is a valid date. */
export function compactIntDates(values: Float64Array): Float64Array | null {
  const out = new Float64Array(values.length);
  let ok = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      out[i] = NaN;
      continue;
    }
    if (!Number.isInteger(v) || v < 19000101 || v > 21001231) return null;
    const d = dayNumber(Math.floor(v / 10000), Math.floor(v / 100) % 100, v % 100);
    if (Number.isNaN(d)) return null;
    out[i] = d;
    ok++;
  }
  return ok > 0 ? out : null;
}

/** Median of the positive gaps between sorted distinct values. */
export function medianStep(sortedDistinct: number[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < sortedDistinct.length; i++) gaps.push(sortedDistinct[i] - sortedDistinct[i - 1]);
  if (gaps.length === 0) return NaN;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)];
}
