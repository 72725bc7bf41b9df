// Uncertainty intervals in Chromium: after a fit on the example data, "Estimate uncertainty" runs the
// ensemble in the worker with progress, then the Results views draw the intervals — error bars on
// ROI, bands on the response curves and the forecast — and the Budget tab shows the uplift's range.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openApp, trainDemo, type Session } from './browser';

describe('uncertainty intervals in Chromium', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp(inject('isolatedUrl'));
  });
  afterAll(async () => s.close());

  async function showView(id: string): Promise<void> {
    await s.page.click(`#view-nav button[data-view="${id}"]`);
    await s.page.waitForSelector(`#view-chart[data-view="${id}"][data-state="drawn"]`);
    expect(await s.page.textContent('#view-messages')).toBe('');
  }

  it('estimates uncertainty in one click and draws it on ROI, curves, forecast and budget', async () => {
    const { page } = s;
    await trainDemo(page, { epochs: 30, hidden: 16 });
    await page.waitForSelector('#uncertainty-button:not([hidden])');
    expect(await page.textContent('#uncertainty-button')).toMatch(/Estimate uncertainty \(\d+ fits\)/);

    // Progress names the member being fitted; the end message names the level.
    await page.click('#uncertainty-button');
    await page.waitForFunction(() => /Estimating uncertainty: fit \d+ of \d+/.test(document.getElementById('train-status')?.textContent ?? ''));
    await page.waitForFunction(() => /Uncertainty estimated from \d+ fits/.test(document.getElementById('train-status')?.textContent ?? ''), null, { timeout: 300_000 });
    expect(await page.textContent('#train-status')).toMatch(/90 % intervals/);
    expect(await page.isHidden('#uncertainty-button')).toBe(true);

    await page.click('#tab-results');
    await page.waitForSelector('#view-chart svg');
    await showView('roi');
    // One error bar (a rule) per ROI and marginal ROI of the 8 demo channels.
    expect(await page.locator('#view-chart svg .roi_interval_marks line').count()).toBe(16);
    await s.screenshot('intervals-roi');

    await showView('response-curves');
    expect(await page.locator('#view-chart svg .curve_interval_marks path').count()).toBe(8);

    await showView('actual-vs-predicted');
    expect(await page.locator('#view-chart svg .forecast_interval_marks path').count()).toBe(1);
    expect(await page.textContent('#view-chart')).toMatch(/Band: the prediction's 90 % interval/);
    await s.screenshot('intervals-forecast');

    await page.click('#tab-budget');
    await page.waitForSelector('#budget-chart svg');
    expect(await page.textContent('#budget-chart')).toMatch(/90 % interval .* to .*, \d+ fits/);
    expect(s.consoleErrors).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});
