import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../web/cli/main';
import { serializeMapping } from '../../../web/src/ingest/index';
import { fixturePath, hasSharedData, SHARED_DATA } from './helpers';

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['inspect', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('mmm-studio inspect', () => {
  it('--json has the documented shape and exit 0 for good data', async () => {
    const { code, out } = await run([fixturePath('ok_geo_panel.csv'), '--json']);
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j).toMatchObject({ regions: 3, weeks: 60, kpi: 'conversions', region: 'geo', time: 'week', canTrain: true });
    expect(j.media).toEqual([
      { name: 'tv', spend: 'tv_spend', activity: null },
      { name: 'radio', spend: 'radio_spend', activity: null },
    ]);
    expect(j.controls).toEqual(['competitor_price']);
    expect(j.ignored).toEqual([]);
    expect(Array.isArray(j.errors)).toBe(true);
    expect(Array.isArray(j.warnings)).toBe(true);
    for (const w of j.warnings) expect(Object.keys(w).every((k) => ['code', 'message', 'column', 'rows'].includes(k))).toBe(true);
  });
  it('exit 1 with errors naming column and rows', async () => {
    const { code, out } = await run(['--json', fixturePath('negative_spend.csv')]);
    expect(code).toBe(1);
    const j = JSON.parse(out);
    expect(j.errors[0]).toMatchObject({ code: 'NEGATIVE_SPEND', column: 'tv_spend', rows: [11, 12, 41] });
  });
  it('human-readable report', async () => {
    const { code, out } = await run([fixturePath('duplicate_weeks_national.csv')]);
    expect(code).toBe(1);
    expect(out).toMatch(/Panel: 1 region\(s\) × 70 week/);
    expect(out).toMatch(/\[DUPLICATE_ROWS\] \(column "date", rows 15, 16, 30, 32\)/);
    expect(out).toMatch(/NOT READY/);
    const ok = await run([fixturePath('ok_national_weekly.csv')]);
    expect(ok.out).toMatch(/search: spend search_spend, activity search_clicks/);
    expect(ok.out).toMatch(/Result: OK/);
  });
  it('exit 2 for unreadable files and bad usage', async () => {
    const missing = await run(['/nonexistent/file.csv', '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.out).errors[0].code).toBe('FILE_UNREADABLE');
    expect(missing.err).toMatch(/no such file/);
    expect((await run([])).code).toBe(2);
    expect((await run(['a.csv', '--bogus'])).code).toBe(2);
    expect((await run(['a.csv', '--holdout-weeks', 'x'])).code).toBe(2);
    expect((await run(['--help'])).code).toBe(0);
  });
  it('empty file → exit 1 with EMPTY_FILE', async () => {
    const { code, out } = await run([fixturePath('empty.csv'), '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out).errors.map((e: { code: string }) => e.code)).toContain('EMPTY_FILE');
  });
  it('--holdout-weeks and --mapping', async () => {
    expect((await run([fixturePath('ok_geo_panel.csv'), '--holdout-weeks', '40'])).code).toBe(1);
    const dir = mkdtempSync(join(tmpdir(), 'mmm-inspect-'));
    const mf = join(dir, 'm.json');
    writeFileSync(mf, serializeMapping({ time: 'week', region: 'geo', kpi: 'conversions', channels: [{ name: 'TV', spend: 'tv_spend', activity: null }], controls: [], ignored: [] }, []));
    const { code, out } = await run([fixturePath('ok_geo_panel.csv'), '--json', '--mapping', mf]);
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.media).toEqual([{ name: 'TV', spend: 'tv_spend', activity: null }]);
    expect(j.ignored).toEqual(['radio_spend', 'competitor_price']);
  });
  it.skipIf(!hasSharedData)('shared Meridian geo file', async () => {
    const { code, out } = await run([join(SHARED_DATA, 'meridian/geo_all_channels.csv'), '--json']);
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.regions).toBe(40);
    expect(j.weeks).toBe(156);
    expect(j.media).toHaveLength(6);
  });
});
