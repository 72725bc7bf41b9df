// The app on a plain-HTTP intranet host (not HTTPS, not localhost): Chromium gives such a page no
// crypto.subtle, which bundles used to need. Chromium treats localhost and 127.0.0.0/8 as secure,
// so the test maps a made-up host name to the local server and checks the page is not a secure
// context before saving a model and opening it again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropFile, openBrowser, screenshotDir, trainDemo, waitForEngine, type Session } from './browser';

const HOST = 'intranet.test';

/** The prediction's float32 bytes, base64 (no crypto.subtle here to hash them in the page). */
const predictionBytes = (s: Session) => s.page.evaluate(() => {
  const p = window.__mmm!.state.results!.prediction;
  const bytes = new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin);
});

describe(`bundles on a plain-HTTP origin (http://${HOST})`, () => {
  let s: Session;
  let url: string;
  beforeAll(async () => {
    const port = new URL(inject('plainUrl')).port;
    url = `http://${HOST}:${port}`;
    s = await openBrowser(url, { args: [`--host-resolver-rules=MAP ${HOST} 127.0.0.1`] });
    await s.page.goto(`${url}/`);
    await waitForEngine(s.page);
  });
  afterAll(async () => s?.close());

  it('is really an insecure context: no crypto.subtle', async () => {
    expect(await s.page.evaluate(() => ({ secure: window.isSecureContext, subtle: typeof globalThis.crypto?.subtle, origin: location.origin })))
      .toEqual({ secure: false, subtle: 'undefined', origin: url });
    expect(await s.page.getAttribute('#engine-status', 'data-state')).toBe('ready');
  });

  it('saves a model as .mmm and opens it again with bit-identical predictions', async () => {
    const { page } = s;
    await trainDemo(page, { epochs: 12, hidden: 8 });
    const before = await predictionBytes(s);

    // CSV downloads come from the one writer: UTF-8 BOM (Excel reads "R²") and CRLF line ends,
    // the same for an Export tab file and a chart's data.
    const downloadCsv = async (button: string) => {
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
      const file = join(screenshotDir, `plain-http-${csv.suggestedFilename()}`);
      await csv.saveAs(file);
      return readFileSync(file);
    };
    await page.click('#tab-results');
    await page.waitForSelector('#view-chart[data-state="drawn"] svg');
    await page.click('#tab-export');
    for (const csv of [await downloadCsv('#csv-channels'), await downloadCsv('#csv-regions')]) {
      expect(Array.from(csv.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
      const text = csv.toString('utf8').slice(1);
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    }
    await page.click('#tab-results');
    const chartCsv = (await downloadCsv('#export-csv')).toString('utf8');
    expect(chartCsv.startsWith('\uFEFF')).toBe(true);
    expect(chartCsv.startsWith('\uFEFF\uFEFF')).toBe(false);
    expect(chartCsv.slice(1).split('\r\n').length).toBeGreaterThan(2);

    await page.click('#tab-export');
    await page.check('#bundle-include-data');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-bundle')]);
    expect(download.suggestedFilename()).toMatch(/\.mmm$/);
    const path = join(screenshotDir, 'plain-http-model.mmm');
    await download.saveAs(path);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('MMMSTDIO');

    await page.goto(`${url}/`);
    await waitForEngine(page);
    await dropFile(page, 'plain-http-model.mmm', bytes, 'application/octet-stream');
    await page.waitForSelector('#bundle-summary');
    expect(await page.textContent('#bundle-summary')).toMatch(/original data is included/);
    expect(await predictionBytes(s)).toBe(before);

    // The checksum is still checked without Web Crypto: one flipped byte is refused.
    bytes[bytes.length - 500] ^= 0x10;
    await dropFile(page, 'damaged.mmm', bytes, 'application/octet-stream');
    await page.waitForSelector('#data-messages .mmm-alert-error');
    expect(await page.textContent('#data-messages')).toMatch(/modified or damaged/);
    expect(s.consoleErrors).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});
