// Every dashboard view from a real fit in Chromium: each draws an SVG with marks, a screenshot of
// each is saved, and PNG/SVG/CSV exports download. Runs on the example data and, when the shared
// datasets are present, on Meridian's geo_all_channels uploaded through the drop zone.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropFile, openApp, screenshotDir, type Session } from './browser';

const meridian = new URL('../../../shared/data/meridian/geo_all_channels.csv', import.meta.url);

async function trainAndOpenResults(s: Session, load: () => Promise<void>, epochs?: number) {
  const { page } = s;
  await load();
  await page.click('#tab-train');
  if (epochs) {
    await page.click('#train-advanced summary');
    await page.fill('#opt-epochs', String(epochs));
  }
  await page.click('#train-button');
  await page.waitForFunction(() => /Trained \d+ epochs/.test(document.getElementById('train-status')?.textContent ?? ''), null, { timeout: 240_000 });
  await page.click('#tab-results');
  await page.waitForSelector('#view-chart svg');
}

async function visitEveryView(s: Session, prefix: string): Promise<string[]> {
  const { page } = s;
  const ids = await page.$$eval('#view-nav button:not([disabled])', (bs) => bs.map((b) => (b as HTMLElement).dataset.view!));
  for (const id of ids) {
    await page.click(`#view-nav button[data-view="${id}"]`);
    await page.waitForSelector(`#view-chart[data-view="${id}"]:is([data-state="drawn"], [data-state="error"])`);
    expect(await page.textContent('#view-messages'), `view ${id} drew without error`).toBe('');
    const marks = await page.locator('#view-chart svg .mark-symbol path, #view-chart svg .mark-line path, #view-chart svg .mark-rect path, #view-chart svg .mark-area path, #view-chart svg .mark-arc path, #view-chart svg .mark-text text, #view-chart svg .mark-rule line, #view-chart svg .mark-point path, #view-chart svg .mark-tick line').count();
    expect(marks, `view ${id} has marks`).toBeGreaterThan(0);
    await page.locator('#view-chart').screenshot({ path: join(screenshotDir, `${prefix}-${id}.png`) });
  }
  return ids;
}

describe('dashboards on the example data', () => {
  let s: Session;
  beforeAll(async () => {
    const url = inject('isolatedUrl');
    s = await openApp(url);
  });
  afterAll(async () => s.close());

  it('opens every view with marks, and exports PNG, SVG and CSV', async () => {
    await trainAndOpenResults(s, async () => {
      await s.page.click('#try-demo');
      await s.page.waitForSelector('#demo-summary');
    });
    const ids = await visitEveryView(s, 'view-demo');
    expect(ids.length).toBeGreaterThanOrEqual(15);

    // Regions: sortable table, and a region drills into the fit view for that region.
    await s.page.click('#view-nav button[data-view="regions"]');
    await s.page.waitForSelector('#regions-table tbody tr');
    await s.page.click('#regions-table [data-sort="r2"]');
    expect(await s.page.getAttribute('#regions-table th:has([data-sort="r2"])', 'aria-sort')).toBe('descending');
    const firstRegion = await s.page.getAttribute('#regions-table tbody tr:first-child', 'data-region');
    await s.page.click('#regions-table tbody tr:first-child [data-drill="actual-vs-predicted"]');
    await s.page.waitForSelector('#view-chart[data-view="actual-vs-predicted"][data-state="drawn"]');
    const chosen = await s.page.$eval('#view-opt-region', (el) => (el as HTMLSelectElement).selectedOptions[0].textContent);
    expect(chosen).toBe(firstRegion);
    for (const [button, ext] of [['#export-png', 'png'], ['#export-svg', 'svg'], ['#export-csv', 'csv']] as const) {
      const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.click(button)]);
      const path = join(screenshotDir, `export.${ext}`);
      await download.saveAs(path);
      expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${ext}$`));
      expect(statSync(path).size).toBeGreaterThan(100);
      if (ext === 'csv') expect(readFileSync(path, 'utf8').split('\n').length).toBeGreaterThan(2);
      if (ext === 'svg') expect(readFileSync(path, 'utf8')).toMatch(/<svg/);
    }

    // The HTML report: downloaded, then opened from file:// with the network off.
    await s.page.click('#tab-export');
    const [report] = await Promise.all([s.page.waitForEvent('download', { timeout: 120_000 }), s.page.click('#download-report')]);
    const reportPath = join(screenshotDir, 'report.html');
    await report.saveAs(reportPath);
    const offline = await s.context.newPage();
    await s.context.setOffline(true);
    await offline.goto(`file://${reportPath}`);
    const sections = await offline.locator('section.view').count();
    expect(sections).toBe(ids.length);
    expect(await offline.locator('section.view figure svg').count()).toBe(sections);
    await offline.screenshot({ path: join(screenshotDir, 'report-offline.png') });
    await offline.close();
    await s.context.setOffline(false);

    expect(s.consoleErrors).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});

describe.runIf(existsSync(meridian))("dashboards on Meridian's geo_all_channels", () => {
  let s: Session;
  beforeAll(async () => {
    const url = inject('plainUrl');
    s = await openApp(url);
  });
  afterAll(async () => s.close());

  it('uploads through the drop zone, trains and opens every view', async () => {
    await trainAndOpenResults(s, async () => {
      await dropFile(s.page, 'geo_all_channels.csv', readFileSync(meridian));
      await s.page.waitForSelector('#data-loaded[data-name="geo_all_channels.csv"] .mmm-validation-ok');
    }, 120);
    const ids = await visitEveryView(s, 'view-meridian');
    expect(ids.length).toBeGreaterThanOrEqual(15);
    expect(s.consoleErrors).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});
