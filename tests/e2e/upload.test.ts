// Uploading files through the drop zone: the app shows what it understood, or a specific error,
// and a failed load keeps what was loaded before.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropFile, openApp, type Session } from './browser';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/csv/${name}`, import.meta.url));
const meridian = new URL('../../../shared/data/meridian/geo_all_channels.csv', import.meta.url);

describe('upload in Chromium', () => {
  let s: Session;
  beforeAll(async () => {
    const url = inject('plainUrl');
    s = await openApp(url);
  });
  afterAll(async () => {
    await s.close();
  });

  const drop = async (name: string, bytes = fixture(name)) => {
    await s.page.evaluate(() => { document.getElementById('data-messages')!.textContent = ''; });
    await dropFile(s.page, name, bytes);
  };
  /** Waits until the file's data check is shown (not the previous file's). */
  const loaded = (name: string) => s.page.waitForSelector(`#data-loaded[data-name="${name}"] .mmm-validation`);

  it('understands a clean regional panel and enables training', async () => {
    await drop('ok_geo_panel.csv');
    await loaded('ok_geo_panel.csv');
    expect(await s.page.getAttribute('#data-ready', 'data-ready')).toBe('true');
    expect(await s.page.locator('#mapping-table tbody tr').count()).toBeGreaterThan(3);
    await s.screenshot('data-mapping-ok-geo-panel');
  });

  it('shows a specific error for an empty file and keeps the loaded data', async () => {
    await drop('empty.csv');
    await s.page.waitForSelector('#data-messages .mmm-alert-error');
    const text = await s.page.textContent('#data-messages');
    expect(text).toMatch(/empty/i);
    expect(text).toMatch(/ok_geo_panel\.csv\) is still loaded/);
    expect(await s.page.getAttribute('#data-ready', 'data-ready')).toBe('true');
  });

  it('blocks training on duplicate (region, week) rows and names the rows', async () => {
    await drop('duplicate_region_week.csv');
    await loaded('duplicate_region_week.csv');
    await s.page.waitForSelector('#validation-report .mmm-validation-blocked');
    const report = await s.page.textContent('#validation-report');
    expect(report).toMatch(/duplicate/i);
    expect(report).toMatch(/rows? \d+/);
    expect(await s.page.getAttribute('#data-ready', 'data-ready')).toBe('false');
    await s.page.click('#tab-train');
    expect(await s.page.isDisabled('#train-button')).toBe(true);
    expect(await s.page.textContent('#train-disabled-reason')).toMatch(/blocking errors/);
    await s.page.click('#tab-data');
    await s.screenshot('data-duplicate-rows');
  });

  it('names the column and rows of negative spend', async () => {
    await drop('negative_spend.csv');
    await loaded('negative_spend.csv');
    await s.page.waitForSelector('#validation-report .mmm-validation-blocked');
    const report = await s.page.textContent('#validation-report');
    expect(report).toMatch(/negative/i);
    expect(report).toMatch(/column \S+/);
  });

  it('reads semicolons with decimal commas, and Latin-1 bytes with a warning', async () => {
    await drop('semicolon_decimal_comma.csv');
    await loaded('semicolon_decimal_comma.csv');
    await s.page.waitForSelector('#validation-report .mmm-validation-ok');
    await drop('latin1_regions.csv');
    await loaded('latin1_regions.csv');
    expect(await s.page.textContent('#validation-report')).toMatch(/UTF-8|Windows-1252|Latin/i);
  });

  it.runIf(existsSync(meridian))("understands Meridian's geo_all_channels with no manual change", async () => {
    await drop('geo_all_channels.csv', readFileSync(meridian));
    await loaded('geo_all_channels.csv');
    await s.page.waitForSelector('#validation-report .mmm-validation-ok');
    const report = await s.page.textContent('#validation-report');
    expect(report).toMatch(/40/);
    expect(report).toMatch(/156/);
    await s.screenshot('data-meridian-geo-all-channels');
  });

  // Other MMM tools' column naming (tests/fixtures/csv/make_naming_fixtures.py): ready to train with no edit.
  it.each([
    ['style_pymc_marketing.csv', 'KPI: y · time: date · region: geo · 8 channels · 4 controls · 0 ignored'],
    ['style_meridian.csv', 'KPI: conversions · time: time · region: geo · 4 channels · 3 controls · 2 ignored'],
    ['style_robyn.csv', 'KPI: revenue · time: DATE · national (one region) · 6 channels · 3 controls · 0 ignored'],
    ['style_deepcausalmmm.csv', 'KPI: target_visits · time: weekid · region: dmacode · 4 channels · 3 controls · 0 ignored'],
    ['style_plain_words.csv', 'KPI: Sales · time: Week · region: Region · 14 channels · 4 controls · 0 ignored'],
  ])('maps %s with no manual edit', async (name, summary) => {
    await drop(name);
    await loaded(name);
    expect(await s.page.textContent('#mapping-table .mmm-mapping-summary')).toBe(summary);
    expect(await s.page.getAttribute('#data-ready', 'data-ready')).toBe('true');
    // The reason for every role is shown in the table.
    const reasons = await s.page.locator('#mapping-table .mmm-mapping-reason').allTextContents();
    expect(reasons.every((r) => r.length > 10)).toBe(true);
  });

  it("turns Robyn's events column into dummy controls that can be switched off one by one", async () => {
    await drop('style_robyn.csv');
    await loaded('style_robyn.csv');
    const row = s.page.locator('#mapping-table tr[data-column="events"]');
    expect(await row.locator('select').inputValue()).toBe('control');
    expect(await row.locator('.mmm-mapping-reason').textContent()).toMatch(/events=event1, events=event2.*"na".*reference/);
    const boxes = row.locator('input.mmm-dummy-check');
    expect(await boxes.count()).toBe(2);
    expect(await s.page.textContent('#validation-report')).toMatch(/1 region × 80 weeks × 6 channels × 3 controls/);
    await row.locator('input[value="event2"]').uncheck();
    // Validated again in the ingest worker: one dummy fewer in the panel.
    await s.page.waitForFunction(() => /× 2 controls/.test(document.getElementById('validation-report')?.textContent ?? ''));
    expect(await s.page.getAttribute('#data-ready', 'data-ready')).toBe('true');
    await s.screenshot('data-robyn-event-dummies');
  });

  it('pasted text is read in the worker like a file', async () => {
    await s.page.click('#paste-csv');
    await s.page.fill('#paste-text', readFileSync(new URL('../fixtures/csv/style_pymc_marketing.csv', import.meta.url), 'utf8'));
    await s.page.click('#paste-load');
    await loaded('pasted data');
    expect(await s.page.textContent('#mapping-table .mmm-mapping-summary')).toMatch(/KPI: y .* 8 channels/);
  });

  it('had a clean console and no foreign requests', () => {
    expect(s.consoleErrors).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});
