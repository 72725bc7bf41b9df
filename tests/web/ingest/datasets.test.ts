// The five public datasets in ../shared/data are understood with no manual change.
// Skipped cleanly when ../shared/data is absent.
import { describe, expect, it } from 'vitest';
import { buildPanel, inferSchema, inspectJson, validate } from '../../../web/src/ingest/index';
import { hasSharedData, loadShared } from './helpers';

const roleOf = (inf: ReturnType<typeof inferSchema>, col: string) => inf.guesses.find((g) => g.column === col)?.role;

describe.skipIf(!hasSharedData)('shared datasets', () => {
  it('Meridian geo_all_channels: 40 geos × 156 weeks, 5 paid channels paired, organic activity-only', () => {
    const t = loadShared('meridian/geo_all_channels.csv');
    const inf = inferSchema(t);
    const m = inf.mapping;
    expect(inf.frequency).toBe('weekly');
    expect(m.time).toBe('time');
    expect(m.region).toBe('geo');
    expect(m.kpi).toBe('conversions');
    expect(m.revenuePerKpi).toBe('revenue_per_conversion');
    expect(roleOf(inf, 'revenue_per_conversion')).toBe('revenue_per_kpi');
    const paid = m.channels.filter((c) => c.spend);
    expect(paid).toHaveLength(5);
    for (let i = 0; i < 5; i++) {
      expect(m.channels).toContainEqual({ name: `Channel${i}`, spend: `Channel${i}_spend`, activity: `Channel${i}_impression` });
    }
    expect(m.channels).toContainEqual({ name: 'Organic_channel0', spend: null, activity: 'Organic_channel0_impression' });
    expect(m.controls).toEqual(expect.arrayContaining(['Promo', 'competitor_sales_control', 'sentiment_score_control']));
    expect(m.controls).toHaveLength(3);
    expect(m.ignored).toContain('Unnamed: 0');
    expect(roleOf(inf, 'Unnamed: 0')).toBe('ignore');
    // population is constant within each geo: ignored, with a reason.
    expect(roleOf(inf, 'population')).toBe('ignore');
    expect(inf.guesses.find((g) => g.column === 'population')!.reason).toMatch(/region/);
    for (const g of inf.guesses) {
      expect(g.confidence).toBeGreaterThan(0);
      expect(g.reason.length).toBeGreaterThan(5);
    }
    const rep = validate(t, m);
    expect(rep.canTrain).toBe(true);
    expect(rep.shape).toEqual({ regions: 40, weeks: 156, channels: 6, controls: 3 });
    expect(rep.dateRange).toEqual({ start: '2021-01-25', end: '2024-01-15' });
    const p = buildPanel(t, m);
    expect(p.regions).toBe(40);
    expect(p.weeks).toBe(156);
    expect(p.media.length).toBe(40 * 156 * 6);
    expect(p.regionNames.slice(0, 3)).toEqual(['Geo0', 'Geo1', 'Geo2']);
    expect(p.mediaKind).toEqual(['spend', 'spend', 'spend', 'spend', 'spend', 'activity']);
    expect(p.revenuePerKpi).not.toBeNull();
    // Geo0 first week, Channel0 spend = 2058.0608 (row 2 of the file).
    expect(p.media[0]).toBeCloseTo(2058.0608, 2);
    expect(p.kpi[0]).toBeCloseTo(1954576.8, -1);
    expect(p.weekOfYear[0]).toBe(4);
  });

  it('Meridian geo_media_rf: 20 geos, Channel3 reach × frequency', () => {
    const t = loadShared('meridian/geo_media_rf.csv');
    const inf = inferSchema(t);
    const ch3 = inf.mapping.channels.find((c) => c.name === 'Channel3')!;
    expect(ch3.spend).toBe('Channel3_spend');
    expect(ch3.reach).toBe('Channel3_reach');
    expect(ch3.frequency).toBe('Channel3_frequency');
    expect(inf.guesses.find((g) => g.column === 'Channel3_reach')!.rf).toBe('reach');
    expect(inf.guesses.find((g) => g.column === 'Channel3_frequency')!.rf).toBe('frequency');
    const j = inspectJson(t);
    expect(j.regions).toBe(20);
    expect(j.weeks).toBe(156);
    expect(j.media).toHaveLength(4);
    expect(j.errors).toEqual([]);
    // Without the impression column the activity is reach × frequency.
    const m = { ...inf.mapping, channels: inf.mapping.channels.map((c) => (c.name === 'Channel3' ? { ...c, spend: null, activity: null } : c)) };
    const p = buildPanel(t, m);
    const c3 = p.channelNames.indexOf('Channel3');
    expect(p.mediaKind[c3]).toBe('activity');
    // Geo0 week 2: 181472 × 1.2501763 ≈ 226872 (its Channel3_impression).
    expect(p.media[(0 * p.weeks + 1) * p.channels + c3]).toBeCloseTo(226872, -1);
  });

  it('Meridian national_all_channels: one region', () => {
    const t = loadShared('meridian/national_all_channels.csv');
    const j = inspectJson(t);
    expect(j.regions).toBe(1);
    expect(j.region).toBeNull();
    expect(j.weeks).toBe(156);
    expect(j.kpi).toBe('conversions');
    expect(j.media.filter((m) => m.spend && m.activity)).toHaveLength(5);
    expect(j.controls).toEqual(expect.arrayContaining(['Promo', 'competitor_sales_control', 'sentiment_score_control']));
    expect(j.canTrain).toBe(true);
    expect(buildPanel(t, inferSchema(t).mapping).regionNames).toEqual(['National']);
  });

  it('PyMC mmm_example: x1, x2 media; events controls; y KPI; t/dayofyear ignored with a reason', () => {
    const t = loadShared('pymc-marketing/mmm_example.csv');
    const inf = inferSchema(t);
    expect(inf.mapping.kpi).toBe('y');
    expect(inf.mapping.time).toBe('date_week');
    expect(inf.mapping.channels.map((c) => c.name)).toEqual(['x1', 'x2']);
    expect(inf.mapping.controls).toEqual(['event_1', 'event_2']);
    for (const c of ['t', 'dayofyear']) {
      const g = inf.guesses.find((x) => x.column === c)!;
      expect(g.role).toBe('ignore');
      expect(g.reason).toMatch(/trend|season|date/);
    }
    const rep = validate(t, inf.mapping);
    expect(rep.canTrain).toBe(true);
    expect(rep.shape).toEqual({ regions: 1, weeks: 179, channels: 2, controls: 2 });
    expect(rep.dateRange!.start).toBe('2018-04-02');
  });

  it('PyMC mmm_roas_data: x1, x2 media, the ground-truth columns ignored', () => {
    const t = loadShared('pymc-marketing/mmm_roas_data.csv');
    const inf = inferSchema(t);
    expect(inf.mapping.kpi).toBe('y');
    expect(inf.mapping.channels.map((c) => c.name)).toEqual(['x1', 'x2']);
    for (const c of ['x1_effect', 'x2_effect', 'x1_adstock', 'x2_adstock', 'x1_adstock_saturated', 'x2_adstock_saturated', 'y01', 'y02', 'epsilon']) {
      expect(inf.mapping.ignored, c).toContain(c);
      expect(inf.guesses.find((g) => g.column === c)!.reason).toMatch(/leak/);
    }
    for (const c of ['x1_effect', 'y01', 'x1_adstock']) expect(inf.mapping.controls).not.toContain(c);
    expect(inf.mapping.controls).toContain('z');
    const j = inspectJson(t);
    expect(j.weeks).toBe(131);
    expect(j.canTrain).toBe(true);
  });
});
