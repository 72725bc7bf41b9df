// The malformed/awkward CSV corpus (tests/fixtures/csv, written by make_fixtures.py): each file
// gives either a correct panel or a specific error that names the column and/or rows.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPanel, inferSchema, inspectJson, IngestError, validate, type Issue, type ValidationReport } from '../../../web/src/ingest/index';
import { FIXTURES, loadFixture } from './helpers';

interface OkCase {
  regions: number;
  weeks: number;
  channels?: number;
  kpi?: string;
  /** Issue codes that must be present (any severity) — never errors. */
  notes?: string[];
  check?: (ctx: { report: ValidationReport; panel: ReturnType<typeof buildPanel>; inference: ReturnType<typeof inferSchema> }) => void;
}
interface ErrCase {
  error: string;
  column?: string;
  rows?: number[];
  /** Text the message must contain (column name, row number…). */
  says?: (string | RegExp)[];
  /** The panel itself can be built (the error depends on options such as the holdout). */
  panelBuilds?: boolean;
}

const national = { regions: 1, weeks: 70, channels: 2, kpi: 'sales' };

const OK: Record<string, OkCase> = {
  'ok_national_weekly.csv': { ...national, weeks: 80 },
  'ok_geo_panel.csv': { regions: 3, weeks: 60, channels: 2, kpi: 'conversions', check: ({ panel }) => expect(panel.regionNames).toEqual(['North', 'South', 'West']) },
  'bom_utf8.csv': { ...national, notes: ['BOM'], check: ({ inference }) => expect(inference.mapping.time).toBe('date') },
  'crlf.csv': { ...national, check: ({ panel }) => expect(Number.isFinite(panel.kpi[69])).toBe(true) },
  'cr_only.csv': national,
  'semicolon_decimal_comma.csv': { ...national, notes: ['DECIMAL_COMMA'], check: ({ panel }) => expect(panel.controlValues[0]).toBeGreaterThan(9) },
  'tab_delimited.csv': national,
  'pipe_delimited.csv': national,
  'latin1_regions.csv': { regions: 3, weeks: 60, channels: 1, notes: ['NOT_UTF8'], check: ({ panel }) => expect(panel.regionNames).toEqual(['Genève', 'Köln', 'Zürich']) },
  'utf16le_bom.csv': { ...national, weeks: 60 },
  'trailing_empty_lines.csv': national,
  'blank_lines_middle.csv': national,
  'ragged_short.csv': { ...national, notes: ['RAGGED_ROWS_SHORT'] },
  'ragged_long.csv': { ...national, notes: ['RAGGED_ROWS_LONG'] },
  'trailing_delimiter.csv': { ...national, check: ({ inference }) => expect(inference.mapping.ignored).toEqual(['Unnamed: 6']) },
  'quoted_newlines.csv': { ...national, channels: 1, check: ({ inference }) => expect(inference.mapping.ignored).toContain('notes') },
  'preamble_title.csv': { ...national, notes: ['PREAMBLE_SKIPPED'] },
  'formula_header.csv': { ...national, notes: ['FORMULA_LIKE_HEADER'], check: ({ panel }) => expect(panel.controlNames).toEqual(['=SUM(A1)']) },
  'duplicate_column_names.csv': { ...national, notes: ['DUPLICATE_COLUMN_NAME'], check: ({ panel }) => expect(panel.channelNames).toEqual(['spend', 'spend_2']) },
  'quoted_numbers_thousands.csv': { ...national, check: ({ panel }) => expect(panel.kpi[0]).toBeGreaterThan(9999) },
  'thousands_dot_decimal_comma.csv': { ...national, channels: 1, check: ({ panel }) => { expect(panel.media[0]).toBeGreaterThan(999); expect(panel.media[0] % 1).not.toBe(0); } },
  'thousands_space.csv': { ...national, channels: 1, check: ({ panel }) => expect(panel.kpi[0]).toBeGreaterThan(9999) },
  'currency_percent.csv': { ...national, channels: 1, check: ({ panel }) => { expect(panel.media[0]).toBeGreaterThan(999); expect(panel.controlValues[0]).toBeLessThanOrEqual(0.3001); } },
  'text_in_numeric.csv': { ...national, notes: ['NON_NUMERIC'] },
  'nan_empty_cells.csv': { ...national, notes: ['MISSING_VALUES'] },
  'all_zero_channel.csv': { ...national, channels: 3, notes: ['ALL_ZERO_CHANNEL'] },
  'single_region.csv': { regions: 1, weeks: 60, check: ({ panel, inference }) => { expect(inference.mapping.region).toBe('geo'); expect(panel.regionNames).toEqual(['OnlyOne']); } },
  'missing_region_rows.csv': { regions: 3, weeks: 60, notes: ['MISSING_CELLS'], check: ({ panel }) => expect(panel.fill.missingCells).toBe(3) },
  'region_few_weeks.csv': { regions: 2, weeks: 60, notes: ['REGION_FEW_WEEKS'] },
  'missing_weeks.csv': { ...national, notes: ['MISSING_WEEKS'] },
  'us_dates.csv': { ...national, check: ({ panel }) => expect(panel.dates[0]).toBe('2022-01-03') },
  'us_dates_2digit_year.csv': { ...national, check: ({ panel }) => expect(panel.dates[0]).toBe('2022-01-03') },
  'eu_dates_dots.csv': { ...national, check: ({ panel }) => expect(panel.dates[1]).toBe('2022-01-10') },
  'eu_dates_slash.csv': { ...national, check: ({ panel }) => expect(panel.dates[1]).toBe('2022-01-10') },
  'iso_weeks.csv': { ...national, check: ({ panel }) => { expect(panel.dates[0]).toBe('2022-01-03'); expect(panel.weekOfYear[0]).toBe(1); } },
  'integer_week_ids.csv': { ...national, check: ({ panel }) => { expect(panel.dates.slice(0, 2)).toEqual(['1', '2']); expect(panel.weekOfYear[52]).toBe(1); } },
  'yyyymmdd_ints.csv': { ...national, check: ({ panel }) => expect(panel.dates[0]).toBe('2022-01-03') },
  'month_name_dates.csv': { ...national, check: ({ panel }) => expect(panel.dates[0]).toBe('2022-01-03') },
  'datetime_stamps.csv': { ...national, check: ({ panel }) => expect(panel.dates[0]).toBe('2022-01-03') },
  'summary_total_row.csv': { ...national, notes: ['BAD_DATES_SKIPPED'] },
  'mixed_weekday_dates.csv': { ...national, notes: ['IRREGULAR_DATES'] },
  'daily.csv': {
    regions: 1, weeks: 45, channels: 2, kpi: 'orders', notes: ['DAILY_AGGREGATED', 'PARTIAL_WEEKS_DROPPED'],
    // 2022-01-01 is a Saturday: the partial first week is dropped; the first full week starts Monday 2022-01-03.
    check: ({ panel }) => { expect(panel.dates[0]).toBe('2022-01-03'); expect(panel.fill.aggregatedFromDaily).toBe(true); },
  },
  'daily_geo_events.csv': { regions: 2, weeks: 42, channels: 1, notes: ['DAILY_AGGREGATED'], check: ({ panel }) => expect(panel.controlNames).toEqual(['event=launch', 'event=sale']) },
  'events_text.csv': { ...national, channels: 1, check: ({ panel }) => expect(panel.controlNames).toEqual(['events=event1', 'events=event2']) },
  'robyn_style.csv': {
    regions: 1, weeks: 80, channels: 6, kpi: 'revenue',
    check: ({ inference }) => {
      const m = inference.mapping;
      expect(m.channels).toContainEqual({ name: 'facebook', spend: 'facebook_S', activity: 'facebook_I' });
      expect(m.channels).toContainEqual({ name: 'search', spend: 'search_S', activity: 'search_clicks_P' });
      expect(m.channels).toContainEqual({ name: 'newsletter', spend: null, activity: 'newsletter' });
      expect(m.controls).toEqual(expect.arrayContaining(['competitor_sales_B', 'events=event1', 'events=event2']));
    },
  },
  'reach_frequency_only.csv': {
    ...national, channels: 1,
    check: ({ inference, panel }) => {
      expect(inference.mapping.channels[0]).toMatchObject({ name: 'display', reach: 'display_reach', frequency: 'display_frequency' });
      expect(panel.mediaKind).toEqual(['spend']);
    },
  },
  'constant_column.csv': { ...national, check: ({ inference }) => expect(inference.mapping.ignored).toContain('store_id') },
  'no_kpi_name.csv': { ...national, kpi: 'index_value', channels: 1, notes: ['KPI_GUESSED'] },
};

const ERR: Record<string, ErrCase> = {
  'empty.csv': { error: 'EMPTY_FILE' },
  'whitespace_only.csv': { error: 'EMPTY_FILE' },
  'header_only.csv': { error: 'NO_DATA_ROWS', rows: [1] },
  'duplicate_weeks_national.csv': { error: 'DUPLICATE_ROWS', column: 'date', rows: [15, 16, 30, 32], says: ['15&16'] },
  'duplicate_region_week.csv': { error: 'DUPLICATE_ROWS', column: 'geo, week', rows: [100, 101], says: ['100&101'] },
  'negative_spend.csv': { error: 'NEGATIVE_SPEND', column: 'tv_spend', rows: [11, 12, 41], says: ['"tv_spend"', 'rows 11, 12, 41'] },
  'negative_clicks.csv': { error: 'NEGATIVE_MEDIA', column: 'search_clicks', rows: [34], says: ['"search_clicks"', 'row 34'] },
  'eight_weeks.csv': { error: 'TOO_FEW_WEEKS', column: 'date', says: ['8 week', '13-week holdout'], panelBuilds: true },
  'bad_dates_many.csv': { error: 'BAD_DATES', column: 'date', says: ['"date"', 'someday', 'rows 2, 5'] },
  'monthly.csv': { error: 'NOT_WEEKLY', column: 'month', says: ['31 days'] },
  'no_time_column.csv': { error: 'NO_TIME_COLUMN' },
  'no_media.csv': { error: 'NO_MEDIA' },
  'no_header.csv': { error: 'NO_MEDIA' },
  'unclosed_quote.csv': { error: 'UNCLOSED_QUOTE', rows: [21], says: ['Row 21'] },
};

const allIssues = (r: ValidationReport): Issue[] => [...r.errors, ...r.warnings, ...r.infos];

describe('CSV fixture corpus', () => {
  it('has at least 40 fixtures, each covered by a case', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.csv')).sort();
    expect(files.length).toBeGreaterThanOrEqual(40);
    const covered = new Set([...Object.keys(OK), ...Object.keys(ERR)]);
    // style_*.csv (other tools' column naming) are asserted column by column in naming-styles.test.ts.
    expect(files.filter((f) => !covered.has(f) && !f.startsWith('style_'))).toEqual([]);
  });

  for (const [file, c] of Object.entries(OK)) {
    it(`${file} → panel ${c.regions}×${c.weeks}`, () => {
      const t = loadFixture(file);
      const inference = inferSchema(t);
      const report = validate(t, inference.mapping);
      expect(report.errors, JSON.stringify(report.errors)).toEqual([]);
      expect(report.canTrain).toBe(true);
      const panel = buildPanel(t, inference.mapping);
      expect(panel.regions).toBe(c.regions);
      expect(panel.weeks).toBe(c.weeks);
      if (c.channels !== undefined) expect(panel.channels).toBe(c.channels);
      if (c.kpi) expect(inference.mapping.kpi).toBe(c.kpi);
      expect(report.shape.regions).toBe(c.regions);
      expect(report.shape.weeks).toBe(c.weeks);
      // No NaN reaches the model.
      for (const arr of [panel.media, panel.kpi, panel.controlValues]) expect(arr.every((v) => Number.isFinite(v))).toBe(true);
      expect(panel.media.every((v) => v >= 0)).toBe(true);
      const codes = new Set([...allIssues(report).map((i) => i.code), ...inference.issues.map((i) => i.code)]);
      for (const n of c.notes ?? []) expect(codes, `${file} should report ${n}`).toContain(n);
      c.check?.({ report, panel, inference });
    });
  }

  for (const [file, c] of Object.entries(ERR)) {
    it(`${file} → ${c.error}`, () => {
      const t = loadFixture(file);
      const inference = inferSchema(t);
      const report = validate(t, inference.mapping);
      expect(report.canTrain).toBe(false);
      const e = report.errors.find((x) => x.code === c.error) ?? inference.issues.find((x) => x.code === c.error && x.severity === 'error');
      expect(e, `${file}: ${JSON.stringify(report.errors)}`).toBeDefined();
      if (c.column) {
        expect(e!.column).toBe(c.column);
        expect(e!.message).toContain(c.column.split(', ').pop()!);
      }
      if (c.rows) expect(e!.rows).toEqual(c.rows);
      for (const s of c.says ?? []) {
        if (typeof s === 'string') expect(e!.message).toContain(s);
        else expect(e!.message).toMatch(s);
      }
      if (c.panelBuilds) expect(buildPanel(t, inference.mapping).weeks).toBeGreaterThan(0);
      else expect(() => buildPanel(t, inference.mapping)).toThrow(IngestError);
      // The CLI JSON carries the same error.
      expect(inspectJson(t).errors.map((x) => x.code)).toContain(c.error);
    });
  }
});
