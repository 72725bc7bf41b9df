// Starts a worker that evaluates a string: under the portal CSP this must be blocked and reported.
const worker = new Worker(new URL('canary-worker.js', import.meta.url), { type: 'module' });
worker.onmessage = (e) => { window.__canary = e.data; };
