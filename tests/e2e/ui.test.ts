// The production UI (issue 14): light/dark from prefers-color-scheme with a saved toggle (charts
// included), no developer buttons without ?debug, glossary links from the figures, visible
// reasons for unavailable views, milestone-only announcements while training, numbers in the
// user's locale, and the whole app under the strict CSP header (style-src 'self', no
// 'unsafe-inline') with zero violations (browser.ts fails any test that logs one).
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { axeViolations, describeViolations } from './axe';
import { dropFile, openBrowser, waitForEngine, type Session } from './browser';

const CSV = readFileSync(new URL('../fixtures/csv/ok_geo_panel.csv', import.meta.url));
const DARK_BG = 'rgb(27, 33, 40)'; // charts/theme.ts DARK_BACKGROUND

/** Loads the small regional fixture and trains a few epochs; records what the live region says. */
async function loadAndTrain(page: Page): Promise<void> {
  await page.click('#tab-data');
  await dropFile(page, 'ok_geo_panel.csv', CSV);
  await page.waitForSelector('#data-ready[data-ready="true"]');
  await page.click('#tab-train');
  await page.evaluate(() => {
    const live = document.getElementById('train-announcer')!;
    const heard: string[] = ((window as unknown as { __heard: string[] }).__heard = []);
    new MutationObserver(() => heard.push(live.textContent ?? '')).observe(live, { childList: true, characterData: true, subtree: true });
    const visual = document.getElementById('train-status')!;
    const seen: string[] = ((window as unknown as { __seen: string[] }).__seen = []);
    new MutationObserver(() => seen.push(visual.textContent ?? '')).observe(visual, { childList: true, characterData: true, subtree: true });
  });
  await page.click('#train-advanced summary');
  await page.fill('#opt-epochs', '60');
  await page.click('#train-button');
  await page.waitForFunction(() => /Trained \d+ epochs/.test(document.getElementById('train-status')?.textContent ?? ''), null, { timeout: 180_000 });
}

const chartBackground = (page: Page) => page.evaluate(() => {
  const svg = document.querySelector('#view-chart svg') as SVGElement | null;
  return svg ? getComputedStyle(svg).backgroundColor : null;
});

describe('production UI and the strict CSP (standalone app)', () => {
  let s: Session | null = null;
  afterEach(async () => {
    await s?.close();
    s = null;
  });

  it('follows prefers-color-scheme: dark, toggles and remembers light, charts included; glossary, reasons and milestones work', async () => {
    const url = inject('isolatedUrl');
    s = await openBrowser(url);
    const { page } = s;
    await page.emulateMedia({ colorScheme: 'dark' });
    const response = await page.goto(`${url}/`);
    // The strict policy is what the server sends.
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await waitForEngine(page);

    // Dark from the system setting: the page and (below) the charts.
    expect(await page.getAttribute('#app', 'data-theme')).toBe('dark');
    expect(await page.getAttribute('#theme-toggle', 'aria-pressed')).toBe('true');
    const pageBg = await page.evaluate(() => getComputedStyle(document.querySelector('.mmm-main')!.parentElement!).backgroundColor);
    expect(pageBg).not.toBe('rgb(255, 255, 255)');

    // Production: no developer buttons or text.
    await page.click('#tab-about');
    expect(await page.locator('#check-errors').count()).toBe(0);
    expect(await page.locator('#glossary dt').count()).toBe(8);

    await loadAndTrain(page);
    // Screen readers heard milestones only; the visual status saw every progress report.
    const heard = await page.evaluate(() => (window as unknown as { __heard: string[] }).__heard.filter(Boolean));
    const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen.length);
    console.log(`[ui] training: ${seen} visual status updates, ${heard.length} announcements: ${JSON.stringify(heard)}`);
    expect(heard[0]).toBe('Training started.');
    expect(heard.at(-1)).toMatch(/Training finished after \d+ epochs\. Holdout R²/);
    expect(heard.length).toBeLessThanOrEqual(9);
    expect(await page.getAttribute('#train-status', 'aria-live')).toBeNull();
    expect(await page.getAttribute('#train-announcer', 'aria-live')).toBe('polite');
    // The training summary links its terms to the glossary.
    expect(await page.locator('#train-terms .mmm-term').count()).toBeGreaterThanOrEqual(2);

    await page.click('#tab-results');
    await page.waitForSelector('#view-chart[data-state="drawn"] svg');
    expect(await chartBackground(page)).toBe(DARK_BG);
    // The view says why a view is unavailable, as visible text.
    const why = page.locator('#view-why-truth');
    expect(await why.isVisible()).toBe(true);
    expect(await why.textContent()).toMatch(/Only for simulated demo data/);
    expect(await page.getAttribute('#view-nav button[data-view="truth"]', 'aria-describedby')).toBe('view-why-truth');
    const dark = describeViolations(await axeViolations(page));
    await s.screenshot('ui-dark-results');

    // Chart tooltips under style-src 'self': the app's own box, inside the app, themed.
    await page.click('#view-nav button[data-view="contribution-by-channel"]');
    await page.waitForSelector('#view-chart[data-view="contribution-by-channel"][data-state="drawn"] svg');
    await page.hover('#view-chart svg .mark-rect path');
    const tip = await page.waitForSelector('#app > .mmm-tooltip.mmm-tooltip-visible');
    expect(await tip.textContent()).toMatch(/Channel/);
    expect(await tip.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(DARK_BG);
    expect(await page.locator('head style, #vega-tooltip-style, #vg-tooltip-element').count()).toBe(0);

    // Units: a bad currency says what to type; a good one labels the ROI figures.
    await page.fill('#units-currency', 'euros');
    await page.press('#units-currency', 'Enter');
    await page.locator('#units-kpi').focus();
    expect(await page.textContent('#units-error')).toMatch(/"euros" is not a currency: use an ISO 4217 code/);
    await page.fill('#units-currency', '€');
    await page.fill('#units-kpi', 'conversions');
    await page.locator('#units-currency').focus();
    expect(await page.textContent('#units-error')).toBe('');
    await page.click('#view-nav button[data-view="roi"]');
    await page.waitForSelector('#view-chart[data-view="roi"][data-state="drawn"] svg');
    expect(await page.textContent('#view-chart svg')).toContain('conversions per €');

    // Glossary reachable from the figure: the quality view mentions R², WAPE and skill.
    await page.click('#view-nav button[data-view="quality"]');
    await page.waitForSelector('#view-chart[data-view="quality"][data-state="drawn"] svg');
    const terms = await page.locator('#view-terms .mmm-term').evaluateAll((b) => b.map((x) => x.getAttribute('data-term')));
    expect(terms).toEqual(expect.arrayContaining(['r2-within', 'r2', 'wape', 'skill']));
    await page.click('#view-terms .mmm-term[data-term="wape"]');
    expect(await page.getAttribute('#tab-about', 'aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('glossary-wape');
    expect(await page.isVisible('#glossary-wape')).toBe(true);

    // The toggle: light now, the chart redrawn light, and the choice survives a reload.
    await page.click('#theme-toggle');
    expect(await page.getAttribute('#app', 'data-theme')).toBe('light');
    await page.click('#tab-results');
    await page.waitForFunction(() => {
      const svg = document.querySelector('#view-chart svg');
      return svg && getComputedStyle(svg).backgroundColor === 'rgb(255, 255, 255)';
    });
    await page.reload();
    await waitForEngine(page);
    expect(await page.getAttribute('#app', 'data-theme')).toBe('light');
    expect(await page.getAttribute('#theme-toggle', 'aria-pressed')).toBe('false');

    // Dark mode keeps the contrast axe asks for.
    expect(dark).toEqual([]);
    expect(s.cspViolations).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });

  it('shows the developer checks only with ?debug, and formats numbers in ?locale', async () => {
    const url = inject('plainUrl');
    s = await openBrowser(url);
    const { page } = s;
    await page.goto(`${url}/?debug&locale=de-DE`);
    await waitForEngine(page);
    await page.click('#tab-about');
    expect(await page.locator('#check-errors').count()).toBe(1);
    // German digits: the engine load time uses the locale's grouping (e.g. "1.234 ms" or "87 ms").
    expect(await page.textContent('[data-key="Engine load time"]')).toMatch(/^\d{1,3}(\.\d{3})* ms$/);
    await page.click('#tab-data');
    await page.click('#try-demo');
    await page.waitForSelector('#demo-summary');
    // Shares in the example's truth table: "12,3 %" in German.
    expect(await page.textContent('#demo-summary td')).toMatch(/^\d+,\d\s%$/);
    expect(s.consoleErrors).toEqual([]);
  });

  it('negative control: an inline style under this CSP is caught, so "zero violations" means something', async () => {
    const url = inject('plainUrl');
    s = await openBrowser(url);
    const { page } = s;
    await page.goto(`${url}/`);
    await waitForEngine(page);
    await page.evaluate(() => {
      const d = document.createElement('div');
      d.setAttribute('style', 'color: red');
      document.body.append(d);
    });
    // Both detection paths report it: the page's securitypolicyviolation event and Chromium's message.
    await expect.poll(() => [
      s!.cspViolations.some((m) => m.startsWith('CSP violation: style-src')),
      s!.cspViolations.some((m) => /inline style violates the following Content Security Policy directive 'style-src 'self''/.test(m)),
    ]).toEqual([true, true]);
    s.cspViolations.length = 0; // expected here; every other test must end with none
  });

  it('an unknown ?locale is reported on the page, and numbers fall back to the browser\'s language', async () => {
    const url = inject('plainUrl');
    s = await openBrowser(url);
    const { page } = s;
    await page.goto(`${url}/?locale=xx-not-a-locale!`);
    await waitForEngine(page);
    expect(await page.textContent('#main .mmm-alert-warning')).toMatch(/unknown locale "xx-not-a-locale!": use a BCP 47 tag such as en-US/);
    expect(await page.evaluate(() => window.__mmm!.state.errors.map((e) => e.code))).toEqual(['INVALID_CONFIG']);
  });
});
