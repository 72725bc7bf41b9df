// Accessibility: axe-core on every main screen (Data with a loaded file, Train after a fit,
// Results with a view, Budget, Export, About) reports no serious or critical violation, and the
// app is operable from the keyboard with a visible focus: tabs with arrow keys, loading data,
// training, choosing a dashboard view.
// axe is evaluated through the DevTools protocol (tests/e2e/axe.ts), which the page's strict CSP
// does not apply to, so the app runs under its real headers.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { axeViolations, describeViolations } from './axe';
import { dropFile, openApp, waitForEngine, type Session } from './browser';

const CSV = readFileSync(new URL('../fixtures/csv/ok_geo_panel.csv', import.meta.url));

describe('accessibility', () => {
  let s: Session;
  beforeAll(async () => {
    const url = inject('plainUrl');
    s = await openApp(url);
  });
  afterAll(async () => s.close());

  it('has no serious or critical axe violations on the main screens', async () => {
    const { page } = s;
    const report: Record<string, string[]> = {};
    // The harness itself: a button without a name must be reported (critical), then removed.
    await page.evaluate(() => document.body.append(Object.assign(document.createElement('button'), { id: 'axe-canary' })));
    expect((await axeViolations(page)).map((v) => v.id)).toContain('button-name');
    await page.evaluate(() => document.getElementById('axe-canary')!.remove());

    await dropFile(page, 'ok_geo_panel.csv', CSV);
    await page.waitForSelector('#data-ready[data-ready="true"]');
    report.data = describeViolations(await axeViolations(page));

    await page.click('#tab-train');
    await page.click('#train-advanced summary');
    await page.fill('#opt-epochs', '20');
    await page.click('#train-button');
    await page.waitForFunction(() => /Trained \d+ epochs/.test(document.getElementById('train-status')?.textContent ?? ''), null, { timeout: 120_000 });
    report.train = describeViolations(await axeViolations(page));

    await page.click('#tab-results');
    await page.click('#view-nav button[data-view="actual-vs-predicted"]');
    await page.waitForSelector('#view-chart[data-view="actual-vs-predicted"][data-state="drawn"] svg');
    report.results = describeViolations(await axeViolations(page));

    if (await page.locator('#tab-budget').count()) {
      await page.click('#tab-budget');
      await page.waitForSelector('#budget-chart svg', { timeout: 60_000 }).catch(() => undefined);
      report.budget = describeViolations(await axeViolations(page));
    }
    await page.click('#tab-export');
    report.export = describeViolations(await axeViolations(page));
    await page.click('#tab-about');
    report.about = describeViolations(await axeViolations(page));

    expect(report).toEqual(Object.fromEntries(Object.keys(report).map((k) => [k, []])));
  });

  it('is operable from the keyboard with a visible focus', async () => {
    const { page } = s;
    await page.goto(page.url());
    await waitForEngine(page);
    const focused = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      return { id: el.id, tag: el.tagName, outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 };
    });

    // Tab from the top: the selected tab first, then the Data tab's controls, each with a visible focus.
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      const f = await focused();
      expect(f, `focus after ${i + 1} Tab presses`).not.toBeNull();
      expect(f!.outline, `visible focus on #${f!.id || f!.tag}`).toBe(true);
      seen.push(f!.id);
    }
    expect(seen[0]).toBe('tab-data');
    for (const id of ['choose-file', 'paste-csv', 'try-demo']) expect(seen).toContain(id);

    // The example data from the keyboard.
    await page.focus('#try-demo');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#demo-summary');

    // Tabs: arrow keys move and select (WAI-ARIA tabs), Home/End jump.
    await page.focus('#tab-data');
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toMatchObject({ id: 'tab-train', outline: true });
    expect(await page.getAttribute('#tab-train', 'aria-selected')).toBe('true');
    expect(await page.isVisible('#panel-train')).toBe(true);
    await page.keyboard.press('End');
    expect((await focused())!.id).toBe('tab-about');
    await page.keyboard.press('Home');
    expect((await focused())!.id).toBe('tab-data');

    // Train: open Advanced with Enter, set epochs by typing, start with Enter.
    await page.keyboard.press('ArrowRight');
    await page.focus('#train-advanced summary');
    await page.keyboard.press('Enter');
    await page.focus('#opt-epochs');
    await page.keyboard.type('20');
    await page.focus('#train-button');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /Trained \d+ epochs/.test(document.getElementById('train-status')?.textContent ?? ''), null, { timeout: 120_000 });

    // Results: a view chosen with the keyboard draws, and the chart itself takes focus.
    await page.focus('#tab-results');
    await page.keyboard.press('Enter');
    await page.focus('#view-nav button[data-view="roi"]');
    await page.keyboard.press('Space');
    await page.waitForSelector('#view-chart[data-view="roi"][data-state="drawn"] svg');
    await page.focus('#view-chart');
    expect(await focused()).toMatchObject({ id: 'view-chart', outline: true });
    expect(s.consoleErrors).toEqual([]);
  });
});
