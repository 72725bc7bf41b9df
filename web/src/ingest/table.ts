// Helpers to build ParsedTable columns in code (aggregation, tests) and to read cells back.

import type { ParsedColumn, ParsedTable } from './types';

export function numericColumn(name: string, values: Float64Array): ParsedColumn {
  let numericCount = 0, missingCount = 0, min = Infinity, max = -Infinity, allInteger = true;
  const missingRows: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      missingCount++;
      continue;
    }
    numericCount++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (allInteger && !Number.isInteger(v)) allInteger = false;
  }
  return {
    name, values, codes: null, dict: null, numericCount, missingCount, textCount: 0, textSamples: [], missingRows,
    allInteger, min: numericCount ? min : NaN, max: numericCount ? max : NaN,
  };
}

export function textColumn(name: string, strings: (string | null)[]): ParsedColumn {
  const dict: string[] = [];
  const map = new Map<string, number>();
  const codes = new Int32Array(strings.length);
  let missingCount = 0;
  strings.forEach((s, i) => {
    if (s === null || s === '') {
      codes[i] = -1;
      missingCount++;
      return;
    }
    let c = map.get(s);
    if (c === undefined) {
      c = dict.length;
      dict.push(s);
      map.set(s, c);
    }
    codes[i] = c;
  });
  return {
    name, values: new Float64Array(strings.length).fill(NaN), codes, dict, numericCount: 0, missingCount,
    textCount: strings.length - missingCount, textSamples: [], missingRows: [], allInteger: true, min: NaN, max: NaN,
  };
}

/** Text of a cell, or null when missing (or the column kept no text). */
export function cellText(col: ParsedColumn, row: number): string | null {
  if (col.codes && col.dict) {
    const c = col.codes[row];
    return c < 0 ? null : col.dict[c];
  }
  const v = col.values[row];
  return Number.isNaN(v) ? null : String(v);
}

export function columnOf(table: ParsedTable, name: string): ParsedColumn | null {
  const i = table.columns.indexOf(name);
  return i < 0 ? null : table.data[i];
}

/** Natural sort: Geo2 before Geo10. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}
