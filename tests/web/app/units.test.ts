// The currency / KPI-unit setting travels with the mapping: saved in the mapping file, re-applied
// to a new upload, stored in a model bundle (which keeps the mapping), and old files without it
// still open. appState.units reads it from the loaded mapping.
import { describe, expect, it } from 'vitest';
import { appState, type Dataset } from '../../../web/src/app/state';
import { unitViewOptions } from '../../../web/src/app/panels/units-settings';
import { readBundle, sha256Hex, writeBundle } from '../../../web/src/export/bundle';
import { applyMapping, parseMappingJson, serializeMapping, type Mapping } from '../../../web/src/ingest/index';

const mapping: Mapping = {
  time: 'date', region: null, kpi: 'sales', channels: [{ name: 'TV', spend: 'tv_spend', activity: null }],
  controls: [], ignored: [], revenuePerKpi: null, dummies: {},
};
const withUnits: Mapping = { ...mapping, units: { currency: 'EUR', kpi: 'conversions' } };

describe('units in the mapping file', () => {
  it('round-trip through JSON and through re-applying to a file of the same layout', () => {
    expect(parseMappingJson(serializeMapping(withUnits, ['date', 'tv_spend', 'sales'])).mapping.units).toEqual({ currency: 'EUR', kpi: 'conversions' });
    expect(applyMapping(withUnits, { columns: ['date', 'tv_spend', 'sales'] }).mapping.units).toEqual({ currency: 'EUR', kpi: 'conversions' });
  });

  it('a symbol is stored as its ISO code', () => {
    expect(parseMappingJson(JSON.stringify({ ...mapping, units: { currency: '€' } })).mapping.units).toEqual({ currency: 'EUR' });
  });

  it('files saved before units existed still open, with none', () => {
    expect(parseMappingJson(JSON.stringify(mapping)).mapping.units).toBeUndefined();
  });

  it('a bad unit is an error naming the field and saying what to write', () => {
    expect(() => parseMappingJson(JSON.stringify({ ...mapping, units: { currency: 'euros' } }))).toThrow(/"mapping\.units": "euros" is not a currency: use an ISO 4217 code such as EUR/);
    expect(() => parseMappingJson(JSON.stringify({ ...mapping, units: 'EUR' }))).toThrow(/"mapping\.units" should be an object with text fields "currency"/);
    expect(() => parseMappingJson(JSON.stringify({ ...mapping, units: { kpi: 7 } }))).toThrow(/mapping\.units/);
  });
});

describe('units in a model bundle', () => {
  const meta = (m: Mapping | null) => {
    const metrics = { r2: 0.9, r2_within: 0.8, rmse: 1, mae: 1, wape: 0.1, rel_error: 0.1, r2_region_median: 0.8 };
    return {
      app: { name: 'MMM Studio' as const, version: 'test' }, createdAt: '2026-01-01T00:00:00.000Z', dataName: 'data.csv',
      fingerprint: sha256Hex(new Float32Array([1])), shape: { regions: 1, weeks: 1, channels: 1, controls: 0 }, dates: ['2024-01-01'],
      mediaUnit: ['spend'] as ('spend' | 'activity')[], mapping: m, settings: {}, metrics: { train: metrics, holdout: metrics } as never, truth: null,
    };
  };

  it('are kept with the mapping; a bundle without them opens with none', async () => {
    const saved = await readBundle(await writeBundle({ fit: new Uint8Array([1, 2, 3]), spend: null, data: null, meta: meta(withUnits) }));
    expect(saved.meta.mapping?.units).toEqual({ currency: 'EUR', kpi: 'conversions' });
    const old = await readBundle(await writeBundle({ fit: new Uint8Array([1, 2, 3]), spend: null, data: null, meta: meta(mapping) }));
    expect(old.meta.mapping?.units).toBeUndefined();
  });
});

describe('appState.units', () => {
  const dataset = (m: Mapping | null): Dataset => ({ source: 'file', name: 'x.csv', table: null, inference: null, mapping: m, report: null, panel: null, truth: null, original: null });

  it('come from the loaded mapping, are written into it, and reach the charts as labels', () => {
    appState.setDataset(dataset(withUnits));
    expect(appState.units).toEqual({ currency: 'EUR', kpi: 'conversions' });
    expect(unitViewOptions()).toEqual({ kpiLabel: 'conversions', spendLabel: '€' });
    appState.setUnits({ currency: 'usd', kpi: 'sales' });
    expect(appState.dataset?.mapping?.units).toEqual({ currency: 'USD', kpi: 'sales' });
    expect(unitViewOptions()).toEqual({ kpiLabel: 'sales', spendLabel: '$' });
  });

  it('data without a mapping (the example) keeps them for the session; new data starts without', () => {
    appState.setDataset(dataset(null));
    expect(appState.units).toEqual({});
    appState.setUnits({ currency: 'GBP' });
    expect(appState.units).toEqual({ currency: 'GBP' });
    appState.setDataset(dataset(mapping));
    expect(appState.units).toEqual({});
    appState.reset();
  });
});
