// Launches Debian's Chromium through playwright-core and records what a test must assert on:
// console errors, page/worker errors, CSP violations and every request's origin.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotDir = fileURLToPath(new URL('./screenshots/', import.meta.url));

export interface Session {
  context: BrowserContext;
  page: Page;
  consoleErrors: string[];
  /** CSP violations seen in any frame (securitypolicyviolation events, "Refused to …" console
   * messages). close() fails the test when there is one: the app must run under the strict CSP. */
  cspViolations: string[];
  foreignRequests: string[];
  requests: string[];
  close(): Promise<void>;
  screenshot(name: string): Promise<void>;
}

export async function openBrowser(origin: string, opts: { viewport?: { width: number; height: number }; args?: string[] } = {}): Promise<Session> {
  const profile = mkdtempSync(join(tmpdir(), 'mmm-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    // The closed network here refuses Chromium's background connections; these flags stop them.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', ...(opts.args ?? [])],
    viewport: opts.viewport ?? { width: 1366, height: 900 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  const requests: string[] = [];
  const allowed = new URL(origin).origin;
  const cspViolations: string[] = [];
  // Every frame reports its CSP violations (shadow roots included: the event is composed) to the
  // console, where the listener below collects them with Chromium's own messages ("Refused to …",
  // "Applying inline style violates the following Content Security Policy directive …").
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || document.URL}:${e.lineNumber} ${e.sample ?? ''}`);
    }, true);
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    consoleErrors.push(m.text());
    if (/^CSP violation:|Refused to (apply|load|execute|evaluate|compile|create|connect|frame)|Content Security Policy/.test(m.text())) cspViolations.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  context.on('weberror', (e) => consoleErrors.push(`weberror: ${e.error().message}`));
  context.on('request', (r) => {
    const url = r.url();
    requests.push(url);
    // data:, blob: and file: never touch the network (file: is the offline report test).
    if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('file:')) return;
    if (new URL(url).origin !== allowed) foreignRequests.push(url);
  });
  mkdirSync(screenshotDir, { recursive: true });
  return {
    context, page, consoleErrors, cspViolations, foreignRequests, requests,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      if (cspViolations.length) throw new Error(`${cspViolations.length} CSP violation(s) during the test:\n${cspViolations.join('\n')}`);
    },
    async screenshot(name: string) {
      await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
    },
  };
}

/** Waits until the app's engine has started (or failed). */
export async function waitForEngine(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const s = document.getElementById('engine-status');
    return s?.dataset.state === 'ready' || s?.dataset.state === 'error';
  }, null, { timeout: 60_000 });
}

/** Drops a file on the page the way a user does (dragenter/dragover/drop with a DataTransfer). */
export async function dropFile(page: Page, name: string, bytes: Buffer, type = 'text/csv'): Promise<void> {
  await page.evaluate(
    async ({ name, b64, type }) => {
      const bin = atob(b64);
      const data = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type }));
      for (const kind of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(kind, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    },
    { name, b64: bytes.toString('base64'), type },
  );
}

/** Opens the app at `url` in a fresh browser and waits until its engine has started. */
export async function openApp(url: string): Promise<Session> {
  const s = await openBrowser(url);
  await s.page.goto(`${url}/`);
  await waitForEngine(s.page);
  return s;
}

/** Loads the example data and trains it with the given Advanced settings, until "Trained N epochs". */
export async function trainDemo(page: Page, settings: { epochs?: number; hidden?: number } = {}): Promise<void> {
  await page.click('#try-demo');
  await page.waitForSelector('#demo-summary');
  await page.click('#tab-train');
  await page.click('#train-advanced summary');
  await page.fill('#opt-epochs', settings.epochs ? String(settings.epochs) : '');
  await page.fill('#opt-hidden', settings.hidden ? String(settings.hidden) : '');
  await page.click('#train-button');
  await page.waitForFunction(() => /Trained \d+ epochs/.test(document.getElementById('train-status')?.textContent ?? ''), null, { timeout: 240_000 });
}
