import { describe, expect, it } from 'vitest';
import { buildPanel, inferSchema, parseCsvText, validate } from '../../../web/src/ingest/index';

function weekly(header: string, row: (t: number, d: string) => string, n = 60): string {
  const start = Date.UTC(2023, 0, 2);
  const lines = [header];
  for (let t = 0; t < n; t++) lines.push(row(t, new Date(start + t * 7 * 86400000).toISOString().slice(0, 10)));
  return lines.join('\n');
}
const role = (inf: ReturnType<typeof inferSchema>, c: string) => inf.guesses.find((g) => g.column === c)!;

describe('inferSchema', () => {
  it('pairs spend and activity of the same channel in several naming styles', () => {
    const text = weekly(
      'date,Channel0_spend,Channel0_impression,impressions_Display,spend_Display,tv_grps,tv_cost,search_clicks,search_spend,sales',
      (t, d) => `${d},${t + 1},${t * 10},${t * 5},${t + 2},${t % 7},${t + 3},${t * 2},${t + 4},${1000 + t}`,
    );
    const inf = inferSchema(parseCsvText(text));
    expect(inf.mapping.channels).toEqual([
      { name: 'Channel0', spend: 'Channel0_spend', activity: 'Channel0_impression' },
      { name: 'Display', spend: 'spend_Display', activity: 'impressions_Display' },
      { name: 'tv', spend: 'tv_cost', activity: 'tv_grps' },
      { name: 'search', spend: 'search_spend', activity: 'search_clicks' },
    ]);
    expect(inf.mapping.kpi).toBe('sales');
  });

  it('never takes a spend column as the KPI and prefers exact KPI names', () => {
    const text = weekly('date,sales_spend,total_revenue,conversions', (t, d) => `${d},${t},${t * 3 + 1},${t * 2 + 5}`);
    const inf = inferSchema(parseCsvText(text));
    expect(inf.mapping.kpi).toBe('conversions');
    expect(role(inf, 'sales_spend').role).toBe('media_spend');
    expect(role(inf, 'total_revenue').role).toBe('control');
  });

  it('controls, constants, ids, text dummies and leaks', () => {
    const text = weekly(
      'week_start,id,tv_spend,price,competitor_promo,country,weather,holiday,y,y_hat,tv_contribution',
      (t, d) => `${d},${1000 + t},${t},${9 + (t % 3)},${t % 2},DE,${t % 5 === 0 ? 'rain' : 'sun'},${t % 9 === 0 ? 'xmas' : ''},${50 + t},${50 + t},${t / 2}`,
    );
    const inf = inferSchema(parseCsvText(text));
    expect(inf.mapping.time).toBe('week_start');
    expect(role(inf, 'id').role).toBe('ignore');
    expect(role(inf, 'country').role).toBe('region'); // one value in a region-named column: a single region
    expect(inf.mapping.region).toBe('country');
    expect(role(inf, 'price').role).toBe('control');
    expect(role(inf, 'competitor_promo').role).toBe('control');
    expect(role(inf, 'y_hat').role).toBe('ignore');
    expect(role(inf, 'tv_contribution').role).toBe('ignore');
    expect(inf.mapping.dummies).toEqual({ weather: ['rain'], holiday: ['xmas'] });
    expect(inf.mapping.controls).toEqual(expect.arrayContaining(['weather=rain', 'holiday=xmas']));
    expect(role(inf, 'holiday').reason).toMatch(/reference/);
    expect(inf.mapping.kpi).toBe('y');
  });

  it('finds the region of a long panel and says national otherwise', () => {
    const lines = ['dma,date,tv_spend,orders'];
    for (const g of ['NY', 'LA']) for (let t = 0; t < 40; t++) lines.push(`${g},${new Date(Date.UTC(2023, 0, 2 + 7 * t)).toISOString().slice(0, 10)},${t},${t + 5}`);
    const inf = inferSchema(parseCsvText(lines.join('\n')));
    expect(inf.mapping.region).toBe('dma');
    expect(role(inf, 'dma').confidence).toBeGreaterThan(0.8);
    const nat = inferSchema(parseCsvText(weekly('date,tv_spend,sales', (t, d) => `${d},${t},${t}`)));
    expect(nat.mapping.region).toBeNull();
  });

  it('detects daily frequency', () => {
    const lines = ['date,tv_spend,sales'];
    for (let i = 0; i < 100; i++) lines.push(`${new Date(Date.UTC(2023, 0, 2 + i)).toISOString().slice(0, 10)},${i},${i}`);
    const inf = inferSchema(parseCsvText(lines.join('\n')));
    expect(inf.frequency).toBe('daily');
    expect(inf.issues.map((i) => i.code)).toContain('DAILY_DATA');
  });

  it('every guess has a confidence in 0..1 and a reason; profiles feed the sparklines', () => {
    const inf = inferSchema(parseCsvText(weekly('date,tv_spend,mystery,sales', (t, d) => `${d},${t},${Math.sin(t)},${t}`)));
    for (const g of inf.guesses) {
      expect(g.confidence).toBeGreaterThanOrEqual(0);
      expect(g.confidence).toBeLessThanOrEqual(1);
      expect(g.reason).not.toBe('');
    }
    expect(role(inf, 'mystery').confidence).toBeLessThan(0.5);
    expect(inf.profiles).toHaveLength(4);
    expect(inf.profiles[1].spark.length).toBe(60);
  });

  it('never crashes on odd tables', () => {
    for (const text of ['', 'a', 'a\n', 'a,b\n,\n,\n', 'x\n1\n2\n', '"unterminated\n1,2', '\n\n\n']) {
      expect(() => inferSchema(parseCsvText(text))).not.toThrow();
    }
  });
});

describe('ambiguous day/month order', () => {
  // Monthly data on the 1st, written dd/mm/yyyy: no number above 12 in either place.
  const monthly = ['date,tv_spend,sales', ...Array.from({ length: 24 }, (_, i) => `01/${String((i % 12) + 1).padStart(2, '0')}/${2022 + Math.floor(i / 12)},${100 + i},${1000 + i}`)].join('\n');
  // Twelve days written mm/dd/yyyy, all with day ≤ 12.
  const short = ['date,tv_spend,sales', ...Array.from({ length: 12 }, (_, i) => `01/${String(i + 1).padStart(2, '0')}/2023,${100 + i},${1000 + i}`)].join('\n');

  it('chooses the order that gives regular steps, says why, and puts it in the mapping', () => {
    const inf = inferSchema(parseCsvText(monthly));
    expect(inf.dateOrder).toMatchObject({ column: 'date', chosen: 'dmy' });
    expect(inf.dateOrder!.why).toMatch(/regular/);
    expect(inf.mapping.dateOrder).toBe('dmy');
    expect(inf.issues.find((i) => i.code === 'AMBIGUOUS_DATE_ORDER')!.message).toMatch(/day first was chosen because .*Date order/);
  });

  it('falls back to the decimal convention when both orders are as regular', () => {
    const dot = inferSchema(parseCsvText(short));
    expect(dot.dateOrder).toMatchObject({ chosen: 'mdy' });
    expect(dot.dateOrder!.why).toMatch(/decimals with a point/);
    const comma = inferSchema(parseCsvText(short.replace(/,/g, ';').replace(/;(\d+)$/gm, ';$1,5')));
    expect(comma.dateOrder).toMatchObject({ chosen: 'dmy' });
    expect(comma.dateOrder!.why).toMatch(/comma/);
  });

  it('the override in the mapping changes the dates the panel is built on', () => {
    const table = parseCsvText(short);
    const inf = inferSchema(table);
    expect(validate(table, inf.mapping)).toMatchObject({ frequency: 'daily' });
    const asDmy = validate(table, { ...inf.mapping, dateOrder: 'dmy' });
    expect(asDmy.dateRange).toEqual({ start: '2023-01-01', end: '2023-12-01' });
    expect(asDmy.frequency).not.toBe('daily');
  });

  it('unambiguous dates have no date-order choice', () => {
    const inf = inferSchema(parseCsvText(['date,tv_spend,sales', '01/13/2023,1,2', '01/20/2023,2,3', '01/27/2023,3,4'].join('\n')));
    expect(inf.dateOrder).toBeNull();
    expect(inf.mapping.dateOrder).toBeUndefined();
  });
});

describe('event dummies', () => {
  const file = (cell: (t: number) => string) => weekly('date,tv_spend,events,sales', (t, d) => `${d},${t},${cell(t)},${100 + t}`);

  it('one dummy per named value; empty, "na" and "none" cells are the reference', () => {
    for (const none of ['', 'na', 'none', 'NA']) {
      const inf = inferSchema(parseCsvText(file((t) => (t % 10 === 0 ? 'event1' : t % 7 === 3 ? 'event2' : none))));
      // Most common first.
      expect(inf.mapping.dummies, `reference "${none}"`).toEqual({ events: ['event2', 'event1'] });
      expect(inf.mapping.controls).toEqual(['events=event2', 'events=event1']);
      expect(role(inf, 'events').reason).toMatch(/empty \/ "na" \/ "none" cell is the reference/);
    }
  });

  it('with no empty cells the most common value is the reference (a dummy per value would repeat the intercept)', () => {
    const inf = inferSchema(parseCsvText(file((t) => (t % 10 === 0 ? 'promo' : t % 7 === 3 ? 'launch' : 'regular'))));
    expect(inf.mapping.dummies).toEqual({ events: ['launch', 'promo'] });
    expect(role(inf, 'events').reason).toMatch(/"regular" is the reference/);
  });

  it('carries the dummies into the panel as 0/1 controls', () => {
    const table = parseCsvText(file((t) => (t % 10 === 0 ? 'event1' : 'na')));
    const inf = inferSchema(table);
    const panel = buildPanel(table, inf.mapping);
    expect(panel.controlNames).toEqual(['events=event1']);
    expect(Array.from(panel.controlValues.slice(0, 11))).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});
