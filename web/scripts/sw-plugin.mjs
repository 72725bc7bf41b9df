// Vite plugin: writes sw.js (from sw-template.js) next to the built files, with the list of the
// build's files to keep offline and a cache name made of the app version and a hash of every
// file, so each build gets its own cache and an update never mixes files of two builds.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const template = fileURLToPath(new URL('./sw-template.js', import.meta.url));
const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'));

function walk(dir, base = dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, base, out);
    else out.push(relative(base, p).split(sep).join('/'));
  }
  return out;
}

/**
 * @param {{ lazy?: (path: string) => boolean, skip?: (path: string) => boolean, manifestOnly?: string }} [opts]
 *   lazy: files cached on first use instead of at install (big, rarely needed: ort/);
 *   skip: files never listed (Node-only or not part of the app);
 *   manifestOnly: write this JSON file ({version, build, cache, precache, lazy}) instead of sw.js
 *   (the embed: a portal's own service worker can precache the element's files from it).
 * @returns {import('vite').Plugin}
 */
export function serviceWorkerPlugin(opts = {}) {
  const lazy = opts.lazy ?? ((p) => p.startsWith('ort/'));
  const skip = opts.skip ?? ((p) => p === 'sw.js' || p === opts.manifestOnly || p.endsWith('/package.json') || p.endsWith('.d.ts') || p.endsWith('.map'));
  let outDir = '';
  return {
    name: 'mmm-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    // After writing: the bundle (index.html, assets, workers) and the public files are on disk.
    closeBundle() {
      const files = walk(outDir).filter((p) => !skip(p)).sort();
      const hash = createHash('sha256');
      for (const f of files) hash.update(f).update('\0').update(createHash('sha256').update(readFileSync(join(outDir, f))).digest());
      const build = hash.digest('hex').slice(0, 12);
      const precache = files.filter((p) => !lazy(p));
      if (opts.manifestOnly) {
        const manifest = { version: pkg.version, build, cache: `mmm-studio-${pkg.version}-${build}`, precache, lazy: files.filter(lazy) };
        writeFileSync(join(outDir, opts.manifestOnly), `${JSON.stringify(manifest, null, 2)}\n`);
        return;
      }
      const source = readFileSync(template, 'utf8')
        .replace('__MMM_VERSION__', pkg.version)
        .replace('__MMM_BUILD__', build)
        .replace('__MMM_PRECACHE__', JSON.stringify(precache, null, 2));
      writeFileSync(join(outDir, 'sw.js'), source);
    },
  };
}
