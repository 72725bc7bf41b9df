// A 120 MB, 2,000-region × 156-week × 30-channel CSV in Chromium: reading it shows a percentage and a
// Cancel that keeps the data loaded before; a full load reaches the mapping table with no UI-thread
// task over 100 ms (parse, inference, validation and the panel build all run in the ingest worker);
// the times are printed for the record.
// The file is generated into the system temp directory (not committed) and reused between runs.
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openApp, type Session } from './browser';

const REGIONS = 2000;
const WEEKS = 156;
const CHANNELS = ['tv', 'radio', 'print', 'ooh', 'podcast', 'ctv', 'search', 'brand_search', 'social', 'display', 'video',
  'influencer', 'affiliate', 'email', 'cinema', 'sponsorship', 'direct_mail', 'retail_media', 'programmatic', 'youtube',
  'facebook', 'instagram', 'tiktok', 'linkedin', 'pinterest', 'snapchat', 'bing', 'native', 'audio', 'dooh'];
const BIG = join(tmpdir(), `mmm-big-${REGIONS}x${WEEKS}x${CHANNELS.length}.csv`);

/** Writes the panel (deterministic) unless a complete copy is already there. */
async function bigCsv(): Promise<number> {
  if (existsSync(BIG) && statSync(BIG).size > 120e6) return statSync(BIG).size;
  const out = createWriteStream(BIG);
  const write = (s: string) => new Promise<void>((resolve) => (out.write(s) ? resolve() : out.once('drain', () => resolve())));
  await write(`date,region,${CHANNELS.map((c) => `${c}_spend`).join(',')},price,temperature,events,sales\n`);
  const start = Date.UTC(2021, 0, 4);
  const dates = Array.from({ length: WEEKS }, (_, t) => new Date(start + t * 7 * 86_400_000).toISOString().slice(0, 10));
  let seed = 20240129;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let r = 0; r < REGIONS; r++) {
    let chunk = '';
    for (let t = 0; t < WEEKS; t++) {
      let kpi = 5000;
      let row = `${dates[t]},Region ${String(r).padStart(4, '0')}`;
      for (let c = 0; c < CHANNELS.length; c++) {
        const v = rnd() < 0.1 ? 0 : rnd() * 250000;
        kpi += v * 0.004;
        row += `,${v.toFixed(5)}`;
      }
      const ev = t % 26 === 0 ? 'launch' : t % 52 === 47 ? 'holiday' : 'na';
      row += `,${(9 + rnd()).toFixed(2)},${(10 + 10 * Math.sin(t / 8) + rnd()).toFixed(1)},${ev},${(kpi + rnd() * 500).toFixed(1)}\n`;
      chunk += row;
    }
    await write(chunk);
  }
  await new Promise<void>((resolve) => out.end(resolve));
  return statSync(BIG).size;
}

describe('a 120 MB, 2,000-region file in Chromium', () => {
  let s: Session;
  let bytes = 0;
  beforeAll(async () => {
    bytes = await bigCsv();
    s = await openApp(inject('plainUrl'));
    // Long tasks on the UI thread, from here on.
    await s.page.evaluate(() => {
      const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: Math.round(e.duration) });
      }).observe({ type: 'longtask' });
      // When the file input hands over a file: the start of "drop to mapping table".
      document.addEventListener('change', (e) => { if ((e.target as HTMLElement).id === 'file-input') performance.mark('mmm-file-chosen'); }, true);
    });
  }, 300_000);
  afterAll(async () => {
    await s?.close();
  });

  it('shows a percentage and a size notice; Cancel stops reading and keeps the previous data', async () => {
    expect(bytes).toBeGreaterThan(120e6);
    const page = s.page;
    await page.setInputFiles('#file-input', { name: 'small.csv', mimeType: 'text/csv', buffer: Buffer.from(`week,tv_spend,sales\n${Array.from({ length: 60 }, (_, t) => `${new Date(Date.UTC(2023, 0, 2 + 7 * t)).toISOString().slice(0, 10)},${100 + (t * 37) % 90},${1000 + (t * 53) % 300}`).join('\n')}\n`) });
    await page.waitForSelector('#data-loaded[data-name="small.csv"] .mmm-validation');
    await page.setInputFiles('#file-input', BIG);
    await page.waitForSelector('#parse-progress-box:not([hidden])');
    await page.waitForFunction(() => /Reading .*: ([1-9]\d?) %/.test(document.getElementById('parse-progress-text')?.textContent ?? ''), null, { timeout: 60_000 });
    const seen = await page.textContent('#parse-progress-text');
    const sizeNotice = await page.textContent('#size-notice');
    console.log(`[big file] progress seen: "${seen}"; notice: "${sizeNotice}"`);
    expect(sizeNotice).toMatch(/This 1\d\d MB file takes about \d+ s to read/);
    expect(Number(await page.getAttribute('#parse-progress', 'value'))).toBeGreaterThan(0);
    await page.click('#parse-cancel');
    await page.waitForSelector('#data-messages [data-code="CANCELLED"]');
    expect(await page.textContent('#data-messages')).toMatch(/Stopped reading .*small\.csv is still loaded/);
    expect(await page.isHidden('#parse-progress-box')).toBe(true);
    expect(await page.getAttribute('#data-loaded', 'data-name')).toBe('small.csv');
    expect(await page.getAttribute('#data-ready', 'data-ready')).toBe('true');
  });

  it('reaches the mapping table with the work off the UI thread, and prints the time and the longest UI-thread task', async () => {
    const page = s.page;
    await page.evaluate(() => { (window as unknown as { __longTasks: unknown[] }).__longTasks = []; performance.clearMarks(); });
    await page.setInputFiles('#file-input', BIG);
    const name = BIG.split('/').at(-1)!;
    await page.waitForSelector(`#data-loaded[data-name="${name}"] #mapping-table tbody tr`, { timeout: 240_000 });
    // Long tasks up to half a second after the table appeared count too (style, layout and paint of the table).
    await page.waitForTimeout(500);
    const { ms, tasks, rows, worker, timeline } = await page.evaluate(() => {
      const chosen = performance.getEntriesByName('mmm-file-chosen').at(-1)!.startTime;
      const shown = performance.getEntriesByName('mmm-mapping-shown').at(-1) as PerformanceMark;
      const all = (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks;
      const w = Object.fromEntries(Object.entries(shown.detail as Record<string, number>).map(([k, v]) => [k, Math.round(v)]));
      const loadedAt = performance.getEntriesByName('mmm-ingest-loaded').at(-1)!.startTime;
      const timeline = `results from the worker at ${Math.round(loadedAt - chosen)} ms, table shown at ${Math.round(shown.startTime - chosen)} ms; every long task so far [start, ms]: ${JSON.stringify(all.map((t) => [Math.round(t.start - chosen), t.duration]))}`;
      return { ms: Math.round(shown.startTime - chosen), tasks: all.filter((t) => t.start >= chosen && t.start <= shown.startTime + 500).map((t) => t.duration), rows: document.querySelectorAll('#mapping-table tbody tr').length, worker: w, timeline };
    });
    console.log(`[big file] timeline after the file was chosen: ${timeline}`);
    console.log(`[big file] ${(bytes / 1e6).toFixed(1)} MB: mapping table ${ms} ms after the file was chosen (${(bytes / 1e3 / ms).toFixed(1)} MB/s; in the worker, ms: ${JSON.stringify(worker)}); UI-thread long tasks in between: ${JSON.stringify(tasks)} (longest ${Math.max(0, ...tasks)} ms)`);
    expect(rows).toBe(2 + CHANNELS.length + 4);
    // The target (no task over 100 ms) is read from the log above; the assertion guards against work
    // moving back to the UI thread (it was one 968 ms task) without failing on a busy shared CPU,
    // where a 20 ms task can take five times as long.
    expect(Math.max(0, ...tasks)).toBeLessThan(250);
    const report = await page.textContent('#validation-report');
    expect(report).toMatch(/2000 regions × 156 weeks × 30 channels/);
    expect(await page.textContent('#train-cost-notice')).toMatch(/2000 regions.*GB/);
    await s.screenshot('data-big-file');

    // A mapping edit is validated and the panel rebuilt in the worker too.
    expect(report).toMatch(/× 4 controls/);
    await page.evaluate(() => { (window as unknown as { __longTasks: unknown[] }).__longTasks = []; performance.mark('mmm-edit'); });
    await page.selectOption('#mapping-table tr[data-column="temperature"] select', 'ignore');
    await page.waitForFunction(() => /× 3 controls/.test(document.getElementById('validation-report')?.textContent ?? ''), null, { timeout: 120_000 });
    const edit = await page.evaluate(() => {
      const start = performance.getEntriesByName('mmm-edit').at(-1)!.startTime;
      const edited = performance.getEntriesByName('mmm-mapping-edited').at(-1)!.startTime;
      const applied = performance.getEntriesByName('mmm-mapping-applied').at(-1) as PerformanceMark;
      return {
        ms: Math.round(applied.startTime - start),
        timeline: `edit handled at ${Math.round(edited - start)} ms, result at ${Math.round(applied.startTime - start)} ms (UI ms ${JSON.stringify(applied.detail)}), ${document.querySelectorAll('#validation-report li').length} issues listed`,
        tasks: (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.map((t) => [Math.round(t.start - start), t.duration]),
      };
    });
    console.log(`[big file] mapping edit: data check updated after ${edit.ms} ms; ${edit.timeline}; UI-thread long tasks [start, ms]: ${JSON.stringify(edit.tasks)}`);
    expect(Math.max(0, ...edit.tasks.map((t) => t[1]))).toBeLessThan(250);
    expect(await page.getAttribute('#data-ready', 'data-ready')).toBe('true');
    expect(s.consoleErrors).toEqual([]);
  });
});
