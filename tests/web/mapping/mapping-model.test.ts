import { describe, expect, it } from 'vitest';
import { inferSchema, parseCsvText } from '../../../web/src/ingest/index';
import { dummyChoices, initialRows, mappingSummary, mappingToRows, renameChannel, rowsToMapping, setLevels, setRole, sparklinePath } from '../../../web/src/app/mapping/mapping-model';

function sample() {
  const lines = ['date,tv_spend,tv_impressions,search_cost,price,events,sales'];
  for (let t = 0; t < 30; t++) {
    lines.push(`${new Date(Date.UTC(2023, 0, 2 + 7 * t)).toISOString().slice(0, 10)},${t},${t * 9},${t + 1},${9 + (t % 2)},${t % 5 === 0 ? 'sale' : 'none'},${100 + t}`);
  }
  return inferSchema(parseCsvText(lines.join('\n')));
}

describe('mapping editor model', () => {
  it('starts from the inference', () => {
    const inf = sample();
    const rows = initialRows(inf);
    const { mapping, problems } = rowsToMapping(rows);
    expect(problems).toEqual([]);
    expect(mapping.channels).toEqual(inf.mapping.channels);
    expect(mapping.controls).toEqual(inf.mapping.controls);
    expect(mapping.kpi).toBe('sales');
    expect(mapping.dummies).toEqual({ events: ['sale'] });
  });
  it('choosing a new KPI demotes the old one; single roles stay single', () => {
    const inf = sample();
    let rows = setRole(initialRows(inf), 'price', 'kpi');
    const { mapping } = rowsToMapping(rows);
    expect(mapping.kpi).toBe('price');
    expect(mapping.ignored).toContain('sales');
    expect(rows.find((r) => r.column === 'price')!.reason).toMatch(/set by you/);
    rows = setRole(rows, 'sales', 'kpi');
    expect(rowsToMapping(rows).mapping.kpi).toBe('sales');
  });
  it('switching spend/activity and renaming a channel updates the mapping at once', () => {
    let rows = initialRows(sample());
    rows = renameChannel(rows, 'tv_spend', 'Television');
    let m = rowsToMapping(rows).mapping;
    expect(m.channels[0]).toEqual({ name: 'Television', spend: 'tv_spend', activity: 'tv_impressions' });
    rows = setRole(rows, 'search_cost', 'media_activity');
    m = rowsToMapping(rows).mapping;
    expect(m.channels.find((c) => c.name === 'search')).toEqual({ name: 'search', spend: null, activity: 'search_cost' });
    rows = setRole(rows, 'tv_impressions', 'ignore');
    m = rowsToMapping(rows).mapping;
    expect(m.channels[0]).toEqual({ name: 'Television', spend: 'tv_spend', activity: null });
    expect(mappingSummary(m)).toMatch(/2 channels/);
  });
  it('reports problems instead of producing a broken mapping', () => {
    let rows = initialRows(sample());
    rows = setRole(rows, 'sales', 'ignore');
    rows = renameChannel(rows, 'search_cost', 'tv');
    const { problems } = rowsToMapping(rows);
    expect(problems.join(' ')).toMatch(/KPI/);
    expect(problems.join(' ')).toMatch(/two spend columns/);
  });
  it('mappingToRows reflects a saved mapping', () => {
    const inf = sample();
    const rows = mappingToRows({ ...inf.mapping, controls: [], dummies: {}, channels: [{ name: 'X', spend: 'tv_spend', activity: null }] }, initialRows(inf));
    const m = rowsToMapping(rows).mapping;
    expect(m.channels).toEqual([{ name: 'X', spend: 'tv_spend', activity: null }]);
    expect(m.ignored).toEqual(expect.arrayContaining(['tv_impressions', 'search_cost', 'price', 'events']));
  });
  it('sparkline path', () => {
    expect(sparklinePath([], 10, 10)).toBe('');
    expect(sparklinePath([0, 1], 10, 10, 0)).toBe('M0.0 10.0 L10.0 0.0');
    expect(sparklinePath([1, NaN, 1], 10, 10, 0)).toBe('M0.0 5.0 M10.0 5.0');
  });
});

describe('event dummies in the editor model', () => {
  const lines = ['date,tv_spend,holiday,sales'];
  for (let t = 0; t < 40; t++) lines.push(`${new Date(Date.UTC(2023, 0, 2 + 7 * t)).toISOString().slice(0, 10)},${t},${t % 9 === 0 ? 'xmas' : t % 11 === 4 ? 'easter' : 'none'},${100 + t}`);
  const inf = inferSchema(parseCsvText(lines.join('\n')));

  it('offers every named value (the "none" reference excluded) and picks a subset', () => {
    const profile = inf.profiles.find((p) => p.column === 'holiday');
    expect(dummyChoices(profile)).toEqual(['xmas', 'easter']);
    const rows = setLevels(initialRows(inf), 'holiday', ['easter']);
    expect(rowsToMapping(rows).mapping).toMatchObject({ controls: ['holiday=easter'], dummies: { holiday: ['easter'] } });
  });

  it('no value ticked switches the column off; choosing Control again brings every value back', () => {
    const off = setLevels(initialRows(inf), 'holiday', []);
    expect(rowsToMapping(off).mapping.ignored).toContain('holiday');
    const on = setRole(off, 'holiday', 'control', inf.profiles);
    expect(rowsToMapping(on).mapping.dummies).toEqual({ holiday: ['xmas', 'easter'] });
  });
});
