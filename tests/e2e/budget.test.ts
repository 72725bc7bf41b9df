// The Budget tab in Chromium: after a fit on the example data, changing the budget and locking a
// channel re-run the optimiser (table and chart update), an infeasible bound shows a readable
// error next to the inputs, and the inputs are labelled and keyboard reachable.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openApp, trainDemo, type Session } from './browser';

describe('budget optimizer in Chromium', () => {
  let s: Session;
  beforeAll(async () => {
    const url = inject('isolatedUrl');
    s = await openApp(url);
  });
  afterAll(async () => s.close());

  it('re-optimises on budget and lock edits, and explains an infeasible bound', async () => {
    const { page } = s;
    await trainDemo(page, { epochs: 40, hidden: 16 });

    await page.click('#tab-budget');
    await page.waitForSelector('#budget-layout:not([hidden])');
    await page.waitForSelector('#budget-chart svg');
    const rows = await page.locator('#budget-table tbody tr').count();
    expect(rows).toBe(8);
    const budget0 = Number(await page.getAttribute('#budget-table', 'data-budget'));
    expect(budget0).toBeGreaterThan(0);
    expect(await page.inputValue('#budget-total')).toBe(String(Math.round(budget0)));
    await s.screenshot('budget-initial');

    // Labelled inputs, reachable by keyboard.
    await page.getByLabel('Budget over the horizon').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('budget-weeks');
    expect(await page.getByLabel('Keep TV at its current spend').count()).toBe(1);

    // A 10 % larger budget: the table and the chart follow.
    const bigger = Math.round(budget0 * 1.1);
    await page.fill('#budget-total', String(bigger));
    await page.waitForFunction((b) => Number(document.getElementById('budget-table')?.dataset.budget) === b, bigger);
    await page.waitForFunction((b) => Number(document.getElementById('budget-chart')?.dataset.budget) === b, bigger);
    const total = await page.$$eval('#budget-table tbody tr', (trs) => trs.reduce((a, tr) => a + Number((tr as HTMLElement).dataset.optimal), 0));
    expect(Math.abs(total - bigger)).toBeLessThan(1e-6 * bigger);
    expect(await page.textContent('#budget-summary')).toMatch(/Full-model check/);

    // Lock TV (keyboard: Space on the focused checkbox): its optimal spend is its current spend.
    await page.focus('#budget-lock-0');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => {
      const tr = document.querySelector('#budget-table tbody tr[data-channel="TV"]') as HTMLElement | null;
      const cells = tr?.querySelectorAll('td');
      return !!tr && !!cells && cells[0].textContent === cells[4].textContent && document.querySelector('#panel-budget')?.getAttribute('data-state') === 'idle';
    });
    expect(await page.isDisabled('#budget-lower-0')).toBe(true);
    await page.waitForFunction(() => document.querySelector('#panel-budget')?.getAttribute('data-state') === 'idle');
    expect(await page.locator('#budget-error-message').count()).toBe(0);
    await s.screenshot('budget-locked');

    // An infeasible bound: Search must take more than the whole budget.
    await page.fill('#budget-lower-1', String(bigger * 2));
    await page.waitForSelector('#budget-error-message');
    const message = await page.textContent('#budget-error-message');
    expect(message).toMatch(/not possible/);
    expect(message).toMatch(/Search|bound/);
    expect(await page.getAttribute('#budget-lower-1', 'aria-invalid')).toBe('true');
    await s.screenshot('budget-infeasible');

    // Clearing it recovers.
    await page.fill('#budget-lower-1', '');
    await page.waitForFunction(() => !document.getElementById('budget-error-message') && document.querySelector('#panel-budget')?.getAttribute('data-state') === 'idle');
    expect(s.consoleErrors).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});
