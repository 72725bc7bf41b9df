// Reading a column as the time axis: calendar dates (day numbers) or integer week ids.

import { compactIntDates, parseDateColumn, type DateFormat } from './dates';
import type { DateOrder, ParsedColumn, ParsedTable } from './types';

export interface TimeAxis {
  kind: 'date' | 'week-id';
  format: DateFormat;
  /** Per row: day number (dates) or week id; NaN where the value is missing or unreadable. */
  days: Float64Array;
  parsed: number;
  failed: number;
  note?: string;
}

export const TIME_NAME = /^(date|dates|time|ds|day|week|weeks|wk|period|week_?start(ing)?|week_?(id|num|number|no)?|date_?week|week_?date|year_?week|yearweek|iso_?week|datetime|timestamp|month|t)$|(^|[_ ])(date|week|time|period|day)($|[_ ])/i;

export function readTimeColumn(col: ParsedColumn, opts: { nameHint: boolean; preferDayFirst: boolean; dateOrder?: DateOrder | null }): TimeAxis | null {
  const nonMissing = col.numericCount + col.textCount;
  if (nonMissing === 0) return null;
  if (col.codes && col.dict && col.textCount > 0) {
    const c = parseDateColumn(col.codes, col.dict, { minShare: opts.nameHint ? 0.8 : 0.9, preferDayFirst: opts.preferDayFirst, ambiguousOrder: opts.dateOrder });
    if (c) return { kind: 'date', format: c.format, days: c.days, parsed: c.parsed, failed: c.failed, note: c.note };
    return null;
  }
  if (col.textCount === 0 && col.allInteger) {
    const compact = compactIntDates(col.values);
    if (compact && (opts.nameHint || col.min >= 19000101)) {
      return { kind: 'date', format: 'ymd-compact', days: compact, parsed: col.numericCount, failed: 0 };
    }
    if (opts.nameHint && col.min >= 0 && col.max < 100000) {
      return { kind: 'week-id', format: 'week-id', days: col.values.slice(), parsed: col.numericCount, failed: 0 };
    }
  }
  return null;
}

/** The time axis of `column`; `dateOrder` settles dates whose day/month order is ambiguous (Mapping.dateOrder). */
export function timeAxisFor(table: ParsedTable, column: string, dateOrder?: DateOrder | null): TimeAxis | null {
  const i = table.columns.indexOf(column);
  if (i < 0) return null;
  return readTimeColumn(table.data[i], { nameHint: true, preferDayFirst: table.decimal === ',', dateOrder });
}
