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

/** Longest request path served (browsers' own limits are far higher, but no file here is that deep). */
export const MAX_PATH_LENGTH = 2048;

/**
 * The decoded path of a request target, or why it is refused (the caller answers 400). Works on
 * the raw target rather than through `new URL`, which would silently resolve `%2e%2e` and turn
 * backslashes into slashes before we could see them.
 * @param {string | undefined} target
 * @returns {{ path: string, error?: undefined } | { path?: undefined, error: string }}
 */
export function requestPath(target) {
  if (!target || !target.startsWith('/')) return { error: 'the request target must be a path starting with "/"' };
  if (target.length > MAX_PATH_LENGTH) return { error: `the request path is longer than ${MAX_PATH_LENGTH} characters` };
  const raw = target.replace(/[?#].*$/s, '');
  let path;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return { error: 'the path has malformed percent-encoding or is not valid UTF-8' };
  }
  // NUL and other control characters are never part of a file name here, and NUL truncates paths
  // in some file APIs; backslashes are path separators on Windows.
  if (/[\u0000-\u001f\u007f]/.test(path)) return { error: 'the path contains a control character (such as an encoded NUL)' };
  if (path.includes('\\')) return { error: 'the path contains a backslash' };
  if (path.split('/').some((segment) => segment === '..' || segment === '.')) return { error: 'the path contains a "." or ".." segment' };
  return { path };
}

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
  const handle = (req, res) => {
    const send = (status, type, body) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache', ...headers });
      res.end(body);
    };
    const parsed = requestPath(req.url);
    requests.push(parsed.path ?? req.url ?? '');
    if (parsed.error) return send(400, 'text/plain; charset=utf-8', `bad request: ${parsed.error}`);
    const { path } = parsed;
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
    if (Object.hasOwn(routes, path)) return send(200, routes[path].type, routes[path].body);
    const root = roots.find((r) => path.startsWith(r.prefix) || `${path}/` === r.prefix);
    if (!root) return send(404, 'text/plain', 'not found');
    let file = normalize(join(root.dir, path.slice(root.prefix.length)));
    // requestPath already refuses `..` segments; this is the second lock on the same door.
    if (file !== root.dir && !file.startsWith(root.dir + sep)) return send(404, 'text/plain', 'not found');
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
      // A read error after the headers went out (file removed meanwhile) can only end the response.
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    } catch {
      send(404, 'text/plain', 'not found');
    }
  };
  // One bad request must never stop the server: anything unforeseen becomes a 500 for that request.
  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      console.error(`static server: ${req.method} ${req.url}: ${err?.stack ?? err}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end('internal error');
      else res.destroy();
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
