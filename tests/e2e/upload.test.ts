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

  it('had a clean console and no foreign requests', () => {
    expect(s.consoleErrors).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});
