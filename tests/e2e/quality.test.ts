// The verdict on the forecasts in the app, after training the example data: the Model quality view
// shows the verdict as text above the chart, the validation backtest beside the holdout figures
// and media's share of the prediction; the quality table gains a Validation column; when the app
// falls back to the naive forecast, Actual vs predicted draws it, labelled.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { join } from 'node:path';
import { axeViolations, describeViolations } from './axe';
import { openApp, screenshotDir, trainDemo, type Session } from './browser';

describe('Model quality: verdict, validation backtest and media share', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp(inject('isolatedUrl'));
  });
  afterAll(async () => s.close());

  it('appear on the Model quality view after training the demo', async () => {
    const { page } = s;
    await trainDemo(page, { epochs: 30, hidden: 16 });
    await page.click('#tab-results');
    await page.click('#view-nav button[data-view="quality"]');
    await page.waitForSelector('#view-chart[data-view="quality"][data-state="drawn"]');

    // The verdict: visible text at the top of the view, above the chart.
    const verdict = page.locator('#quality-verdict');
    expect(await verdict.isVisible()).toBe(true);
    const text = (await page.textContent('#verdict-text'))!;
    expect(text).toMatch(/^Verdict: The model (forecasts \S+ better than each region’s recent average|does not beat a naive forecast on these weeks: treat its attributions with caution)/);
    const above = await page.evaluate(() => {
      const v = document.getElementById('quality-verdict')!.getBoundingClientRect();
      const c = document.getElementById('view-chart')!.getBoundingClientRect();
      return v.bottom <= c.top;
    });
    expect(above).toBe(true);

    // The validation backtest (one origin today) beside the holdout, with figures.
    const validation = page.locator('#verdict-backtest tr[data-window="validation-0"]');
    expect(await validation.locator('th').textContent()).toMatch(/^Validation \(\d+ weeks from \d{4}-\d{2}-\d{2}\)$/);
    const cells = await validation.locator('td').allTextContents();
    expect(cells).toHaveLength(4);
    expect(cells[0]).toMatch(/^−?\d\.\d{3}$/); // R²
    expect(cells[1]).toMatch(/^\d+(\.\d)?%$/); // WAPE
    expect(cells[2]).toMatch(/^−?[\d,]+(\.\d)?%$/); // skill vs recent mean
    expect(await page.locator('#verdict-backtest tr[data-window="holdout"] th').textContent()).toMatch(/^Holdout, model \(\d+ weeks from /);

    // Media's share of the prediction, with the warning only above 80 %.
    const share = (await page.textContent('#verdict-media-share'))!;
    const m = share.match(/^Media share of the prediction \(training weeks\): (\d+(?:\.\d)?)%$/);
    expect(m).not.toBeNull();
    expect(await page.locator('#verdict-media-warning').count()).toBe(Number(m![1]) > 80 ? 1 : 0);

    // The quality table itself has the Validation column and the verdict in its title.
    const svgText = (await page.locator('#view-chart svg').textContent())!;
    expect(svgText).toContain('Validation from');
    expect(svgText).toContain('Media share of the prediction');

    await page.locator('.mmm-viewpane').screenshot({ path: join(screenshotDir, 'quality-verdict.png') });
    // The verdict box passes axe (no serious or critical violations).
    expect(describeViolations(await axeViolations(page, '#quality-verdict'))).toEqual([]);

    // Fallback: labelled in the verdict and drawn in Actual vs predicted exactly when it is used.
    const fallback = await page.getAttribute('#quality-verdict', 'data-fallback');
    expect(await page.locator('#verdict-fallback').count()).toBe(fallback === 'recent_mean' ? 1 : 0);
    await page.click('#view-nav button[data-view="actual-vs-predicted"]');
    await page.waitForSelector('#view-chart[data-view="actual-vs-predicted"][data-state="drawn"]');
    expect(await page.locator('#quality-verdict').count()).toBe(0);
    const avp = (await page.locator('#view-chart svg').textContent())!;
    expect(avp.includes('Naive forecast')).toBe(fallback === 'recent_mean');
    expect(s.consoleErrors).toEqual([]);
  });
});
