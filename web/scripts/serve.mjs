// `npm start`: serves the built app (dist/) with COOP/COEP and the strict CSP, like a production
// static host should. PORT (default 5173) and MMM_COI=0 (no cross-origin isolation) are honoured.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { securityHeaders } from './headers.mjs';
import { startStaticServer } from './static-server.mjs';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
if (!existsSync(`${dist}index.html`)) {
  console.error('dist/ is not built: run `npm start` (which builds first) or `npm run build`.');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 5173);
const isolated = process.env.MMM_COI !== '0';
const host = process.env.HOST ?? '127.0.0.1';
try {
  const server = await startStaticServer({ mounts: [{ prefix: '/', dir: dist }], headers: securityHeaders({ isolated, csp: true }), port, host });
  console.log(`MMM Studio is running at ${server.url}/  (${isolated ? 'cross-origin isolated: multi-threaded engine' : 'not isolated: single-thread engine'})`);
  console.log('Open it in Chrome, Edge or Firefox and click "Try with example data". Press Ctrl+C to stop.');
} catch (err) {
  console.error(err.code === 'EADDRINUSE' ? `Port ${port} is in use: stop the other server or run PORT=5174 npm start.` : String(err));
  process.exit(1);
}
