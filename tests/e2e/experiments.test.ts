// Calibration in Chromium: a bad experiments file dropped on the Data tab's second drop zone lists
// its row-numbered problems (and does not replace the data); the example experiment is added, a
// fit without it and one with it are run, and "Experiments: measured vs model" shows the measured
// lift with the model's lift before and after calibration, and the Model quality verdict warns when
// the calibrated model still disagrees with the test. An ROI prior typed in Train → Advanced
// with a bad spread is listed and blocks training.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, trainDemo, type Session } from './browser';

async function dropOn(page: Page, selector: string, name: string, text: string): Promise<void> {
  await page.evaluate(({ selector, name, text }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type: 'text/csv' }));
    const target = document.querySelector(selector)!;
    for (const kind of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(kind, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { selector, name, text });
}

async function train(page: Page): Promise<void> {
  await page.click('#tab-train');
  await page.click('#train-button');
  await page.waitForFunction(() => /Trained \d+ epochs/.test(document.getElementById('train-status')?.textContent ?? '') && !document.getElementById('train-button')?.hasAttribute('disabled'), null, { timeout: 240_000 });
}

describe('experiments and priors in Chromium', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp(inject('isolatedUrl'));
  });
  afterAll(async () => s.close());

  it('drops experiments, calibrates, and shows measured vs model before and after', async () => {
    const { page } = s;
    // A model without experiments first (the "before").
    await trainDemo(page, { epochs: 40, hidden: 16 });

    await page.click('#tab-data');
    await page.waitForSelector('#experiments-panel:not([hidden])');
    await dropOn(page, '#experiments-drop', 'tests.csv', 'channel,start,end,lift,lift_se\nSerch,2023-03-06,2023-04-24,1000,100\nTV,2023-03-06,2023-02-06,1000,-5\n');
    await page.waitForSelector('#experiments-table[data-state="invalid"]');
    const messages = await page.$$eval('#experiments-messages li', (lis) => lis.map((l) => l.textContent));
    expect(messages).toEqual([
      expect.stringContaining("row 2: unknown channel 'Serch'; did you mean 'Search'?"),
      'row 3: the end (2023-02-06) is before the start (2023-03-06); swap them',
      'row 3: lift_se is -5; a standard error must be positive',
    ]);
    // The data is still the example data (the drop did not reach the page-wide drop target).
    expect(await page.getAttribute('#data-loaded', 'data-name')).toMatch(/Example data/);
    // Training refuses while the file has problems.
    await page.click('#tab-train');
    await page.click('#train-button');
    await page.waitForFunction(() => /experiments file has 3 problems/.test(document.getElementById('train-messages')?.textContent ?? ''));

    // The example experiment (a lift test on Search from the simulation's truth) replaces it.
    await page.click('#tab-data');
    await page.click('#add-example-experiment');
    await page.waitForSelector('#experiments-table[data-state="valid"]');
    const row = await page.$$eval('#experiments-rows tbody td', (tds) => tds.map((t) => t.textContent));
    expect(row[1]).toBe('Search');
    expect(row[4]).toBe('25 regions');
    expect(row[7]).toBe('the whole carryover');  // no readout_weeks column in the example

    await train(page);
    const fit = await page.evaluate(() => {
      const r = (window as unknown as { __mmm: { state: { results: { calibration?: { experiments: { measured: number; se: number; before: number | null; after: number }[] } } } } }).__mmm.state.results;
      return r.calibration?.experiments;
    });
    expect(fit).toHaveLength(1);
    expect(fit![0].before).not.toBeNull();
    for (const k of ['measured', 'se', 'before', 'after'] as const) expect(Number.isFinite(fit![0][k])).toBe(true);

    await page.click('#tab-results');
    await page.click('#view-nav button[data-view="experiments"]');
    await page.waitForSelector('#view-chart[data-view="experiments"][data-state="drawn"]');
    expect(await page.textContent('#view-messages')).toBe('');
    const legend = await page.$$eval('#view-chart svg .role-legend-label text', (ts) => ts.map((t) => t.textContent));
    expect(legend).toEqual(['Measured (± 1 and 2 SE)', 'Model before calibration', 'Model after calibration']);
    expect(await page.locator('#view-chart svg .mark-symbol.role-mark path').count()).toBe(3);
    expect(await page.locator('#view-chart svg .mark-rule line').count()).toBeGreaterThanOrEqual(2);
    await s.screenshot('experiments-measured-vs-model');

    // The Model quality verdict warns exactly when the calibrated model is still more than 2 SE from
    // the test: its lift, or its whole-period ROI against the ROI the test implies.
    const gaps = await page.evaluate(() => {
      const r = (window as unknown as { __mmm: { state: { results: { economics: { channel: string; roi: number | null }[]; calibration: { experiments: { channel: string; measured: number; se: number; after: number; spend: number }[] } } } } }).__mmm.state.results;
      const x = r.calibration.experiments[0];
      const roi = r.economics.find((e) => e.channel === x.channel)!.roi!;
      return { lift: (x.after - x.measured) / x.se, roi: (roi - x.measured / x.spend) / (x.se / x.spend) };
    });
    expect(Number.isFinite(gaps.lift) && Number.isFinite(gaps.roi)).toBe(true);
    const disagrees = Math.abs(gaps.lift) > 2 || Math.abs(gaps.roi) > 2;
    expect(await page.locator('#experiments-calibration-warning').count()).toBe(disagrees ? 1 : 0);
    await page.click('#view-nav button[data-view="quality"]');
    await page.waitForSelector('#view-chart[data-view="quality"][data-state="drawn"]');
    expect(await page.locator('#verdict-calibration-warning').count()).toBe(disagrees ? 1 : 0);
    if (disagrees) expect(await page.textContent('#verdict-calibration-warning')).toContain('Search');

    // What calibration moved: every channel's ROI before (the model trained first, without the
    // test) and after; the notice above the view exactly when an untested channel moved by > 20 %.
    const shifts = await page.evaluate(() => {
      const r = (window as unknown as { __mmm: { state: { results: { economics: { channel: string; roi: number | null }[]; calibration: { roiBefore?: { channel: string; roi: number | null }[] } } } } }).__mmm.state.results;
      return (r.calibration.roiBefore ?? []).map((b) => ({ channel: b.channel, before: b.roi, after: r.economics.find((e) => e.channel === b.channel)!.roi }));
    });
    const priced = shifts.filter((x) => x.before !== null && x.after !== null);
    expect(priced.length).toBeGreaterThanOrEqual(2);
    await page.click('#view-nav button[data-view="calibration-shift"]');
    await page.waitForSelector('#view-chart[data-view="calibration-shift"][data-state="drawn"]');
    expect(await page.textContent('#view-messages')).toBe('');
    expect(await page.locator('#view-chart svg .mark-symbol.role-mark path').count()).toBe(2 * priced.length);
    expect(await page.$$eval('#view-chart svg .role-axis-label text', (ts) => ts.map((t) => t.textContent))).toContain('Search (tested)');
    const moved = priced.filter((x) => x.channel !== 'Search' && Math.abs(x.after! / x.before! - 1) > 0.2);
    expect(await page.locator('#calibration-shift-notice').count()).toBe(moved.length ? 1 : 0);
    await s.screenshot('calibration-shift');
    expect(s.consoleErrors).toEqual([]);
  });

  it('lists a bad ROI prior and blocks training until it is fixed', async () => {
    const { page } = s;
    await page.click('#tab-train');
    if (!(await page.isVisible('#add-prior'))) await page.click('#train-advanced summary');
    await page.click('#add-prior');
    await page.fill('.mmm-prior-mean', '3');
    await page.fill('.mmm-prior-sd', '0');
    await page.waitForSelector('#priors-table[data-state="invalid"]');
    expect(await page.textContent('#priors-messages')).toContain('prior 1: roi_sd is 0; the spread must be positive');
    await page.click('#train-button');
    await page.waitForFunction(() => /ROI priors have 1 problem/.test(document.getElementById('train-messages')?.textContent ?? ''));
    await page.fill('.mmm-prior-sd', '1');
    await page.waitForSelector('#priors-table[data-state="valid"]');
  });
});
