// Starts the static servers the browser tests use: the production build with and without
// cross-origin isolation, both under the strict CSP header.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { securityHeaders } from '../../web/scripts/headers.mjs';
import { startStaticServer } from '../../web/scripts/static-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    isolatedUrl: string;
    plainUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
  if (!existsSync(`${dist}index.html`)) throw new Error('dist/ is not built: run `npm run build` first');
  const isolated = await startStaticServer({ mounts: [{ prefix: '/', dir: dist }], headers: securityHeaders({ isolated: true, csp: true }) });
  const plain = await startStaticServer({ mounts: [{ prefix: '/', dir: dist }], headers: securityHeaders({ isolated: false, csp: true }) });
  project.provide('isolatedUrl', isolated.url);
  project.provide('plainUrl', plain.url);
  return async () => {
    await isolated.close();
    await plain.close();
  };
}
