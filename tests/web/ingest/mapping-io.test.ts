import { describe, expect, it } from 'vitest';
import {
  applyMapping, headerFingerprint, inferSchema, loadMappingFromStore, parseCsvText, parseMappingJson, saveMappingToStore, serializeMapping, IngestError, type Mapping,
} from '../../../web/src/ingest/index';

const mapping: Mapping = {
  time: 'date', region: null, kpi: 'sales',
  channels: [{ name: 'TV', spend: 'tv_spend', activity: 'tv_grps' }, { name: 'Old', spend: 'old_spend', activity: null }],
  controls: ['price', 'events=launch'], ignored: ['notes'], revenuePerKpi: null, dummies: { events: ['launch'] },
};

describe('mapping save / apply', () => {
  it('round-trips through JSON', () => {
    const text = serializeMapping(mapping, ['date', 'tv_spend'], new Date('2024-01-01T00:00:00Z'));
    const saved = parseMappingJson(text);
    expect(saved.mapping).toEqual(mapping);
    expect(saved.savedAt).toBe('2024-01-01T00:00:00.000Z');
    // A bare mapping object is accepted too.
    expect(parseMappingJson(JSON.stringify(mapping)).mapping).toEqual(mapping);
  });
  it('keeps the date-order override through JSON and re-apply, and rejects a bad one', () => {
    const withOrder: Mapping = { ...mapping, dateOrder: 'dmy' };
    expect(parseMappingJson(serializeMapping(withOrder, [])).mapping.dateOrder).toBe('dmy');
    expect(applyMapping(withOrder, { columns: ['date', 'tv_spend', 'sales'] }).mapping.dateOrder).toBe('dmy');
    expect(() => parseMappingJson(JSON.stringify({ ...mapping, dateOrder: 'ymd' }))).toThrow(/mapping\.dateOrder.*"dmy"/);
  });
  it('rejects bad files naming the field', () => {
    expect(() => parseMappingJson('{')).toThrow(IngestError);
    expect(() => parseMappingJson(JSON.stringify({ ...mapping, channels: [{ name: 1 }] }))).toThrow(/channels\[0\]\.name/);
    expect(() => parseMappingJson(JSON.stringify({ ...mapping, kpi: 3 }))).toThrow(/mapping\.kpi/);
    expect(() => parseMappingJson(JSON.stringify({ format: 'mmm-studio-mapping', version: 99, mapping }))).toThrow(/version 99/);
  });
  it('re-applies to a new file: absent columns dropped with a warning, new columns ignored', () => {
    const t = parseCsvText('date,tv_spend,tv_grps,price,events,notes,new_col,sales\n2024-01-01,1,2,3,launch,x,5,6\n');
    const { mapping: m, issues } = applyMapping(parseMappingJson(serializeMapping(mapping, [])), t);
    expect(m.channels).toEqual([{ name: 'TV', spend: 'tv_spend', activity: 'tv_grps' }]);
    expect(issues.find((i) => i.code === 'MAPPING_COLUMN_ABSENT')!.column).toBe('old_spend');
    expect(m.controls).toEqual(['price', 'events=launch']);
    expect(m.ignored).toEqual(['notes', 'new_col']);
    expect(issues.find((i) => i.code === 'NEW_COLUMNS_IGNORED')!.message).toContain('new_col');
  });
  it('remembers a mapping per header in a key-value store', () => {
    const mem = new Map<string, string>();
    const store = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) };
    const cols = ['date', 'tv_spend', 'sales'];
    expect(loadMappingFromStore(store, cols)).toBeNull();
    saveMappingToStore(store, mapping, cols);
    expect(loadMappingFromStore(store, cols)!.mapping).toEqual(mapping);
    expect(loadMappingFromStore(store, ['other'])).toBeNull();
    expect(headerFingerprint(cols)).not.toBe(headerFingerprint([...cols].reverse()));
    mem.set(headerFingerprint(cols), 'garbage');
    expect(loadMappingFromStore(store, cols)).toBeNull();
  });
  it('an inferred mapping survives save and apply unchanged', () => {
    const lines = ['date,tv_spend,sales'];
    for (let i = 0; i < 10; i++) lines.push(`2024-01-${String(1 + i).padStart(2, '0')},${i},${i}`);
    const t = parseCsvText(lines.join('\n'));
    const inf = inferSchema(t);
    const { mapping: m, issues } = applyMapping(parseMappingJson(serializeMapping(inf.mapping, t.columns)), t);
    expect(issues).toEqual([]);
    expect(m).toEqual({ ...inf.mapping, revenuePerKpi: null });
  });
});
