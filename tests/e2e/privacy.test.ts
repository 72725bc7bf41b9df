// "No data leaves": a full session on the built app — drop a CSV, save its mapping, train, open
// every dashboard and export it, the Budget tab, every export on the Export tab (model with the
// original data included, CSVs, HTML report), the engine check — while every request the browser
// makes (pages, workers, nested pthread workers, the service worker) is recorded with its method
// and body. The assertion: only GETs, without a body or query string, of files that exist in
// dist/, on the app's own origin; no WebSocket; and the data's marker strings appear in no URL.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Download } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropFile, openBrowser, waitForEngine, type Session } from './browser';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
/** The fixture with region names no request could contain by accident. */
const MARKERS = ['Zorblax-North', 'Zorblax-South', 'Zorblax-West'];
const CSV = readFileSync(new URL('../fixtures/csv/ok_geo_panel.csv', import.meta.url), 'utf8')
  .replace(/\bNorth\b/g, MARKERS[0]).replace(/\bSouth\b/g, MARKERS[1]).replace(/\bWest\b/g, MARKERS[2]);

interface Recorded { method: string; url: string; postData: string | null; resourceType: string; from: string }

describe('privacy: no request leaves the app, none carries data', () => {
  let s: Session;
  let origin: string;
  const log: Recorded[] = [];
  const sockets: string[] = [];
  const downloads: string[] = [];

  beforeAll(async () => {
    const url = inject('isolatedUrl');
    origin = new URL(url).origin;
    s = await openBrowser(url);
    s.context.on('request', (r) => log.push({
      method: r.method(), url: r.url(), postData: r.postData(), resourceType: r.resourceType(),
      from: r.serviceWorker() ? 'service worker' : 'page or worker',
    }));
    s.page.on('websocket', (ws) => sockets.push(ws.url()));
    s.page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await s.page.goto(`${url}/`);
    await waitForEngine(s.page);
  });
  afterAll(async () => s.close());

  const download = async (selector: string): Promise<Download> => {
    const [d] = await Promise.all([s.page.waitForEvent('download', { timeout: 120_000 }), s.page.click(selector)]);
    await d.path(); // the file is complete
    return d;
  };

  it('runs a full session: load, train, every dashboard, every export', async () => {
    const { page } = s;
    await dropFile(page, 'regions.csv', Buffer.from(CSV));
    await page.waitForSelector('#data-ready[data-ready="true"]');
    const mappingButton = page.getByRole('button', { name: /Download mapping/ });
    if (await mappingButton.count()) await Promise.all([page.waitForEvent('download'), mappingButton.click()]);

    await page.click('#tab-train');
    await page.click('#train-advanced summary');
    await page.fill('#opt-epochs', '30');
    await page.click('#train-button');
    await page.waitForFunction(() => /Trained \d+ epochs/.test(document.getElementById('train-status')?.textContent ?? ''), null, { timeout: 120_000 });

    await page.click('#tab-results');
    const views = await page.$$eval('#view-nav button:not([disabled])', (bs) => bs.map((b) => (b as HTMLElement).dataset.view!));
    for (const id of views) {
      await page.click(`#view-nav button[data-view="${id}"]`);
      await page.waitForSelector(`#view-chart[data-view="${id}"]:is([data-state="drawn"], [data-state="error"])`);
    }
    expect(views.length).toBeGreaterThanOrEqual(10);
    for (const b of ['#export-png', '#export-svg', '#export-csv']) await download(b);

    if (await page.locator('#tab-budget').count()) {
      await page.click('#tab-budget');
      await page.waitForSelector('#budget-chart svg', { timeout: 60_000 });
    }

    await page.click('#tab-export');
    await page.check('#bundle-include-data');
    await download('#save-bundle');
    for (const id of await page.$$eval('#csv-exports button', (bs) => bs.map((b) => b.id))) await download(`#${id}`);
    if (await page.locator('#download-report').count()) await download('#download-report');
    if (await page.locator('#onnx-download:not([disabled])').count()) await download('#onnx-download');

    await page.click('#tab-about');
    await page.click('#check-threads');
    await page.waitForSelector('#diagnostics-output .mmm-alert-info');
    expect(downloads.length).toBeGreaterThanOrEqual(7);
    expect(s.consoleErrors).toEqual([]);
  });

  it('made only GETs of its own static files, with no body, query or data in them', () => {
    const network = log.filter((r) => !r.url.startsWith('blob:') && !r.url.startsWith('data:'));
    expect(network.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const r of network) {
      const u = new URL(r.url);
      const rel = decodeURIComponent(u.pathname).replace(/^\//, '');
      const file = rel === '' ? `${dist}index.html` : `${dist}${rel}`;
      if (u.origin !== origin) problems.push(`other origin: ${r.method} ${r.url}`);
      if (r.method !== 'GET') problems.push(`not a GET: ${r.method} ${r.url} (${r.from})`);
      if (r.postData !== null) problems.push(`has a body: ${r.url}`);
      if (u.search !== '') problems.push(`has a query: ${r.url}`);
      if (!existsSync(file) || !statSync(file).isFile()) problems.push(`not a file of dist/: ${r.url}`);
      for (const m of MARKERS) if (r.url.includes(m) || (r.postData ?? '').includes(m)) problems.push(`carries data (${m}): ${r.url}`);
    }
    expect(problems).toEqual([]);
    expect(sockets).toEqual([]);
    const files = [...new Set(network.map((r) => new URL(r.url).pathname))].sort();
    console.log(`[privacy] ${network.length} requests, all GETs of ${files.length} own files: ${files.join(' ')}`);
  });
});
