import { describe, expect, it } from 'vitest';
import { sortRegionRows } from '../../../web/src/app/panels/regions-table';
import type { RegionRow } from '../../../web/src/charts/data';

const row = (region: string, r2: number | null, actual: number): RegionRow => ({
  region, index: 0, actual, predicted: actual, r2, wape: null, holdoutR2: null, holdoutWape: null, media: 0, mediaShare: null,
});

describe('sortRegionRows', () => {
  const rows = [row('Region 10', 0.5, 3), row('Region 2', null, 9), row('Region 1', 0.9, 1)];
  it('sorts numbers both ways with missing values last', () => {
    expect(sortRegionRows(rows, 'r2', false).map((r) => r.region)).toEqual(['Region 1', 'Region 10', 'Region 2']);
    expect(sortRegionRows(rows, 'r2', true).map((r) => r.region)).toEqual(['Region 10', 'Region 1', 'Region 2']);
    expect(sortRegionRows(rows, 'actual', false).map((r) => r.actual)).toEqual([9, 3, 1]);
  });
  it('sorts names naturally (Region 2 before Region 10)', () => {
    expect(sortRegionRows(rows, 'region', true).map((r) => r.region)).toEqual(['Region 1', 'Region 2', 'Region 10']);
  });
});
