// Offline: after the first visit the service worker (dist/sw.js) holds the app's files, so with
// the network off — and the server stopped — a reload still starts the engine and trains the
// example data. Then a new build appears: it is offered ("Update now"), not forced; accepting it
// switches to the new cache and deletes the old one.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../web/scripts/headers.mjs';
import { startStaticServer } from '../../web/scripts/static-server.mjs';
import { openBrowser, waitForEngine, type Session } from './browser';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const headers = securityHeaders({ isolated: true, csp: true });
const cacheNames = (s: Session) => s.page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('mmm-studio-')));

describe('offline after the first visit', () => {
  let s: Session | null = null;
  let server: Awaited<ReturnType<typeof startStaticServer>> | null = null;
  afterAll(async () => {
    await s?.close();
    await server?.close();
  });

  it('reloads and trains with the network off, and offers (not forces) a new version', async () => {
    server = await startStaticServer({ mounts: [{ prefix: '/', dir: dist }], headers });
    const { url, port } = server;
    s = await openBrowser(url);
    const { page, context } = s;

    // First visit: the service worker installs this build's files and takes control.
    await page.goto(`${url}/`);
    await waitForEngine(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 60_000 });
    const [cache] = await cacheNames(s);
    const sw = readFileSync(`${dist}sw.js`, 'utf8');
    const build = /const BUILD = '([0-9a-f]+)'/.exec(sw)![1];
    expect(cache).toBe(`mmm-studio-${JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version}-${build}`);

    // Offline: no network and no server at all.
    await server.close();
    server = null;
    await context.setOffline(true);
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await waitForEngine(page);
    expect(await page.getAttribute('#engine-status', 'data-state')).toBe('ready');
    expect(await page.textContent('#engine-status')).toContain('core-mt');
    await page.click('#try-demo');
    await page.waitForSelector('#demo-summary');
    await page.click('#tab-train');
    await page.click('#train-advanced summary');
    await page.fill('#opt-epochs', '10');
    await page.fill('#opt-hidden', '8');
    await page.click('#train-button');
    await page.waitForFunction(() => /Trained \d+ epochs/.test(document.getElementById('train-status')?.textContent ?? ''), null, { timeout: 120_000 });
    await page.click('#tab-results');
    await page.waitForSelector('#view-chart[data-state="drawn"] svg');
    await s.screenshot('offline-trained');

    // Back online, and the server has a new build (here: the same files with a new build hash).
    await context.setOffline(false);
    server = await startStaticServer({
      mounts: [{ prefix: '/', dir: dist }], headers, port,
      routes: { '/sw.js': { type: 'text/javascript; charset=utf-8', body: sw.replace(`const BUILD = '${build}'`, "const BUILD = 'nextbuild0001'") } },
    });
    await page.reload();
    await waitForEngine(page);
    // The new worker installs and waits; the page still runs the old build until the user agrees.
    await page.waitForSelector('#app-update:not([hidden]) #app-update-button', { timeout: 60_000 });
    const next = cache.replace(build, 'nextbuild0001');
    expect(await cacheNames(s)).toEqual(expect.arrayContaining([cache, next]));
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toContain('/sw.js');
    await Promise.all([page.waitForEvent('load'), page.click('#app-update-button')]);
    await waitForEngine(page);
    await expect.poll(() => cacheNames(s!)).toEqual([next]);
    expect(s.consoleErrors).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});
