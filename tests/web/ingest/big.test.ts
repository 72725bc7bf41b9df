// One million rows generated on the fly (not a fixture): parse time printed, panel built.
import { describe, expect, it } from 'vitest';
import { buildPanel, inferSchema, parseCsvText, validate } from '../../../web/src/ingest/index';
import { parseBlobStreaming } from '../../../web/src/ingest/stream';

function bigCsv(regions: number, weeks: number): string {
  const parts: string[] = ['geo,date,tv_spend,search_spend,search_impressions,price,conversions\n'];
  const start = Date.UTC(2000, 0, 3); // a Monday
  const dates = Array.from({ length: weeks }, (_, t) => new Date(start + t * 7 * 86_400_000).toISOString().slice(0, 10));
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let r = 0; r < regions; r++) {
    let chunk = '';
    for (let t = 0; t < weeks; t++) {
      const tv = (rnd() * 1000).toFixed(2);
      const s = (rnd() * 500).toFixed(2);
      chunk += `R${r},${dates[t]},${tv},${s},${Math.round(Number(s) * 40)},${(9 + rnd()).toFixed(2)},${(1000 + rnd() * 300).toFixed(1)}\n`;
    }
    parts.push(chunk);
  }
  return parts.join('');
}

describe('1 million rows', () => {
  it('parses, infers, validates and builds the panel', async () => {
    const regions = 1000;
    const weeks = 1000;
    const text = bigCsv(regions, weeks);
    const t0 = performance.now();
    const table = parseCsvText(text);
    const parseMs = performance.now() - t0;
    expect(table.rowCount).toBe(1_000_000);
    const t1 = performance.now();
    const inf = inferSchema(table);
    const inferMs = performance.now() - t1;
    const t2 = performance.now();
    const rep = validate(table, inf.mapping);
    const validateMs = performance.now() - t2;
    const t3 = performance.now();
    const panel = buildPanel(table, inf.mapping);
    const panelMs = performance.now() - t3;
    // eslint-disable-next-line no-console
    console.log(
      `[1M rows, ${(text.length / 1e6).toFixed(1)} MB] parse ${parseMs.toFixed(0)} ms · infer ${inferMs.toFixed(0)} ms · validate ${validateMs.toFixed(0)} ms · buildPanel ${panelMs.toFixed(0)} ms`,
    );
    expect(inf.mapping.region).toBe('geo');
    expect(inf.mapping.kpi).toBe('conversions');
    expect(inf.mapping.channels).toContainEqual({ name: 'search', spend: 'search_spend', activity: 'search_impressions' });
    expect(rep.errors).toEqual([]);
    expect(panel.regions).toBe(regions);
    expect(panel.weeks).toBe(weeks);
    expect(panel.media.length).toBe(regions * weeks * 2);
    // Numeric columns keep no per-row text.
    expect(table.data[2].codes).toBeNull();

    // The streaming path (what the worker runs) gives the same table.
    const t4 = performance.now();
    const streamed = await parseBlobStreaming(new Blob([text]), { sliceBytes: 1 << 20 });
    const streamMs = performance.now() - t4;
    // eslint-disable-next-line no-console
    console.log(`[1M rows] streaming parse (1 MB slices) ${streamMs.toFixed(0)} ms`);
    expect(streamed.rowCount).toBe(table.rowCount);
    expect(streamed.columns).toEqual(table.columns);
    expect(streamed.data[2].values[999_999]).toBe(table.data[2].values[999_999]);
    expect(streamed.data[0].dict!.length).toBe(regions);
  }, 120_000);
});
