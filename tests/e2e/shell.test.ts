// The app shell in Chromium: the right engine variant for each serving mode, build info shown,
// a threaded call, an engine error shown as a readable message (the deliberate-error button is a
// developer tool, shown with ?debug only), and a clean console/network.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openBrowser, waitForEngine, type Session } from './browser';

const MODES = [
  { name: 'isolated', url: () => inject('isolatedUrl'), variant: 'core-mt', threads: true },
  { name: 'not-isolated', url: () => inject('plainUrl'), variant: 'core-st', threads: false },
] as const;

describe.each(MODES)('app shell, $name', (mode) => {
  let s: Session | null = null;
  afterEach(async () => {
    await s?.close();
    s = null;
  });

  it(`starts ${mode.variant}, shows its build, runs the engine check and survives an engine error`, async () => {
    s = await openBrowser(mode.url());
    const { page } = s;
    const t0 = Date.now();
    await page.goto(`${mode.url()}/?debug`);
    await waitForEngine(page);
    const loadMs = Date.now() - t0;
    console.log(`[${mode.name}] page load to engine ready: ${loadMs} ms`);

    await expect.poll(() => page.evaluate(() => window.crossOriginIsolated)).toBe(mode.threads);
    const status = await page.textContent('#engine-status');
    expect(status).toContain(mode.variant);
    if (!mode.threads) expect(await page.textContent('#engine-detail')).toMatch(/not cross-origin isolated/);
    await s.screenshot(`shell-${mode.name}-data`);

    await page.click('#tab-about');
    expect(await page.textContent('[data-key="Variant"]')).toBe(mode.variant);
    expect(await page.textContent('[data-key="SIMD"]')).toMatch(/^on/);
    expect(await page.textContent('[data-key="Threads"]')).toMatch(mode.threads ? /^on/ : /^off/);
    expect(await page.textContent('[data-key="Eigen"]')).toBe('3.4.0');

    await page.click('#check-threads');
    await page.waitForSelector('#diagnostics-output .mmm-alert-info');
    const check = await page.textContent('#diagnostics-output');
    // In core-mt the pool has min(cores, 4) threads and more than one of them must take part.
    expect(check).toMatch(mode.threads ? /[2-4]-thread reduction correctly \([2-4] worker/ : /1-thread reduction correctly \(1 worker/);

    await page.click('#check-errors');
    await page.waitForSelector('#diagnostics-output .mmm-alert-error');
    const err = await page.textContent('#diagnostics-output');
    expect(err).toContain('INVALID_DATA');
    expect(err).toContain("column 'tv_spend' row 7 is negative");
    await s.screenshot(`shell-${mode.name}-about`);

    // The app keeps working after the error.
    await page.click('#check-threads');
    await page.waitForSelector('#diagnostics-output .mmm-alert-info');

    expect(s.consoleErrors).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});
