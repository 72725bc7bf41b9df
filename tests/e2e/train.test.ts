// Training in the browser: the example data trains end to end with live curves; Cancel stops a
// fit mid-way, keeps the data, and a second fit works.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openBrowser, waitForEngine, type Session } from './browser';

describe('training in Chromium', () => {
  let s: Session | null = null;
  afterEach(async () => {
    await s?.close();
    s = null;
  });

  it('trains the example data with live progress, and Cancel works mid-fit', async () => {
    const url = inject('isolatedUrl');
    s = await openBrowser(url);
    const { page } = s;
    await page.goto(`${url}/`);
    await waitForEngine(page);
    await page.click('#try-demo');
    await page.waitForSelector('#demo-summary');
    await s.screenshot('data-demo');

    await page.click('#tab-train');
    expect(await page.isDisabled('#train-button')).toBe(false);
    // Cancel mid-fit: long run, cancel after progress arrives.
    // A long fit (wider network, many epochs) so early stopping cannot end it before the cancel.
    await page.click('#train-advanced summary');
    await page.fill('#opt-epochs', '3000');
    await page.fill('#opt-hidden', '64');
    await page.click('#train-button');
    await page.waitForFunction(() => /epoch \d+ of/.test(document.getElementById('train-status')?.textContent ?? ''));
    const t0 = Date.now();
    await page.click('#cancel-button');
    await page.waitForFunction(() => /cancelled/.test(document.getElementById('train-status')?.textContent ?? ''));
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(await page.isDisabled('#train-button')).toBe(false);

    // A full fit with default settings, watching the UI thread for long tasks (> 50 ms).
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: Math.round(e.duration) });
      }).observe({ type: 'longtask' });
    });
    await page.fill('#opt-epochs', '');
    await page.fill('#opt-hidden', '');
    await page.click('#train-button');
    // Live curves while the fit runs, the full Vega monitor when it is done.
    await page.waitForSelector('#train-chart .mmm-live-monitor svg path');
    await s.screenshot('train-live');
    await page.waitForFunction(() => /Trained \d+ epochs/.test(document.getElementById('train-status')?.textContent ?? ''), null, { timeout: 180_000 });
    const status = await page.textContent('#train-status');
    console.log(`[train] ${status}`);
    // "During the fit": from the click until the results arrive (the app marks that moment; the
    // finished monitor and the dashboards are drawn after it).
    const { during, after } = await page.evaluate(() => {
      const tasks = (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks;
      const finished = performance.getEntriesByName('mmm-fit-finished').at(-1)!.startTime;
      return { during: tasks.filter((t) => t.start < finished).map((t) => t.duration), after: tasks.filter((t) => t.start >= finished).map((t) => t.duration) };
    });
    console.log(`[train] long tasks on the UI thread during the fit: ${JSON.stringify(during)}; after it (final drawing): ${JSON.stringify(after)}`);
    expect(during).toEqual([]);
    expect(await page.locator('#train-chart .mmm-live-monitor').count()).toBe(0);
    expect(await page.locator('#train-chart svg path').count()).toBeGreaterThan(0);
    await s.screenshot('train-finished');
    expect(s.consoleErrors).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});
