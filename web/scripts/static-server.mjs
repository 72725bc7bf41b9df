// A small static file server with explicit headers, used by `npm start` and by the end-to-end
// tests (which need servers with and without COOP/COEP, under sub-paths, with the CSP header).
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.onnx': 'application/octet-stream',
  '.webmanifest': 'application/manifest+json',
};

/**
 * @param {{ mounts: {prefix: string, dir: string}[], headers?: Record<string,string>,
 *           port?: number, host?: string, routes?: Record<string, {type: string, body: string}>,
 *           reportPath?: string }} opts
 * mounts: URL prefix (e.g. '/portal/tools/mmm/') → folder. routes: exact paths served from memory.
 * reportPath: tests only — POSTs there (CSP violation reports, from pages and workers) are kept and
 * a GET of it returns them as JSON.
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>, requests: string[], reports: unknown[]}>}
 */
export function startStaticServer({ mounts, headers = {}, port = 0, host = '127.0.0.1', routes = {}, reportPath }) {
  const requests = [];
  const reports = [];
  const roots = mounts.map((m) => ({ prefix: m.prefix.endsWith('/') ? m.prefix : `${m.prefix}/`, dir: resolve(m.dir) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const send = (status, type, body) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache', ...headers });
      res.end(body);
    };
    if (reportPath && path === reportPath) {
      if (req.method === 'GET') return send(200, 'application/json', JSON.stringify(reports));
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        try { reports.push(JSON.parse(body)); } catch { reports.push(body); }
        send(204, 'text/plain', '');
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed');
    if (routes[path]) return send(200, routes[path].type, routes[path].body);
    const root = roots.find((r) => path.startsWith(r.prefix) || `${path}/` === r.prefix);
    if (!root) return send(404, 'text/plain', 'not found');
    let file = normalize(join(root.dir, path.slice(root.prefix.length)));
    if (file !== root.dir && !file.startsWith(root.dir + sep)) return send(403, 'text/plain', 'forbidden');
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const size = statSync(file).size;
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': size,
        'Cache-Control': 'no-cache',
        ...headers,
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch {
      send(404, 'text/plain', 'not found');
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolvePromise({
        url: `http://${host}:${actual}`,
        port: actual,
        requests,
        reports,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}
