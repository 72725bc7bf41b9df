import { describe, expect, it } from 'vitest';
import { aggregateToWeekly, buildPanel, IngestError, parseCsvText, validate, type Mapping } from '../../../web/src/ingest/index';

const iso = (day0: number, k: number) => new Date(Date.UTC(2023, 0, 2 + day0 + 7 * k)).toISOString().slice(0, 10);

const geoMapping: Mapping = {
  time: 'date', region: 'geo', kpi: 'sales',
  channels: [{ name: 'tv', spend: 'tv_spend', activity: null }, { name: 'social', spend: null, activity: 'social_imps' }],
  controls: ['price'], ignored: [],
};

function geoCsv(rows: [string, number, string, string, string, string][]): string {
  return ['geo,date,tv_spend,social_imps,price,sales', ...rows.map(([g, k, a, b, c, d]) => `${g},${iso(0, k)},${a},${b},${c},${d}`)].join('\n');
}

describe('buildPanel fill rules', () => {
  // B is missing week 1 entirely; A has empty KPI at week 0 and empty price at week 2.
  const rows: [string, number, string, string, string, string][] = [];
  for (let k = 0; k < 40; k++) {
    rows.push(['A', k, String(10 + k), String(100 + k), k === 2 ? '' : String(5 + k), k === 0 ? '' : String(1000 + k)]);
    if (k !== 1) rows.push(['B', k, '1', '2', String(7 + k), String(2000 + k)]);
  }
  const t = parseCsvText(geoCsv(rows));
  const p = buildPanel(t, geoMapping);

  it('region-major layout, sorted regions and weeks', () => {
    expect(p.regionNames).toEqual(['A', 'B']);
    expect(p.weeks).toBe(40);
    expect(p.dates[0]).toBe('2023-01-02');
    expect(p.media.length).toBe(2 * 40 * 2);
    // A, week 3, tv spend
    expect(p.media[(0 * 40 + 3) * 2 + 0]).toBe(13);
    // spend array carries 0 for the activity-only channel
    expect(p.spend![(0 * 40 + 3) * 2 + 1]).toBe(0);
    expect(p.media[(0 * 40 + 3) * 2 + 1]).toBe(103);
    expect(p.mediaKind).toEqual(['spend', 'activity']);
  });
  it('missing cell: media 0, KPI and controls carried forward', () => {
    const cell = 1 * 40 + 1; // B, week 1
    expect(p.media[cell * 2]).toBe(0);
    expect(p.media[cell * 2 + 1]).toBe(0);
    expect(p.kpi[cell]).toBe(2000); // from week 0
    expect(p.controlValues[cell]).toBe(7);
    expect(p.fill.missingCells).toBe(1);
  });
  it('empty KPI at the start is carried backward; empty control forward', () => {
    expect(p.kpi[0]).toBe(1001);
    expect(p.controlValues[2]).toBe(6);
    expect(p.fill.kpiFilled).toBeGreaterThanOrEqual(2);
  });
  it('validate says what is filled', () => {
    const r = validate(t, geoMapping);
    expect(r.canTrain).toBe(true);
    const info = r.infos.find((i) => i.code === 'MISSING_CELLS')!;
    expect(info.message).toMatch(/B 2023-01-09/);
    expect(info.message).toMatch(/carried forward/);
    expect(r.infos.find((i) => i.code === 'MISSING_VALUES' && i.column === 'sales')!.rows).toEqual([2]);
    expect(r.shape).toEqual({ regions: 2, weeks: 40, channels: 2, controls: 1 });
  });
  it('drops constant controls and says so', () => {
    const t2 = parseCsvText(geoCsv(rows.map((r) => [r[0], r[1], r[2], r[3], '3', r[5]] as [string, number, string, string, string, string])));
    const r = validate(t2, geoMapping);
    expect(r.warnings.find((i) => i.code === 'CONSTANT_COLUMN')!.column).toBe('price');
    const p2 = buildPanel(t2, geoMapping);
    expect(p2.controls).toBe(0);
    expect(p2.fill.droppedControls).toEqual(['price']);
  });
});

describe('validate errors', () => {
  const base: [string, number, string, string, string, string][] = [];
  for (let k = 0; k < 45; k++) base.push(['A', k, '1', '2', '3', String(10 + k)]);

  it('duplicate (region, week) rows are an error listing the rows', () => {
    const t = parseCsvText(geoCsv([...base, ['A', 3, '1', '2', '3', '4']]));
    const r = validate(t, geoMapping);
    const e = r.errors.find((i) => i.code === 'DUPLICATE_ROWS')!;
    expect(e.rows).toEqual([5, 47]);
    expect(r.canTrain).toBe(false);
    expect(r.blocking[0]).toMatch(/DUPLICATE_ROWS/);
    expect(() => buildPanel(t, geoMapping)).toThrow(IngestError);
  });
  it('negative spend names the column and rows', () => {
    const rows = base.map((r, i) => (i === 4 ? ([r[0], r[1], '-5', r[3], r[4], r[5]] as typeof r) : r));
    const r = validate(parseCsvText(geoCsv(rows)), geoMapping);
    const e = r.errors.find((i) => i.code === 'NEGATIVE_SPEND')!;
    expect(e.column).toBe('tv_spend');
    expect(e.rows).toEqual([6]);
    expect(e.message).toContain('row 6');
  });
  it('mapping problems: missing column, conflicts, no media', () => {
    const t = parseCsvText(geoCsv(base));
    expect(validate(t, { ...geoMapping, kpi: 'nope' }).errors[0]).toMatchObject({ code: 'MAPPING_COLUMN_MISSING', column: 'nope' });
    expect(validate(t, { ...geoMapping, controls: ['sales'] }).errors.map((e) => e.code)).toContain('MAPPING_CONFLICT');
    expect(validate(t, { ...geoMapping, channels: [] }).errors.map((e) => e.code)).toContain('NO_MEDIA');
  });
  it('holdout decides the minimum number of weeks', () => {
    const t = parseCsvText(geoCsv(base)); // 45 weeks
    expect(validate(t, geoMapping).canTrain).toBe(true);
    const r = validate(t, geoMapping, { holdoutWeeks: 20 });
    expect(r.errors[0].code).toBe('TOO_FEW_WEEKS');
    expect(r.errors[0].message).toMatch(/20-week holdout/);
  });
  it('all-zero channel is a warning', () => {
    const rows = base.map((r) => [r[0], r[1], '0', r[3], r[4], r[5]] as typeof r);
    const r = validate(parseCsvText(geoCsv(rows)), geoMapping);
    expect(r.warnings.find((i) => i.code === 'ALL_ZERO_CHANNEL')!.message).toMatch(/"tv"/);
    expect(r.canTrain).toBe(true);
  });
});

describe('aggregateToWeekly', () => {
  const lines = ['date,tv_spend,temp,promo,sales'];
  // Monday 2023-01-02 .. 14 full weeks
  for (let i = 0; i < 14 * 7; i++) lines.push(`${new Date(Date.UTC(2023, 0, 2 + i)).toISOString().slice(0, 10)},${i % 7},${10 + (i % 7)},${i % 7 === 0 ? 'yes' : 'no'},${i % 11}`);
  const t = parseCsvText(lines.join('\n'));
  const mapping: Mapping = { time: 'date', region: null, kpi: 'sales', channels: [{ name: 'tv', spend: 'tv_spend', activity: null }], controls: ['temp', 'promo=yes'], ignored: [], dummies: { promo: ['yes'] } };

  it('sums media and KPI, averages controls and dummy shares', () => {
    const a = aggregateToWeekly(t, mapping);
    expect(a.table.rowCount).toBe(14);
    const col = (n: string) => a.table.data[a.table.columns.indexOf(n)].values;
    expect(col('tv_spend')[0]).toBe(0 + 1 + 2 + 3 + 4 + 5 + 6);
    expect(col('sales')[0]).toBe(21);
    expect(col('temp')[0]).toBe(13);
    expect(col('promo=yes')[0]).toBeCloseTo(1 / 7);
    expect(a.mapping.controls).toEqual(['temp', 'promo=yes']);
    expect(a.issues[0].code).toBe('DAILY_AGGREGATED');
  });
  it('buildPanel aggregates daily input automatically', () => {
    const p = buildPanel(t, mapping);
    expect(p.weeks).toBe(14);
    expect(p.fill.aggregatedFromDaily).toBe(true);
    expect(p.media[0]).toBe(21);
    expect(p.dates[1]).toBe('2023-01-09');
  });
  it('drops partial edge weeks and reports duplicate days', () => {
    const extra = parseCsvText([...lines, '2023-04-10,1,1,no,1', '2023-01-02,1,1,no,1'].join('\n'));
    const a = aggregateToWeekly(extra, mapping);
    expect(a.table.rowCount).toBe(14);
    expect(a.issues.map((i) => i.code)).toContain('PARTIAL_WEEKS_DROPPED');
    const dup = a.issues.find((i) => i.code === 'DUPLICATE_ROWS')!;
    expect(dup.rows).toEqual([2, 101]);
    expect(validate(extra, mapping).canTrain).toBe(false);
  });
});
