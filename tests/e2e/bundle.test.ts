// Save a fitted model as .mmm, open it in a fresh page by dropping it: the same predictions and
// dashboards without retraining. A damaged bundle gets a specific message.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropFile, openApp, screenshotDir, trainDemo, waitForEngine, type Session } from './browser';

const predictionDigest = (s: Session) => s.page.evaluate(async () => {
  const p = window.__mmm!.state.results!.prediction;
  const d = await crypto.subtle.digest('SHA-256', new Uint8Array(p.buffer, p.byteOffset, p.byteLength) as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
});

describe('model bundle in Chromium', () => {
  let s: Session;
  let url: string;
  beforeAll(async () => {
    url = inject('isolatedUrl');
    s = await openApp(url);
  });
  afterAll(async () => s.close());

  it('saves a model and reopens it with bit-identical predictions', async () => {
    const { page } = s;
    await trainDemo(page, { epochs: 40 });
    const before = await predictionDigest(s);

    await page.click('#tab-export');
    // Every results CSV is offered and downloads with rows.
    for (const id of ['csv-contributions', 'csv-regions', 'csv-channels', 'csv-curves', 'csv-budget']) {
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}`)]);
      const csvPath = join(screenshotDir, csv.suggestedFilename());
      await csv.saveAs(csvPath);
      expect(readFileSync(csvPath, 'utf8').trim().split('\n').length, id).toBeGreaterThan(2);
    }
    await page.check('#bundle-include-data');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-bundle')]);
    expect(download.suggestedFilename()).toMatch(/\.mmm$/);
    const path = join(screenshotDir, 'saved-model.mmm');
    await download.saveAs(path);
    await s.screenshot('export-panel');

    // A fresh page: drop the bundle, no training.
    await page.goto(`${url}/`);
    await waitForEngine(page);
    await dropFile(page, 'saved-model.mmm', readFileSync(path), 'application/octet-stream');
    await page.waitForSelector('#bundle-summary');
    expect(await page.textContent('#bundle-summary')).toMatch(/original data is included/);
    expect(await predictionDigest(s)).toBe(before);
    await page.click('#tab-results');
    await page.waitForSelector('#view-chart[data-state="drawn"] svg');
    await s.screenshot('results-from-bundle');

    // One flipped byte: rejected, and the loaded model stays.
    const bytes = readFileSync(path);
    bytes[bytes.length - 500] ^= 0x10;
    await page.click('#tab-data');
    await dropFile(page, 'damaged.mmm', bytes, 'application/octet-stream');
    await page.waitForSelector('#data-messages .mmm-alert-error');
    expect(await page.textContent('#data-messages')).toMatch(/modified or damaged/);
    expect(await predictionDigest(s)).toBe(before);
    expect(s.consoleErrors).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});
