// Starts the static servers the browser tests use: the production build with and without
// cross-origin isolation, both under the strict CSP header; and a "portal" with and without
// isolation for the embed tests (host pages under /portal/tools/mmm/, dist-embed/ under
// /portal/assets/mmm-studio/ and again under /cdn/mmm-assets/ for base-url), under a portal's CSP
// with a report-uri that collects violations from pages and workers.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { COI, securityHeaders } from '../../web/scripts/headers.mjs';
import { startStaticServer } from '../../web/scripts/static-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    isolatedUrl: string;
    plainUrl: string;
    embedIsolatedUrl: string;
    embedPlainUrl: string;
  }
}

/** The CSP a portal might send (the example): the embed must run under it unchanged. */
export const PORTAL_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'";
/** Where the embed servers collect CSP violation reports (GET returns them as JSON). */
export const CSP_REPORT_PATH = '/__csp-report';

export default async function setup(project: TestProject) {
  const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
  if (!existsSync(`${dist}index.html`)) throw new Error('dist/ is not built: run `npm run build` first');
  const isolated = await startStaticServer({ mounts: [{ prefix: '/', dir: dist }], headers: securityHeaders({ isolated: true, csp: true }) });
  const plain = await startStaticServer({ mounts: [{ prefix: '/', dir: dist }], headers: securityHeaders({ isolated: false, csp: true }) });
  project.provide('isolatedUrl', isolated.url);
  project.provide('plainUrl', plain.url);

  const embed = fileURLToPath(new URL('../../dist-embed/', import.meta.url));
  if (!existsSync(`${embed}mmm-studio.js`)) throw new Error('dist-embed/ is not built: run `npm run build` (or `npm run build:embed`) first');
  const mounts = [
    { prefix: '/portal/tools/mmm/', dir: fileURLToPath(new URL('./hosts/', import.meta.url)) },
    { prefix: '/portal/assets/mmm-studio/', dir: embed },
    { prefix: '/cdn/mmm-assets/', dir: embed },
  ];
  const portalHeaders = { 'Content-Security-Policy': `${PORTAL_CSP}; report-uri ${CSP_REPORT_PATH}` };
  const embedIsolated = await startStaticServer({ mounts, headers: { ...COI, ...portalHeaders }, reportPath: CSP_REPORT_PATH });
  const embedPlain = await startStaticServer({ mounts, headers: portalHeaders, reportPath: CSP_REPORT_PATH });
  project.provide('embedIsolatedUrl', embedIsolated.url);
  project.provide('embedPlainUrl', embedPlain.url);
  return async () => {
    await isolated.close();
    await plain.close();
    await embedIsolated.close();
    await embedPlain.close();
  };
}
